import type { Command, CommandIO } from '../command'
import { parseArgs, UsageError } from '../args'
import { destinationDir } from '../load-destination'
import { serve } from '../serve'
import { createPlayground } from '../serve/playground'

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
  const settings = {
    directory: destinationDir(options.get('path')),
    host: options.get('host') ?? '127.0.0.1',
    port: portNumber(options.get('port') ?? process.env.PORT ?? '3000')
  }
  const playground = createPlayground()
  let serving
  try {
    serving = await serve({ ...settings, routes: playground.routes }, io)
  } catch (error) {
    await playground.close()
    throw error
  }
  io.stdout(
    `Open ${serving.server.url}/ in a browser to try a mapping on a sample event. The page sends to an Appcues simulator on this machine unless you change its Endpoint Override.`
  )
  await untilStopped()
  await serving.stop()
  await playground.close()
  io.stdout('server stopped')
  return 0
}

export const serveCommand: Command = {
  summary:
    "run the destination behind a local HTTP server with Segment's serve routes and a mapping playground page, reloading on changes",
  usage: USAGE,
  run
}
