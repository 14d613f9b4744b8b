import type { Command, CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine } from '../args'
import { destinationDir } from '../load-destination'
import { withPathOption } from './destination-options'
import { SUMMARIES } from '../summaries'

/** Prints every finding; resolves to 1 when there is an error (warnings alone exit 0). */
export async function validate(options: { directory: string; json: boolean }, io: CommandIO): Promise<number> {
  const [{ validateDestination }, { counts, formatReport }] = await Promise.all([
    import('../validate'),
    import('../validate/report')
  ])
  const result = validateDestination(options.directory)
  const { errors } = counts(result.findings)
  if (options.json) {
    io.stdout(JSON.stringify(result, null, 2))
  } else {
    const out = errors > 0 ? io.stderr : io.stdout
    for (const line of formatReport(result)) out(line)
  }
  return errors > 0 ? 1 : 0
}

export const validateCommand: Command = {
  run: async (args, io) => {
    const program = withPathOption(
      subcommandProgram(SUMMARIES.validate, io).option(
        '--json',
        'print {directory, name, findings: [{severity, rule, place, message, fix}]} for scripts'
      )
    )
    const parsed = parseCommandLine(program, args)
    if (parsed === 'help') return 0
    return await validate(
      { directory: destinationDir(parsed.options.get('path')), json: parsed.switches.has('json') },
      io
    )
  }
}
