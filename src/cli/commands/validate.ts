import type { Command, CommandIO } from '../command'
import { parseArgs } from '../args'
import { destinationDir } from '../load-destination'
import { validateDestination } from '../validate'
import { counts, formatReport } from '../validate/report'

const USAGE = 'validate [--path DIR] [--json]'

/** Prints every finding; resolves to 1 when there is an error (warnings alone exit 0). */
export function validate(options: { directory: string; json: boolean }, io: CommandIO): number {
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
  summary: "check the destination against the monorepo's rules and the live destination's contract",
  usage: USAGE,
  run: (args, io) =>
    Promise.resolve().then(() => {
      const { switches, options } = parseArgs(args, { switches: ['json'], options: ['path'] }, USAGE)
      return validate({ directory: destinationDir(options.get('path')), json: switches.has('json') }, io)
    })
}
