import { Command as Program } from 'commander'
import { capitalised } from './args'

export interface CommandIO {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

/** One subcommand of `appcues-actions`. `run` resolves to the process exit code. */
export interface Command {
  run(args: string[], io: CommandIO): Promise<number>
}

/** The name and one-line summary of a subcommand, as the command list shows them. */
export interface CommandSummary {
  name: string
  summary: string
}

const withoutFinalNewline = (text: string) => text.replace(/\n$/, '')

/**
 * A commander program that prints through `io` and throws instead of exiting: help goes to stdout; errors are left
 * to `parseCommandLine`, which turns them into usage errors.
 */
export function newProgram(name: string, description: string, io: CommandIO): Program {
  return new Program(name)
    .description(description)
    .exitOverride()
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', 'show this help and exit')
    .configureOutput({
      writeOut: (text) => io.stdout(withoutFinalNewline(text)),
      writeErr: (text) => io.stderr(withoutFinalNewline(text)),
      outputError: () => undefined
    })
}

/** The program of a subcommand, named as the user types it. */
export function subcommandProgram(command: CommandSummary, io: CommandIO): Program {
  return newProgram(`appcues-actions ${command.name}`, `${capitalised(command.summary)}.`, io)
}
