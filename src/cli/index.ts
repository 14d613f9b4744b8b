import { commands } from './commands'
import type { CommandIO } from './command'

const io: CommandIO = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`)
}

function usage(): string {
  const lines = Object.values(commands).map((command) => `  ${command.usage.padEnd(40)} ${command.summary}`)
  return ['Usage: appcues-actions <command> [options]', '', 'Commands:', ...lines].join('\n')
}

async function main([name, ...args]: string[]): Promise<number> {
  const command = name === undefined ? undefined : commands[name]
  if (!command) {
    const help = name === undefined || name === '--help' || name === 'help'
    ;(help ? io.stdout : io.stderr)(help ? usage() : `Unknown command "${name}".\n\n${usage()}`)
    return help ? 0 : 2
  }
  return command.run(args, io)
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
