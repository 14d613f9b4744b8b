import fs from 'fs'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import type { Simulator } from '../../src/simulator'
import { cli, MAPPING, removeTempDirs, targetArgs, tempDir } from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

const GOOD = JSON.stringify({ type: 'identify', userId: 'u1', traits: { plan: 'pro' } })
/** A track call whose event name is longer than Appcues takes: the destination rejects it, so it becomes a dead letter. */
const REJECTED = JSON.stringify({ type: 'track', userId: 'u9', event: 'x'.repeat(200) })

function inputFile(dir: string, name = 'events.jsonl', text = `${GOOD}\n`): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

async function run(sim: Simulator, args: string[]) {
  const child = cli(['send', ...args, ...targetArgs(sim), '--rate', '0'])
  const { code } = await child.exit
  return { code, stdout: child.stdout(), stderr: child.stderr() }
}

describe('every output file is checked before the first request (issue 18, case 7)', () => {
  const refusals: Array<[string, (dir: string) => { args: string[]; untouched: string; message: RegExp }]> = [
    [
      '--dead-letter naming the --mapping file',
      (dir) => {
        const mapping = path.join(dir, 'mapping.json')
        fs.copyFileSync(MAPPING, mapping)
        return {
          args: [inputFile(dir), '--mapping', mapping, '--dead-letter', mapping],
          untouched: mapping,
          message:
            /^--dead-letter \S+mapping\.json is the --mapping file \S+mapping\.json: send would overwrite it\. Choose another --dead-letter file\.$/m
        }
      }
    ],
    [
      "an input named like the checkpoint's temporary file",
      (dir) => {
        const input = inputFile(dir, 'run.checkpoint.tmp')
        return {
          args: [input, '--checkpoint', path.join(dir, 'run.checkpoint'), '--dead-letter', path.join(dir, 'd.jsonl')],
          untouched: input,
          message:
            /^the temporary file of --checkpoint \S+run\.checkpoint\.tmp is the input file \S+: send would overwrite it\. Choose another --checkpoint file\.$/m
        }
      }
    ],
    [
      "an input named like the checkpoint's lock file",
      (dir) => {
        const input = inputFile(dir, 'run.checkpoint.lock')
        return {
          args: [input, '--checkpoint', path.join(dir, 'run.checkpoint'), '--dead-letter', path.join(dir, 'd.jsonl')],
          untouched: input,
          message: /^the lock file of --checkpoint \S+run\.checkpoint\.lock is the input file/m
        }
      }
    ],
    [
      'a mapping reached through a symbolic link from the checkpoint',
      (dir) => {
        const mapping = path.join(dir, 'mapping.json')
        fs.copyFileSync(MAPPING, mapping)
        fs.symlinkSync(mapping, path.join(dir, 'cp'))
        return {
          args: [
            inputFile(dir),
            '--mapping',
            mapping,
            '--checkpoint',
            path.join(dir, 'cp'),
            '--dead-letter',
            path.join(dir, 'd')
          ],
          untouched: mapping,
          message: /^--checkpoint \S+cp is the --mapping file \S+mapping\.json \(through a link\)/m
        }
      }
    ],
    [
      "--dead-letter naming the checkpoint's lock file",
      (dir) => {
        const deadLetter = path.join(dir, 'cp.lock')
        fs.writeFileSync(deadLetter, 'kept\n')
        return {
          args: [inputFile(dir), '--checkpoint', path.join(dir, 'cp'), '--dead-letter', deadLetter],
          untouched: deadLetter,
          message: /^the lock file of --checkpoint \S+cp\.lock is --dead-letter \S+cp\.lock: send would overwrite it\./m
        }
      }
    ]
  ]

  it.each(refusals)(
    'refuses %s (exit 2), sends nothing and leaves the file whole',
    async (_, make) => {
      const sim = await simulator({ rateLimit: 0 })
      const { args, untouched, message } = make(tempDir())
      const before = fs.readFileSync(untouched)
      const { code, stderr } = await run(sim, args)
      expect(code).toBe(2)
      expect(stderr).toMatch(message)
      expect(fs.readFileSync(untouched)).toEqual(before)
      expect(sim.state().requests).toEqual([])
    },
    60_000
  )
})

