import type { Command, CommandIO } from '../command'
import { readSendArgs } from '../send/options'

async function run(args: string[], io: CommandIO): Promise<number> {
  const options = readSendArgs(args, process.env, io)
  if (options === 'help') return 0
  const [{ runSend, STOP_GRACE_MS }, { endAfterRun }] = await Promise.all([
    import('../send/run'),
    import('../send/loop-guard')
  ])
  const controller = new AbortController()
  let interrupts = 0
  const onSignal = () => {
    interrupts++
    if (interrupts > 1) process.exit(130)
    io.stderr(
      `\nStopping: finishing the events in flight, for ${
        STOP_GRACE_MS / 1000
      } s at most (press Ctrl-C again to quit at once).`
    )
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const result = await runSend(options, {
      ...io,
      progress: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
      stdin: process.stdin,
      signal: controller.signal
    })
    endAfterRun(result.exitCode)
    return result.exitCode
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

export const sendCommand: Command = { run }
