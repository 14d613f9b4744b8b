import { generateTypes } from './commands/generate-types'

const USAGE = `Usage: appcues-actions <command> [options]

Commands:
  generate:types [--check]   write (or, with --check, verify) the generated-types.ts files`

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  const log = (line: string) => process.stdout.write(`${line}\n`)
  switch (command) {
    case 'generate:types':
      return generateTypes({ check: args.includes('--check'), log })
    default:
      process.stderr.write(`${USAGE}\n`)
      return command === undefined || command === '--help' ? 0 : 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
)