describe('an unwritable output is found before the first request, a write failure mid-run ends with a summary (issue 18, case 11)', () => {
  const unwritable: Array<[string, (dir: string) => string[]]> = [
    ['--dead-letter in a folder that does not exist', (dir) => ['--dead-letter', path.join(dir, 'missing', 'd.jsonl')]],
    ['--dead-letter that is a folder', (dir) => ['--dead-letter', dir]],
    ['--dead-letter under a file', (dir) => ['--dead-letter', path.join(inputFile(dir, 'plain'), 'd.jsonl')]],
    [
      '--dead-letter where nobody may write',
      // Root may write in any folder of a normal file system; /sys refuses new files even to root.
      (dir) => {
        if (process.getuid?.() === 0) return ['--dead-letter', '/sys/appcues-dead-letter.jsonl']
        const locked = path.join(dir, 'locked')
        fs.mkdirSync(locked, { mode: 0o500 })
        return ['--dead-letter', path.join(locked, 'd.jsonl')]
      }
    ],
    [
      '--checkpoint in a folder that does not exist',
      (dir) => ['--checkpoint', path.join(dir, 'missing', 'cp'), '--dead-letter', path.join(dir, 'd.jsonl')]
    ]
  ]

  it.each(unwritable)(
    'refuses %s: usage error, exit 2, nothing sent',
    async (_, flags) => {
      const sim = await simulator({ rateLimit: 0 })
      const dir = tempDir()
      const { code, stderr, stdout } = await run(sim, [
        inputFile(dir, 'events.jsonl', `${GOOD}\n${REJECTED}\n`),
        ...flags(dir)
      ])
      expect(code).toBe(2)
      expect(stderr).toMatch(
        /^--(dead-letter|checkpoint) \S+ cannot be written: .+\. Nothing was sent\. Choose a file in a folder you can write to\.$/m
      )
      expect(stdout).toBe('')
      expect(sim.state().requests).toEqual([])
    },
    60_000
  )

  it('a dead letter that cannot be written (a full disk) goes to standard error; the run ends with its summary, exit 1', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const dir = tempDir()
    const checkpoint = path.join(dir, 'cp')
    const input = inputFile(dir, 'events.jsonl', `${GOOD}\n${REJECTED}\n${GOOD.replace('u1', 'u2')}\n`)
    // /dev/full takes the file's opening and refuses every write with ENOSPC.
    const args = [
      input,
      '--dead-letter',
      '/dev/full',
      '--checkpoint',
      checkpoint,
      '--batch-size',
      '1',
      '--concurrency',
      '1'
    ]
    const { code, stdout, stderr } = await run(sim, [...args, '--json'])
    expect(code).toBe(1)
    const summary = JSON.parse(stdout)
    expect(summary).toMatchObject({ rejected: 1 })
    expect(summary.stopped).toMatch(/^the dead-letter file \/dev\/full could not be written \(ENOSPC/)
    const lost = /^Dead letter not written to \/dev\/full: (\{.*\})$/m.exec(stderr)
    expect(JSON.parse(lost![1])).toMatchObject({ outcome: 'rejected', line: 2, event: JSON.parse(REJECTED) })
    // The line of the lost dead letter is not checkpointed: a resume with a writable file writes it.
    const resumed = await run(sim, [
      input,
      '--dead-letter',
      path.join(dir, 'd.jsonl'),
      '--checkpoint',
      checkpoint,
      '--json'
    ])
    expect(resumed.code).toBe(1)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ rejected: 1, deadLetter: { count: 1 } })
  }, 60_000)
})
