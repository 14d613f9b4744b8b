import { spawnSync } from 'child_process'
import path from 'path'

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'appcues-actions.js')

/** Runs the real executable (ts-node, no jest), as a contributor does after `npm ci`. */
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60000 })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

describe('the appcues-actions executable', () => {
  it('lists every subcommand with --help', () => {
    const { code, out } = run('--help')
    expect(code).toBe(0)
    for (const command of ['generate:types', 'generate:metadata', 'validate', 'serve']) expect(out).toContain(command)
  })

  it('exits 2 with the usage on an unknown command or argument', () => {
    expect(run('generate:typez').code).toBe(2)
    const wrong = run('validate', '--strict')
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('Unknown argument "--strict"')
  })

  it('passes validate and both --check runs on the destination as committed', () => {
    for (const args of [['validate'], ['generate:types', '--check'], ['generate:metadata', '--check']]) {
      const { code, out, err } = run(...args)
      expect({ args, code, err }).toEqual({ args, code: 0, err: '' })
      expect(out).not.toBe('')
    }
  }, 60000)
})
