import type { Command, CommandIO } from '../command'
import { parseArgs, UsageError } from '../args'
import { destinationDir } from '../load-destination'
import { serve } from '../serve'

const USAGE = 'serve [--port 3000] [--host 127.0.0.1] [--path DIR]'

function portNumber(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`The port "${value}" is not a port number (0-65535; 0 picks a free one). Usage: ${USAGE}`)
  }
  return port
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const { options } = parseArgs(args, { options: ['port', 'host', 'path'] }, USAGE)
  const serving = await serve(
    {
      directory: destinationDir(options.get('path')),
      host: options.get('host') ?? '127.0.0.1',
      port: portNumber(options.get('port') ?? process.env.PORT ?? '3000')
    },
    io
  )
  await untilStopped()
  await serving.stop()
  io.stdout('server stopped')
  return 0
}

export const serveCommand: Command = {
  summary: "run the destination behind a local HTTP server with Segment's serve routes, reloading on changes",
  usage: USAGE,
  run
}
