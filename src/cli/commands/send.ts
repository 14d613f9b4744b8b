import http from 'http'
import https from 'https'
import type { Command, CommandIO } from '../command'
import { readSendArgs } from '../send/options'

/** How long a finished run's process may take to end on its own before it is ended with its status. */
const EXIT_GRACE_MS = 1000

/**
 * Once a run has printed its summary, nothing it started may keep the process alive: connections still open (an
 * answer that sent its headers and stalled its body stays open after the request timed out) are closed, and should
 * anything else remain, the process ends with `status` after a short grace.
 */
function endAfterRun(status: number): void {
  http.globalAgent.destroy()
  https.globalAgent.destroy()
  setTimeout(() => process.exit(status), EXIT_GRACE_MS).unref()
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const options = readSendArgs(args, process.env, io)
  if (options === 'help') return 0
  const { runSend, STOP_GRACE_MS } = await import('../send/run')
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
