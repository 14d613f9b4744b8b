import { cli, killChildren } from '../send/helpers'

afterAll(killChildren)

/** Runs the executable to its end: exit status, standard output and standard error. */
async function run(args: string[]) {
  const child = cli(args)
  const { code } = await child.exit
  return { code, out: child.stdout(), err: child.stderr() }
}

/** A typo: the last two letters swapped (`serve` becomes `serev`). */
const swapLastTwo = (name: string) => `${name.slice(0, -2)}${name.slice(-1)}${name.slice(-2, -1)}`

describe('suggestions for a mistyped command or option', () => {
  it('suggests every command, as --help lists them, for a typo of its name', async () => {
    const help = await run(['--help'])
    const commands = [...help.out.matchAll(/^ {2}([a-z][\w:-]*) {2,}/gm)].map((match) => match[1])
    expect(commands).toEqual(
      expect.arrayContaining([
        'generate:types',
        'generate:action',
        'list-required-fields',
        'serve',
        'send',
        'simulator'
      ])
    )
    const answers = await Promise.all(
      commands.filter((name) => name !== 'help').map((name) => run([swapLastTwo(name)]))
    )
    expect(answers.map(({ code, out, err }) => ({ code, out, err }))).toEqual(
      commands
        .filter((name) => name !== 'help')
        .map((name) => ({
          code: 2,
          out: '',
          err: `Unknown command '${swapLastTwo(
            name
          )}' (did you mean ${name}?). Run \`appcues-actions --help\` for the options.\n`
        }))
    )
  })

  it.each([
    [['genrate:types'], 'generate:types'],
    [['serv'], 'serve'],
    [['generate:metadat'], 'generate:metadata'],
    [['generate:actoin'], 'generate:action'],
    [['list-required-field'], 'list-required-fields'],
    [['help', 'generate:actoin'], 'generate:action'],
    [['help', 'serv'], 'serve'],
    [['help', 'simulatr'], 'simulator']
  ])('answers %j with "did you mean %s?" on standard error and exit 2', async (args, meant) => {
    const { code, out, err } = await run(args)
    expect({ code, out }).toEqual({ code: 2, out: '' })
    expect(err).toContain(`(did you mean ${meant}?)`)
  })

  it.each([
    ['generate:types', '--chek', '--check'],
    ['generate:metadata', '--chekc', '--check'],
    ['validate', '--jsn', '--json'],
    ['generate:action', '--titel', '--title'],
    ['list-required-fields', '--jsno', '--json'],
    ['serve', '--prot', '--port'],
    ['send', '--dead-leter', '--dead-letter'],
    ['simulator', '--rate-limt', '--rate-limit']
  ])('suggests the option meant inside %s (%s → %s)', async (command, typed, meant) => {
    const { code, out, err } = await run([command, typed, '1'])
    expect({ code, out }).toEqual({ code: 2, out: '' })
    expect(err).toBe(
      `Unknown option '${typed}' (did you mean ${meant}?). Run \`appcues-actions ${command} --help\` for the options.\n`
    )
  })

  it('suggests nothing when no name is close, and still exits 2', async () => {
    const { code, err } = await run(['frobnicate'])
    expect(code).toBe(2)
    expect(err).toBe("Unknown command 'frobnicate'. Run `appcues-actions --help` for the options.\n")
  })

  it('ends a usage error with one full stop', async () => {
    const { code, err } = await run(['serve', 'extra'])
    expect(code).toBe(2)
    expect(err).toBe(
      'Too many arguments. Expected 0 arguments but got 1. Run `appcues-actions serve --help` for the options.\n'
    )
  })
})
