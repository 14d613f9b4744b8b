import { spawn, spawnSync } from 'child_process'
import fs from 'fs'
import path from 'path'
import { lockCheckpoint } from '../../src/cli/send/record/checkpoint-lock'
import { cli, removeTempDirs, ROOT, tempDir, waitFor, UNTHROTTLED } from './helpers'

afterEach(() => removeTempDirs())

const fast = ['--simulate', ...UNTHROTTLED]
const event = (n: number) => JSON.stringify({ type: 'track', userId: `u${n}`, event: 'Signed Up' })

function inputFile(count = 3): string {
  const file = path.join(tempDir(), 'events.jsonl')
  fs.writeFileSync(file, `${Array.from({ length: count }, (_, i) => event(i)).join('\n')}\n`)
  return file
}

describe('one checkpoint, one run', () => {
  it('refuses a second run on a checkpoint in use, naming the first run by its process id', async () => {
    const dir = tempDir()
    const checkpoint = path.join(dir, 'cp')
    // The first run reads standard input, which stays open: it holds the checkpoint until its input ends.
    const first = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'appcues-actions.js'),
        'send',
        '-',
        ...fast,
        '--checkpoint',
        checkpoint,
        '--dead-letter',
        path.join(dir, 'd1')
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH }, stdio: ['pipe', 'pipe', 'pipe'] }
    )
    let firstErr = ''
    first.stderr.on('data', (chunk: Buffer) => (firstErr += chunk.toString()))
    first.stdout.resume()
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', resolve))
    first.stdin.write(`${event(1)}\n`)
    // The lock file exists once the first run has opened its checkpoint; it is the first run's own process id.
    await waitFor(() => fs.existsSync(`${checkpoint}.lock`), 30_000, 'the first run to lock its checkpoint')
    expect(fs.readFileSync(`${checkpoint}.lock`, 'utf8').trim()).toBe(String(first.pid))

    const second = cli([
      'send',
      inputFile(),
      ...fast,
      '--checkpoint',
      checkpoint,
      '--dead-letter',
      path.join(dir, 'd2')
    ])
    expect((await second.exit).code).toBe(2)
    expect(second.stderr()).toContain(
      `The checkpoint ${checkpoint} is in use by another send run (process ${String(first.pid)}).`
    )

    first.stdin.end(`${event(2)}\n`)
    expect(await firstExit).toBe(0)
    expect(firstErr).not.toContain('in use')
    expect(fs.existsSync(`${checkpoint}.lock`)).toBe(false)
  }, 60_000)

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = tempDir()
    const checkpoint = path.join(dir, 'cp')
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    fs.writeFileSync(`${checkpoint}.lock`, `${gone}\n`)
    const run = cli([
      'send',
      inputFile(),
      ...fast,
      '--json',
      '--checkpoint',
      checkpoint,
      '--dead-letter',
      path.join(dir, 'd')
    ])
    expect((await run.exit).code).toBe(0)
    expect(JSON.parse(run.stdout())).toMatchObject({ read: 3, delivered: 3 })
    expect(fs.existsSync(`${checkpoint}.lock`)).toBe(false)
  }, 60_000)

  it('releases only its own lock', () => {
    const file = path.join(tempDir(), 'cp')
    const lock = lockCheckpoint(file)
    expect(() => lockCheckpoint(file)).toThrow(`(process ${process.pid})`)
    fs.writeFileSync(`${file}.lock`, '1\n') // taken over by another process meanwhile
    lock.release()
    expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe('1\n')
  })
})

describe('the dead-letter file is never the input', () => {
  it.each([
    ['a symbolic link', (target: string, link: string) => fs.symlinkSync(target, link)],
    ['a hard link', (target: string, link: string) => fs.linkSync(target, link)]
  ])(
    'refuses --dead-letter through %s to the input and leaves the input whole',
    async (_, makeLink) => {
      const input = inputFile()
      const before = fs.readFileSync(input)
      const link = path.join(tempDir(), 'dead.jsonl')
      makeLink(input, link)
      const run = cli(['send', input, ...fast, '--dead-letter', link])
      expect((await run.exit).code).toBe(2)
      expect(run.stderr()).toContain(`--dead-letter ${link} is the input file ${input} (through a link)`)
      expect(fs.readFileSync(input)).toEqual(before)
    },
    30_000
  )

  it('refuses a --checkpoint that is the dead-letter file through a symbolic link', async () => {
    const dir = tempDir()
    const deadLetter = path.join(dir, 'dead.jsonl')
    fs.writeFileSync(deadLetter, '')
    fs.symlinkSync(deadLetter, path.join(dir, 'cp'))
    const run = cli(['send', inputFile(), ...fast, '--dead-letter', deadLetter, '--checkpoint', path.join(dir, 'cp')])
    expect((await run.exit).code).toBe(2)
    expect(run.stderr()).toContain(
      `--checkpoint ${path.join(dir, 'cp')} is --dead-letter ${deadLetter} (through a link)`
    )
  }, 30_000)
})
