import { COMMANDS } from './commands'
import type { CommandIO } from './command'
import { newProgram } from './command'
import { parseCommandLine } from './args'

// A timestamp without an offset ("2026-03-01T10:00:00") is read as UTC, so that the same file stores the same times on
// every machine, whatever its time zone (Node applies a change of TZ at once).
process.env.TZ = 'UTC'

/**
 * A reader that stops early (`appcues-actions send --help | head`) closes the pipe: what is left to write is dropped,
 * and the command goes on (a run still delivers every event and ends with its exit status).
 */
function writerTo(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed = true
  })
  return (line) => {
    if (!closed) stream.write(`${line}\n`)
  }
}

const io: CommandIO = { stdout: writerTo(process.stdout), stderr: writerTo(process.stderr) }

/** The top-level program: it lists the commands and suggests one for a typo; each command parses its own flags. */
function topLevelProgram() {
  const program = newProgram(
    'appcues-actions',
    'The toolchain of the Appcues (Actions) destination. Run `appcues-actions <command> --help` for the options of one.',
    io
  )
  program.usage('<command> [options]')
  for (const command of COMMANDS) program.command(command.name).description(command.summary)
  program.helpCommand('help [command]', 'show the options of a command')
  return program
}

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args
  const wantsHelpOf = name === 'help' && rest.length > 0 ? rest[0] : undefined
  const command = COMMANDS.find((entry) => entry.name === (wantsHelpOf ?? name))
  if (command) return (await command.load()).run(wantsHelpOf ? ['--help'] : rest, io)
  const program = topLevelProgram()
  if (args.length === 0) {
    io.stdout(program.helpInformation().trimEnd())
    return 0
  }
  // `help NAME` for a name that is no command: the same usage error as running `NAME`, with commander's suggestion.
  parseCommandLine(program, wantsHelpOf !== undefined ? [wantsHelpOf] : args)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: Error) => {
    io.stderr(error.message)
    process.exitCode = error.name === 'UsageError' ? 2 : 1
  }
)
