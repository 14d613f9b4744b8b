import fs from 'fs'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import {
  cli,
  EXAMPLE,
  EXAMPLE_COUNTS,
  EXAMPLE_REJECTED_LINES,
  readJsonLines,
  referenceState,
  removeTempDirs,
  send,
  sleep,
  targetArgs,
  tempDir,
  waitFor,
  writes
} from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

/** Waits until the file has not changed for `quietMs`. */
async function settled(file: string, quietMs: number): Promise<void> {
  let last = ''
  let since = Date.now()
  for (;;) {
    const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
    if (now !== last) {
      last = now
      since = Date.now()
    } else if (Date.now() - since >= quietMs) {
      return
    }
    await sleep(20)
  }
}

describe('--checkpoint', () => {
  it('resumes a run killed with SIGKILL: no event lost, none delivered twice', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const dir = tempDir()
    const checkpoint = path.join(dir, 'run.checkpoint')
    const deadLetter = path.join(dir, 'dead.jsonl')
    // One event at a time: each event is recorded as soon as its request is answered (batch.test.ts covers batches).
    const args = [
      EXAMPLE,
      ...targetArgs(sim),
      '--batch-size',
      '1',
      '--checkpoint',
      checkpoint,
      '--dead-letter',
      deadLetter
    ]

    const child = cli(['send', ...args, '--rate', '25', '--concurrency', '4', '--quiet'])
    await waitFor(() => sim.counts().requests >= 25, 15_000, 'the first run to be half way')
    // Hold what arrives from now on, let the child record what was answered, then kill it. (A request Appcues
    // processed whose answer never reached send is sent again on resume; holding keeps that window out of the test.)
    sim.pause()
    // A second of quiet: on a loaded machine the child may take a while to record the answers it already has.
    await settled(checkpoint, 1000)
    child.kill('SIGKILL')
    expect((await child.exit).signal).toBe('SIGKILL')
    // The simulator drops a held request only once it has seen its connection close: give it a moment to notice,
    // or the held requests of the killed run would be processed on resume().
    await sleep(250)
    sim.resume()
    const before = sim.state()
    expect(before.counts.events).toBeGreaterThan(0)
    expect(before.counts.events).toBeLessThan(30)

    const { result, stderr } = await send([...args, '--rate', '0', '--quiet'])
    expect(stderr).toContainEqual(
      expect.stringMatching(/^Resuming from .*run\.checkpoint: \d+ lines were finished by an earlier run\.$/)
    )
    const { summary } = result
    expect(summary.alreadyDone).toBeGreaterThan(0)
    expect(summary.failed).toBe(0)
    expect(summary.alreadyDone + summary.read + summary.malformed + 1).toBe(EXAMPLE_COUNTS.lines) // + 1 blank line

    expect(writes(sim.state())).toEqual(writes(await referenceState(1)))
    const letters = readJsonLines(deadLetter)
    expect(letters.map((letter) => letter.line).sort((a, b) => a - b)).toEqual(EXAMPLE_REJECTED_LINES)

    // A third run with the same checkpoint has nothing left to do.
    const third = await send([...args, '--rate', '0', '--quiet'])
    expect(third.result.summary).toMatchObject({ alreadyDone: EXAMPLE_COUNTS.lines, read: 0, requests: 1 })
    expect(writes(sim.state())).toEqual(writes(await referenceState(1)))
  }, 30_000)

  it('refuses to resume with another input or other subscriptions', async () => {
    const dir = tempDir()
    const checkpoint = path.join(dir, 'run.checkpoint')
    const other = path.join(dir, 'other.jsonl')
    fs.writeFileSync(other, '{"type":"identify","userId":"u1"}\n')
    const common = ['--checkpoint', checkpoint, '--quiet', '--rate', '0', '--dead-letter', path.join(dir, 'd.jsonl')]
    await send([other, ...common])
    await expect(send([EXAMPLE, ...common])).rejects.toThrow(/The checkpoint .* belongs to other input/)
    await expect(
      send([other, ...common, '--mapping', path.join(__dirname, '..', '..', 'examples', 'mapping.json')])
    ).rejects.toThrow(/belongs to a run with other subscriptions/)
    fs.writeFileSync(checkpoint, 'not a checkpoint\n')
    await expect(send([other, ...common])).rejects.toThrow('is not a checkpoint written by send')
  })
})
