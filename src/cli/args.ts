import { CommanderError } from 'commander'
import type { Command as Program } from 'commander'

/** What a command line held, by flag name without the dashes: boolean switches and options with a value. */
export interface ParsedArgs {
  switches: Set<string>
  options: Map<string, string>
  positionals: string[]
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The sentence that ends every usage error: where to find the options of the command. */
export function helpReference(programName: string): string {
  return `Run \`${programName} --help\` for the options.`
}

export function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}

/** commander's message ("error: unknown option '--x'\n(Did you mean --y?)") as one sentence that names the fix. */
function usageMessage(error: CommanderError, program: Program): string {
  const [first, ...rest] = error.message.replace(/^error: /, '').split('\n')
  const suggestion = rest
    .join(' ')
    .replace(/^\((.*)\)$/, '$1')
    .replace(/^Did you/, 'did you')
  const hint = suggestion ? ` (${suggestion})` : ''
  // Some of commander's messages end with a full stop ("too many arguments. Expected 0 arguments but got 1.").
  return `${capitalised(first.replace(/\.$/, ''))}${hint}. ${helpReference(program.name())}`
}

/**
 * Parses `args` with the command's commander program. Resolves to 'help' when `--help` was answered (commander
 * printed it), else to every flag given, by name; a wrong argument is a UsageError (exit 2) that names the fix.
 */
export function parseCommandLine(program: Program, args: string[]): ParsedArgs | 'help' {
  try {
    program.parse(args, { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    if (error.exitCode === 0) return 'help'
    throw new UsageError(usageMessage(error, program))
  }
  const switches = new Set<string>()
  const options = new Map<string, string>()
  for (const option of program.options) {
    const name = (option.long ?? '').replace(/^--/, '')
    const value: unknown = program.getOptionValue(option.attributeName())
    if (value === undefined) continue
    if (option.negate) {
      if (value === false) switches.add(name)
    } else if (option.isBoolean()) {
      if (value === true) switches.add(name)
    } else if (value === '') {
      throw new UsageError(`--${name} needs a value. ${helpReference(program.name())}`)
    } else if (typeof value !== 'boolean') {
      // A negated flag of the same name (--no-x) leaves `false` here.
      options.set(name, String(value))
    }
  }
  return { switches, options, positionals: [...program.args] }
}
