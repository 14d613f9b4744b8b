import type { Command, CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { helpReference, parseCommandLine, UsageError } from '../args'
import { destinationDir } from '../load-destination'
import { withPathOption } from './destination-options'
import { SUMMARIES } from '../summaries'

function portNumber(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      `The port "${value}" is not a port number (0-65535; 0 picks a free one). ${helpReference(
        'appcues-actions serve'
      )}`
    )
  }
  return port
}

/** The routes serve answers, with the placeholders the destination's definition fills in. */
const ROUTES = [
  '  GET  /manifest                                 the definition as JSON',
  '  POST /authenticate                             check the settings in the body',
  '  POST /delete                                   run onDelete (when the destination has it)',
  '  POST /createAudience, POST /getAudience        create or read an audience (when it has audienceConfig)',
  '  POST /<action>                                 run an action on an event, or on an array of events (a batch)',
  "  POST /<action>/<field>                         a dynamic field's choices",
  '  POST /<action>/hooks/<hook>                    run an action hook',
  "  POST /<action>/hooks/<hook>/dynamic/<input>    a hook input's choices",
  '  GET  /                                         the playground page (its JSON routes are under /playground/)'
].join('\n')

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const program = withPathOption(
    subcommandProgram(SUMMARIES.serve, io)
      .option('--port <N>', 'port to listen on (default: $PORT, else 3000; 0 picks a free one)')
      .option('--host <HOST>', 'interface to listen on (default 127.0.0.1; any other address is reachable by others)')
      .option(
        '--simulator <URL>',
        'send requests for Appcues to a simulator started with `appcues-actions simulator` (default: one in this process)'
      )
      .option('--no-simulator', 'send requests to Appcues itself, with the credentials each request carries')
      .addHelpText(
        'after',
        `\nRoutes (Segment's serve's, then the playground's):\n${ROUTES}\n\n` +
          'It reloads the destination when a file in its folder changes. See docs/cli.md and docs/playground.md.\n' +
          'Example: appcues-actions serve --port 3000 --simulator http://127.0.0.1:4567'
      )
  )
  const parsed = parseCommandLine(program, args)
  if (parsed === 'help') return 0
  const settings = {
    directory: destinationDir(parsed.options.get('path')),
    host: parsed.options.get('host') ?? '127.0.0.1',
    port: portNumber(parsed.options.get('port') ?? process.env.PORT ?? '3000')
  }
  const simulatorUrl = parsed.options.get('simulator')
  const toAppcues = parsed.switches.has('no-simulator')
  if (simulatorUrl && toAppcues) {
    throw new UsageError(`Give --simulator or --no-simulator, not both. ${helpReference('appcues-actions serve')}`)
  }
  io.stdout(`Starting the server on ${settings.host} port ${settings.port}: loading the destination...`)
  const [{ serve }, { createPlayground }, { openServeTarget }] = await Promise.all([
    import('../serve'),
    import('../serve/playground'),
    import('../serve/appcues-target')
  ])
  const target = await openServeTarget(
    toAppcues ? { kind: 'appcues' } : simulatorUrl ? { kind: 'simulator', url: simulatorUrl } : { kind: 'in-process' }
  )
  let serving
  try {
    serving = await serve({ ...settings, routes: createPlayground({ simulator: target.simulator }).routes }, io)
  } catch (error) {
    await target.close()
    throw error
  }
  io.stdout(target.notice)
  io.stdout(`Open ${serving.server.url}/ in a browser to try a mapping on a sample event.`)
  await untilStopped()
  await serving.stop()
  await target.close()
  io.stdout('server stopped')
  return 0
}

export const serveCommand: Command = { run }
