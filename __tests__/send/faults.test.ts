import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import {
  cli,
  EXAMPLE,
  EXAMPLE_BATCHED_COUNTS,
  EXAMPLE_COUNTS,
  EXAMPLE_REJECTED_LINES,
  killChildren,
  MAPPING,
  readJsonLines,
  referenceState,
  removeTempDirs,
  send,
  targetArgs,
  tempDir,
  writes
} from './helpers'

afterEach(async () => {
  killChildren()
  await closeSimulators()
  removeTempDirs()
})

const quick = ['--quiet', '--rate', '0', '--retry-delay', '5']
/** One event at a time: the tests that count one retry per faulted request (batch.test.ts covers batches). */
const single = ['--batch-size', '1']

describe('delivery under injected faults', () => {
  it('acceptance: with 20% retryable faults every deliverable event is in the simulator exactly once, the rest dead-lettered with a reason', async () => {
    const sim = await simulator({
      rateLimit: 0,
      faults: { errorRates: { 500: 0.06, 503: 0.05, 429: 0.04 }, dropRate: 0.05, seed: 7 }
    })
    const deadLetter = path.join(tempDir(), 'dead.jsonl')
    const { result } = await send([
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      ...single,
      '--concurrency',
      '8',
      '--dead-letter',
      deadLetter
    ])
    const { summary } = result
    const state = sim.state()
    const faulted = state.requests.filter((request) => request.fault === 'error' || request.fault === 'drop').length
    expect(faulted).toBeGreaterThan(5)
    expect(summary.retries).toBe(faulted) // one retry per fault, the credentials check included
    expect(summary).toMatchObject({ ...EXAMPLE_COUNTS, requests: EXAMPLE_COUNTS.requests + faulted })

    // Exactly the writes of a fault-free run: nothing lost, nothing twice (a retried Identify Group does not
    // repeat its group profile call when only the membership call failed).
    expect(writes(state)).toEqual(writes(await referenceState(1)))
    expect(state.requests.filter((request) => request.status >= 200 && request.status < 300)).toHaveLength(
      EXAMPLE_COUNTS.requests
    )
    expect(state.dropped).toEqual([])

    const letters = readJsonLines(deadLetter)
    expect(letters.map((letter) => letter.line)).toEqual(EXAMPLE_REJECTED_LINES)
    expect(letters.every((letter) => letter.outcome === 'rejected' && letter.reason)).toBe(true)
  })

  it('dead-letters events whose retries run out as failed, with the reason and attempts, and exits 1', async () => {
    const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 503: 1 }, routes: ['userEvents'] } })
    const deadLetter = path.join(tempDir(), 'dead.jsonl')
    const { result } = await send([
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      '--max-retries',
      '2',
      '--dead-letter',
      deadLetter
    ])
    expect(result.summary).toMatchObject({ delivered: 16, failed: 30, rejected: 3, skipped: 5, retries: 60 })
    expect(result.summary.topFailedReasons).toEqual([
      {
        reason: expect.stringMatching(
          /^Appcues answered 503 Service Unavailable: .*Injected fault.*\(gave up after 3 attempts\)$/
        ),
        count: 30
      }
    ])
    expect(result.exitCode).toBe(1)
    const failed = readJsonLines(deadLetter).filter((letter) => letter.outcome === 'failed')
    expect(failed).toHaveLength(30)
    expect(failed[0]).toMatchObject({
      status: 503,
      attempts: 3,
      event: { type: expect.stringMatching(/page|track|screen/) }
    })
    expect(sim.state().counts).toMatchObject({ events: 0, profileUpdates: 9, groupUpdates: 4, memberships: 3 })
  })

  it('waits out many backoffs at once in the real CLI without a listener-leak warning', async () => {
    const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 503: 1 }, routes: ['userEvents'] } })
    const child = cli([
      'send',
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      ...single,
      '--concurrency',
      '32',
      '--max-retries',
      '1',
      '--retry-delay',
      '1000',
      '--json',
      '--dead-letter',
      path.join(tempDir(), 'dead.jsonl')
    ])
    const { code } = await child.exit
    expect(JSON.parse(child.stdout())).toMatchObject({ failed: 30, retries: 30 })
    expect(code).toBe(1)
    expect(child.stderr()).not.toContain('MaxListenersExceededWarning')
  }, 30_000)

  it('retries only the failed call of a two-call action: the group profile is written once per group event', async () => {
    const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 500: 0.5 }, routes: ['groupUsers'], seed: 3 } })
    const { result } = await send([
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      ...single,
      // The dice fall in the order requests arrive, which concurrency varies: enough retries that none runs out.
      '--max-retries',
      '15',
      '--dead-letter',
      path.join(tempDir(), 'd.jsonl')
    ])
    const state = sim.state()
    expect(
      state.requests.filter((request) => request.route === 'groupUsers' && request.status === 500).length
    ).toBeGreaterThan(0)
    expect(state.requests.filter((request) => request.route === 'groupProfile')).toHaveLength(7)
    expect(result.summary).toMatchObject({ delivered: 46, failed: 0 })
    expect(writes(state)).toEqual(writes(await referenceState(1)))
  })

  it('survives slow answers and added latency', async () => {
    const sim = await simulator({
      rateLimit: 0,
      faults: { slowBodyRate: 0.2, slowBodyMs: 100, latencyMs: [0, 20], seed: 5 }
    })
    const { result } = await send([
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      '--dead-letter',
      path.join(tempDir(), 'd.jsonl')
    ])
    expect(result.summary).toMatchObject({ ...EXAMPLE_BATCHED_COUNTS, retries: 0 })
    expect(sim.state().requests.some((request) => request.fault === 'slow')).toBe(true)
    expect(writes(sim.state())).toEqual(writes(await referenceState()))
  })

  it('stops the run when Appcues refuses the credentials mid-run, and a resume with the checkpoint finishes the job once', async () => {
    const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 401: 1 }, routes: ['userEvents'] } })
    const dir = tempDir()
    const args = [
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      ...single,
      '--checkpoint',
      path.join(dir, 'cp'),
      '--dead-letter',
      path.join(dir, 'd.jsonl')
    ]
    const first = await send(args)
    expect(first.result.exitCode).toBe(1)
    expect(first.result.summary.stopped).toMatch(
      /^Appcues answered 401 Unauthorized: .* Nothing more was sent\. Fix the settings/
    )
    expect(first.result.summary.failed).toBeGreaterThan(0)
    expect(first.result.summary.read).toBeLessThan(EXAMPLE_COUNTS.read)
    expect(readJsonLines(path.join(dir, 'd.jsonl')).filter((letter) => letter.outcome === 'failed')).toEqual([])

    sim.setFaults({})
    const second = await send(args)
    expect(second.result.summary).toMatchObject({ failed: 0, stopped: null })
    expect(writes(sim.state())).toEqual(writes(await referenceState(1)))
  })

  it('fails only the deletions, and goes on, when the Legacy API key is refused', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const deadLetter = path.join(tempDir(), 'd.jsonl')
    const args = [EXAMPLE, ...targetArgs(sim).slice(0, -2), '--legacy-api-key', 'wrong-legacy', ...quick]
    const { result } = await send([...args, '--mapping', MAPPING, '--dead-letter', deadLetter])
    expect(result.summary).toMatchObject({ delivered: 45, failed: 1, skipped: 5, rejected: 3, stopped: null })
    const [failed] = readJsonLines(deadLetter).filter((letter) => letter.outcome === 'failed')
    expect(failed).toMatchObject({ subscription: 'Erase users', action: 'deleteUser', status: 401, line: 46 })
    expect(failed.reason).toContain('Legacy API Key')
    expect(JSON.stringify(readJsonLines(deadLetter))).not.toContain('wrong-legacy')
  })
})
