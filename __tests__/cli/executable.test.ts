import { spawn, spawnSync } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'

const ROOT = path.resolve(__dirname, '..', '..')
const BIN = path.join(ROOT, 'bin', 'appcues-actions.js')
const COMMANDS = [
  'generate:types',
  'generate:metadata',
  'generate:action',
  'validate',
  'list-required-fields',
  'serve',
  'send',
  'simulator'
]

/** Runs the real executable (no jest), as a contributor does after `npm ci`. */
function run(args: string[], options: { bin?: string; preload?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [...(options.preload ?? []), options.bin ?? BIN, ...args], {
    encoding: 'utf8',
    timeout: 60000,
    cwd: ROOT,
    env: { ...process.env, ...options.env }
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

let scratch: string
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-bin-'))
})
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('the appcues-actions executable', () => {
  it('ends quietly when the reader of its output stops early, and a send still delivers every event', async () => {
    const outputReadByNobody = (args: string[]) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout.destroy()
      let err = ''
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      return new Promise<{ code: number | null; err: string }>((resolve) =>
        child.on('close', (code) => resolve({ code, err }))
      )
    }
    expect(await outputReadByNobody(['send', '--help'])).toEqual({ code: 0, err: '' })
    const deadLetter = path.join(scratch, 'closed-stdout.dead-letter.jsonl')
    const send = await outputReadByNobody([
      'send',
      '--simulate',
      '--json',
      '--quiet',
      '--max-refused',
      '7',
      '--dead-letter',
      deadLetter,
      'examples/events.jsonl'
    ])
    expect(send.err).not.toContain('EPIPE')
    expect(send.code).toBe(0)
    expect(fs.readFileSync(deadLetter, 'utf8').trim().split('\n')).toHaveLength(3)
  }, 60_000)

  it('lists every subcommand with --help, help, or no arguments, in aligned columns', () => {
    for (const args of [['--help'], ['help'], []]) {
      const { code, out } = run(args)
      expect({ args, code }).toEqual({ args, code: 0 })
      for (const command of COMMANDS) expect(out).toMatch(new RegExp(`^  ${command} +\\S`, 'm'))
      const columns = COMMANDS.map((command) => new RegExp(`^  ${command} +`, 'm').exec(out)![0].length)
      expect(new Set(columns).size).toBe(1)
    }
  })

  it.each(COMMANDS)('answers %s --help with its options and exit 0', (command) => {
    const { code, out, err } = run([command, '--help'])
    expect({ code, err }).toEqual({ code: 0, err: '' })
    expect(out).toContain(`Usage: appcues-actions ${command} [options]`)
    expect(out).toMatch(/^ {2}-h, --help +show this help and exit$/m)
    expect(run(['help', command]).out).toBe(out)
  })

  it('suggests the flag or command meant, and exits 2 on a usage error', () => {
    const flag = run(['send', 'examples/events.jsonl', '--batchsize', '5'])
    expect(flag.code).toBe(2)
    expect(flag.err).toContain("Unknown option '--batchsize' (did you mean --batch-size?)")
    const command = run(['generate:typez'])
    expect(command.code).toBe(2)
    expect(command.err).toContain("Unknown command 'generate:typez' (did you mean generate:types?)")
    const wrong = run(['validate', '--strict'])
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain("Unknown option '--strict'. Run `appcues-actions validate --help`")
  })

  it('loads only what the command needs: no prettier, json-schema-to-typescript or simulator for send --help', () => {
    const record = path.join(scratch, 'loaded.json')
    const preload = path.join(scratch, 'record-loaded.js')
    fs.writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(record)}, ` +
        'JSON.stringify(Object.keys(require.cache))))\n'
    )
    const loaded = (args: string[]) => {
      expect(run(args, { preload: ['--require', preload] }).code).toBe(0)
      return (JSON.parse(fs.readFileSync(record, 'utf8')) as string[]).map((file) => path.relative(ROOT, file))
    }
    for (const args of [
      ['--help'],
      ['send', '--help'],
      ['simulator', '--help'],
      ['serve', '--help'],
      ['generate:action', '--help'],
      ['list-required-fields', '--help']
    ]) {
      const files = loaded(args)
      expect({
        args,
        heavy: files.filter((file) => /node_modules\/(prettier|json-schema-to-typescript)\//.test(file))
      }).toEqual({ args, heavy: [] })
      expect({ args, simulator: files.filter((file) => /\/simulator\/(server|store|handlers)\./.test(file)) }).toEqual({
        args,
        simulator: []
      })
      expect({ args, core: files.filter((file) => file.includes('node_modules/@segment/actions-core/')) }).toEqual({
        args,
        core: []
      })
    }
  })

  it('passes validate and both --check runs on the destination as committed', () => {
    for (const args of [['validate'], ['generate:types', '--check'], ['generate:metadata', '--check']]) {
      const { code, out, err } = run(args)
      expect({ args, code, err }).toEqual({ args, code: 0, err: '' })
      expect(out).not.toBe('')
    }
  }, 60000)
})

describe('where the executable runs from', () => {
  /** A package root of its own: this bin, the real src/ and node_modules/, and a dist/ the test controls. */
  function layout(name: string) {
    const root = path.join(scratch, name)
    fs.mkdirSync(path.join(root, 'bin'), { recursive: true })
    fs.copyFileSync(BIN, path.join(root, 'bin', 'appcues-actions.js'))
    fs.symlinkSync(path.join(ROOT, 'src'), path.join(root, 'src'))
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'))
    const compiled = path.join(root, 'dist', 'cli', 'index.js')
    return {
      bin: path.join(root, 'bin', 'appcues-actions.js'),
      build(when: Date) {
        fs.mkdirSync(path.dirname(compiled), { recursive: true })
        fs.writeFileSync(compiled, "process.stdout.write('compiled CLI\\n')\n")
        fs.utimesSync(compiled, when, when)
      }
    }
  }

  it('runs the compiled dist/ when it is newer than every source', () => {
    const copy = layout('fresh')
    copy.build(new Date(Date.now() + 60_000))
    expect(run(['--help'], { bin: copy.bin })).toEqual({ code: 0, out: 'compiled CLI\n', err: '' })
  })

  it('runs the TypeScript sources when dist/ is missing or older than a source file', () => {
    const missing = layout('missing')
    const fromSources = run(['send', '--help'], { bin: missing.bin })
    expect(fromSources.code).toBe(0)
    expect(fromSources.out).toContain('Usage: appcues-actions send [options] [FILE|-]')
    const stale = layout('stale')
    stale.build(new Date(0))
    expect(run(['send', '--help'], { bin: stale.bin }).out).toBe(fromSources.out)
  })
})
