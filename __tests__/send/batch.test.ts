import fs from 'fs'
import path from 'path'
import { PassThrough } from 'stream'
import { defaultValues } from '@segment/actions-core'
import { mixedStream } from '../../bench/lib/stream'
import destination from '../../src/destinations/appcues'
import { parseSendArgs, sendHelp } from '../../src/cli/send'
import type { SendSummary } from '../../src/cli/send'
import type { SimulatorState } from '../../src/simulator'
import { closeSimulators, simulator } from '../simulator/helpers'
import { closeProxies, proxyInFront, targetThrough } from './__helpers__/proxy'
import {
  cli,
  EXAMPLE,
  EXAMPLE_BATCHED_COUNTS,
  EXAMPLE_COUNTS,
  readJsonLines,
  referenceState,
  removeTempDirs,
  send,
  targetArgs,
  tempDir,
  waitFor,
  writes,
  UNTHROTTLED
} from './helpers'

afterEach(async () => {
  await closeProxies()
  await closeSimulators()
  removeTempDirs()
})

const quick = ['--quiet', '--rate', '0', '--retry-delay', '5']

function writeLines(name: string, events: unknown[]): string {
  const file = path.join(tempDir(), name)
  fs.writeFileSync(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`)
  return file
}

/** The fixed benchmark stream (repeated users and groups, every event valid) as a JSON-lines file. */
function streamFile(count: number): string {
  return writeLines('stream.jsonl', mixedStream(count))
}

function deadLetterArgs(name = 'dead.jsonl'): string[] {
  return ['--dead-letter', path.join(tempDir(), name)]
}

function outcomes(summary: SendSummary) {
  const { read, delivered, skipped, rejected, failed, malformed } = summary
  return { read, delivered, skipped, rejected, failed, malformed }
}

/** What Appcues ends up holding, whatever the number of profile updates it took: events, profiles and groups. */
function holdings(state: SimulatorState) {
  const sortedMembers = Object.fromEntries(
    Object.entries(state.groupProfiles).map(([id, group]) => [id, { ...group, members: [...group.members].sort() }])
  )
  return { events: writes(state).events, users: state.users, groups: sortedMembers }
}

describe('send --batch-size', () => {
  it('defaults to 100, accepts 1 to 1000 and is in the help', () => {
    expect(parseSendArgs([EXAMPLE]).batchSize).toBe(100)
    expect(parseSendArgs([EXAMPLE, '--batch-size', '1']).batchSize).toBe(1)
    expect(parseSendArgs([EXAMPLE, '--batch-size=1000']).batchSize).toBe(1000)
    expect(() => parseSendArgs([EXAMPLE, '--batch-size', '0'])).toThrow(
      '--batch-size must be a whole number from 1 to 1000, got 0.'
    )
    expect(() => parseSendArgs([EXAMPLE, '--batch-size', '1001'])).toThrow('from 1 to 1000')
    expect(sendHelp().join('\n')).toMatch(/--batch-size <N> [^-]*default 100/)
  })

  // Each run of these tests waits only for its own work (no timer, no polling): the timeout is a backstop for a
  // loaded machine, not a speed bound.
  it('counts every outcome exactly with batching on, with fewer requests than one event at a time', async () => {
    const single = await send([EXAMPLE, ...UNTHROTTLED, '--batch-size', '1', ...deadLetterArgs('a.jsonl')])
    const batched = await send([EXAMPLE, ...UNTHROTTLED, ...deadLetterArgs('b.jsonl')])
    expect(single.result.summary).toMatchObject({ ...EXAMPLE_COUNTS, batchSize: 1 })
    expect(batched.result.summary).toMatchObject({ ...EXAMPLE_BATCHED_COUNTS, batchSize: 100, retries: 0 })
    expect(batched.result.summary.requests).toBeLessThan(single.result.summary.requests)
    expect(batched.result.simulatorState?.counts.requests).toBe(batched.result.summary.requests)
    expect(holdings(batched.result.simulatorState!)).toEqual(holdings(single.result.simulatorState!))
    // The summary says that one of its requests was the credential check, and the simulator saw exactly one.
    expect(batched.stdout.join('\n')).toMatch(
      /requests\s+47\s+including 1 credential check; 0 retries, batches of up to 100 events/
    )
    expect(batched.result.simulatorState!.requests.filter((request) => request.route === 'tags')).toHaveLength(1)
  }, 60_000)

  it('merges the repeated profile updates of a stream within each batch, with the same holdings', async () => {
    const file = streamFile(500)
    const one = await send([file, ...UNTHROTTLED, '--batch-size', '1', ...deadLetterArgs()])
    const many = await send([file, ...UNTHROTTLED, ...deadLetterArgs()])
    expect(outcomes(many.result.summary)).toEqual({ ...outcomes(one.result.summary), read: 500, delivered: 500 })
    // The stream repeats 200 users and 20 groups: their profile updates are merged within each batch.
    expect(many.result.summary.requests).toBeLessThan(one.result.summary.requests * 0.92)
    expect(many.result.simulatorState!.counts.requests).toBe(many.result.summary.requests)
    expect(many.result.simulatorState!.counts.profileUpdates).toBeLessThan(
      one.result.simulatorState!.counts.profileUpdates
    )
    expect(holdings(many.result.simulatorState!)).toEqual(holdings(one.result.simulatorState!))
  }, 120_000)

  it('delivers the valid events of a batch and dead-letters each invalid one with its own reason', async () => {
    const long = 'x'.repeat(200)
    const file = writeLines('mixed.jsonl', [
      { type: 'identify', userId: 'u1', traits: { plan: 'free', seats: 1 } },
      { type: 'identify', anonymousId: 'a1', traits: { plan: 'free' } },
      { type: 'track', userId: 'u1', event: 'Clicked', timestamp: '2024-05-01T09:00:00Z' },
      { type: 'track', userId: 'u1', event: long, timestamp: '2024-05-01T09:01:00Z' },
      { type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
      { type: 'track', userId: 'u2', event: 'Opened', timestamp: 'not a date' },
      { type: 'identify', userId: 'u2', traits: { company: { name: 'A' }, company_name: 'B' } },
      { type: 'identify', userId: 'u2', traits: { plan: 'team' } },
      { type: 'group', userId: 'u1', groupId: 'g1', traits: { name: 'G' } },
      { type: 'group', userId: 'u2', traits: { name: 'no id' } },
      { type: 'track', userId: 'u2', event: 'Opened', timestamp: '2024-05-01T09:02:00Z' }
    ])
    const deadLetter = path.join(tempDir(), 'dead.jsonl')
    const { result } = await send([file, ...UNTHROTTLED, '--dead-letter', deadLetter])
    // The anonymous identify call (line 2) matches no preset: presets take calls with a User ID only.
    expect(result.summary).toMatchObject({ read: 11, delivered: 6, rejected: 4, failed: 0, skipped: 1 })
    // 1 credentials check, one profile update per user (u1's two identify calls merged), 2 events, 1 group, 1 membership
    expect(result.summary.requests).toBe(7)
    const letters = readJsonLines(deadLetter).sort((a, b) => a.line - b.line)
    expect(
      letters.map(({ line, subscription, outcome, status, attempts }) => ({
        line,
        subscription,
        outcome,
        status,
        attempts
      }))
    ).toEqual([
      { line: 4, subscription: 'Track Calls', outcome: 'rejected', status: 400, attempts: 1 },
      { line: 6, subscription: 'Track Calls', outcome: 'rejected', status: 400, attempts: 1 },
      { line: 7, subscription: 'Identify Calls', outcome: 'rejected', status: 400, attempts: 1 },
      { line: 10, subscription: 'Group Calls', outcome: 'rejected', status: 400, attempts: 1 }
    ])
    expect(letters.map((letter) => letter.reason)).toEqual([
      'Event Name must be 127 characters or fewer but it was 200 characters.',
      'Timestamp must be a valid date-like string but it was not.',
      expect.stringContaining('two values for the Appcues attribute "company_name"'),
      "The root value is missing the required field 'groupId'."
    ])
    const state = result.simulatorState!
    expect(state.profiles.map(({ userId, attributes }) => ({ userId, attributes }))).toEqual([
      { userId: 'u1', attributes: { plan: 'pro', seats: 1 } },
      { userId: 'u2', attributes: { plan: 'team' } }
    ])
    expect(state.events.map((event) => `${event.userId} ${event.name}`).sort()).toEqual(['u1 Clicked', 'u2 Opened'])
    expect(state.groupProfiles).toEqual({ g1: { attributes: { name: 'G' }, members: ['u1'] } })
  })

  it('retries whole batches refused with 429 until they recover, and delivers every event exactly once', async () => {
    const sim = await simulator({ rateLimit: 0 })
    // Every distinct request to Appcues' data routes is refused with 429 the first time it is sent.
    const refused = new Set<string>()
    const url = await proxyInFront(sim.url, (req, body) => {
      const key = `${req.method ?? ''} ${req.url ?? ''} ${body.toString()}`
      if (req.url?.endsWith('/tags') || refused.has(key)) return 'forward'
      refused.add(key)
      return { status: 429, body: { error: true, status: 429, title: 'Too Many Requests', detail: 'Slow down.' } }
    })
    const { result } = await send([EXAMPLE, ...targetThrough(sim, url), ...quick, ...deadLetterArgs()])
    const state = sim.state()
    // 9 profile updates, 30 events and 4 group updates refused in the first round, 3 membership calls in the second.
    expect(refused.size).toBe(46)
    expect(result.summary).toMatchObject({
      ...EXAMPLE_BATCHED_COUNTS,
      requests: EXAMPLE_BATCHED_COUNTS.requests + refused.size,
      failed: 0
    })
    // Each deliverable event is retried once; the 6 events that add a user to a group twice (their group update
    // succeeded in the second round and is not sent again in the third).
    expect(result.summary.retries).toBe(46 + 6)
    expect(state.requests).toHaveLength(EXAMPLE_BATCHED_COUNTS.requests)
    expect(writes(state)).toEqual(writes(await referenceState()))
  })

  it("honours Appcues' Retry-After within a batch: every request waits, and each event arrives once", async () => {
    const sim = await simulator({ rateLimit: 5 })
    const users = Array.from({ length: 12 }, (_, i) => `u${i}`)
    const file = writeLines(
      'identify.jsonl',
      users.map((userId, n) => ({ type: 'identify', userId, traits: { n } }))
    )
    const { result } = await send([file, ...targetArgs(sim), '--quiet', '--rate', '0', ...deadLetterArgs()])
    const { requests, profiles } = sim.state()
    const limited = requests.filter((request) => request.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(result.summary).toMatchObject({ delivered: 12, failed: 0, retries: limited.length })
    expect(profiles.map((profile) => profile.userId).sort()).toEqual([...users].sort())
    // After a 429, nothing new is sent until its Retry-After (1 s) has passed; requests already on their way when
    // the first 429 was answered get 250 ms to arrive.
    const firstLimited = limited[0].at
    expect(requests.filter((request) => request.at > firstLimited + 250 && request.at < firstLimited + 950)).toEqual([])
  })

  it.each([3, 11])(
    'with seeded 5xx faults and dropped connections (seed %i), retries only the failed events, each written once',
    async (seed) => {
      const file = streamFile(400)
      const sim = await simulator({
        rateLimit: 0,
        faults: { errorRates: { 500: 0.05, 503: 0.05 }, dropRate: 0.03, seed }
      })
      // Enough retries that no event runs out of them by chance (about one request in eight is faulted).
      const { result } = await send([file, ...targetArgs(sim), ...quick, '--max-retries', '8', ...deadLetterArgs()])
      const state = sim.state()
      const faulted = state.requests.filter((request) => request.fault === 'error' || request.fault === 'drop')
      expect(faulted.length).toBeGreaterThan(10)
      expect(result.summary).toMatchObject({ read: 400, delivered: 400, rejected: 0, failed: 0 })
      expect(result.summary.retries).toBeGreaterThanOrEqual(faulted.length)
      expect(state.requests).toHaveLength(result.summary.requests)
      // The writes of a fault-free run, each once: a retry re-sends only what failed (a group profile update that
      // succeeded is not repeated when only the membership call of its batch failed).
      const reference = await referenceState(undefined, file)
      expect(writes(state)).toEqual(writes(reference))
      expect(state.requests.filter((request) => request.status >= 200 && request.status < 300)).toHaveLength(
        reference.requests.length
      )
    }
  )

  it('stops on refused credentials mid-run without dead-lettering, and a resume finishes the job once', async () => {
    const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 401: 1 }, routes: ['userEvents'] } })
    const dir = tempDir()
    const deadLetter = path.join(dir, 'dead.jsonl')
    const args = [
      EXAMPLE,
      ...targetArgs(sim),
      ...quick,
      '--checkpoint',
      path.join(dir, 'cp'),
      '--dead-letter',
      deadLetter
    ]
    const first = await send(args)
    expect(first.result.exitCode).toBe(1)
    expect(first.result.summary.stopped).toMatch(/^Appcues answered 401 Unauthorized: .* Nothing more was sent\./)
    expect(first.result.summary.failed).toBeGreaterThan(0)
    // Only the rejected events are dead letters: the events refused with 401 are sent again by the resume.
    expect(readJsonLines(deadLetter).filter((letter) => letter.outcome !== 'rejected')).toEqual([])
    sim.setFaults({})
    const second = await send(args)
    expect(second.result.summary).toMatchObject({ failed: 0, stopped: null })
    expect(second.result.summary.alreadyDone).toBeGreaterThan(0)
    expect(writes(sim.state())).toEqual(writes(await referenceState()))
  })

  it('resumes a run stopped with Ctrl-C: the batches in flight finish, the ones still filling are sent on resume', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const dir = tempDir()
    const file = streamFile(600)
    const common = [file, ...targetArgs(sim), '--checkpoint', path.join(dir, 'cp'), ...deadLetterArgs()]
    const child = cli(['send', ...common, '--rate', '200', '--batch-size', '20', '--json', '--quiet'])
    await waitFor(() => sim.counts().requests >= 150, 15_000, 'the first run to be under way')
    child.kill('SIGINT')
    expect((await child.exit).code).toBe(1)
    const first = JSON.parse(child.stdout()) as SendSummary
    expect(first.stopped).toMatch(/^interrupted\./)
    expect(first.read).toBeLessThan(600)
    expect(first.requests).toBe(sim.counts().requests)

    const { result } = await send([...common, '--rate', '0', '--batch-size', '20', '--quiet'])
    const second = result.summary
    expect(second).toMatchObject({ failed: 0, rejected: 0, stopped: null })
    expect(second.alreadyDone + second.read).toBe(600)
    // Every event delivered once over the two runs; events stopped before their batch was sent count as failed in
    // the first run and are delivered by the second.
    expect(first.delivered + second.delivered).toBe(600)
    expect(first.failed).toBe(first.read - first.delivered)
    // Not sent: still filling a batch, or (one event at a time) waiting for an earlier event of the same user.
    expect(
      first.topFailedReasons.every((failure) => /^Not sent: the run stopped (before|while)/.test(failure.reason))
    ).toBe(true)
    expect(first.topFailedReasons.reduce((sum, failure) => sum + failure.count, 0)).toBe(first.failed)
    expect(holdings(sim.state())).toEqual(holdings(await referenceState(20, file)))
    expect(readJsonLines(path.join(dir, 'dead.jsonl'))).toEqual([])
  }, 30_000)

  it('resumes a run killed with SIGKILL half-way through a batch: the batch is re-formed, no answered call is sent again', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const dir = tempDir()
    const checkpoint = path.join(dir, 'cp')
    // 60 identify calls for 5 users in turn: a batch of 10 sends one merged profile update per user, 5 in all.
    const file = writeLines(
      'identify.jsonl',
      Array.from({ length: 60 }, (_, n) => ({ type: 'identify', userId: `u${n % 5}`, traits: { n } }))
    )
    // The credentials check, three batches and two updates of the fourth get through; the other three updates of
    // the fourth are held unanswered when the run is killed.
    const counts = { forwarded: 0, held: 0 }
    const url = await proxyInFront(sim.url, () => {
      if (counts.forwarded >= 18) {
        counts.held++
        return 'hold'
      }
      counts.forwarded++
      return 'forward'
    })
    const common = [file, '--checkpoint', checkpoint, ...deadLetterArgs()]
    const child = cli(['send', ...common, '--batch-size', '10', ...targetThrough(sim, url), '--rate', '0', '--quiet'])
    const answeredCalls = () =>
      fs
        .readFileSync(checkpoint, 'utf8')
        .split('\n')
        .filter((entry) => entry.startsWith('c ')).length
    await waitFor(() => counts.held === 3 && answeredCalls() === 17, 15_000, 'two updates of the fourth batch')
    child.kill('SIGKILL')
    expect((await child.exit).signal).toBe('SIGKILL')
    expect(sim.state().counts.profileUpdates).toBe(17)

    // Resumed with larger batches: the fourth batch is still sent as it was (lines 31 to 40), so that its merged
    // updates are the same and the two answered ones are recognised; then lines 41 to 60 go as one batch.
    const { result, stderr } = await send([
      ...common,
      '--batch-size',
      '20',
      ...targetArgs(sim),
      '--rate',
      '0',
      '--quiet'
    ])
    expect(stderr).toContainEqual(
      expect.stringMatching(/^Resuming from .*: 30 lines were finished by an earlier run\.$/)
    )
    expect(result.summary).toMatchObject({ alreadyDone: 30, read: 30, delivered: 30, failed: 0, requests: 1 + 3 + 5 })
    const state = sim.state()
    expect(state.counts.profileUpdates).toBe(17 + 3 + 5)
    expect(new Set(writes(state).profiles).size).toBe(state.profiles.length) // none twice
    expect(state.users).toEqual((await referenceState(10, file)).users)
    // Once every line is finished, the checkpoint forgets the batches and their calls.
    const snapshot = JSON.parse(fs.readFileSync(checkpoint, 'utf8').split('\n')[0])
    expect(snapshot).toMatchObject({ lowWaterMark: 60, done: [], partial: {} })
    expect(snapshot.calls).toBeUndefined()
    expect(snapshot.batches).toBeUndefined()
  }, 30_000)

  it.each([
    ['one event at a time', '1'],
    ['in a batch', '100']
  ])(
    'does not repeat the answered first call of a two-call action after a kill (%s)',
    async (_mode, batchSize) => {
      // The group profile update is answered; the membership call gets 503 and waits for a long retry, in which the
      // run is killed. The resumed run sends the membership call only.
      const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 503: 1 }, routes: ['groupUsers'] } })
      const dir = tempDir()
      const file = writeLines('group.jsonl', [{ type: 'group', groupId: 'g1', userId: 'u1', traits: { name: 'G' } }])
      const common = [file, ...targetArgs(sim), '--checkpoint', path.join(dir, 'cp'), ...deadLetterArgs()]
      const child = cli(['send', ...common, '--batch-size', batchSize, '--retry-delay', '60000', '--quiet'])
      await waitFor(() => sim.state().requests.some((request) => request.status === 503), 15_000, 'the first 503')
      child.kill('SIGKILL')
      await child.exit
      sim.setFaults({})
      const { result } = await send([...common, '--batch-size', batchSize, '--quiet'])
      expect(result.summary).toMatchObject({ read: 1, delivered: 1, failed: 0, requests: 2 })
      expect(sim.state().counts).toMatchObject({ groupUpdates: 1, memberships: 1 })
    },
    30_000
  )

  it('after a kill, still sends an event whose identical twin was delivered while it failed', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const dir = tempDir()
    const checkpoint = path.join(dir, 'cp')
    const twin = { type: 'track', userId: 'u1', event: 'Clicked', timestamp: '2024-05-01T09:00:00Z' }
    const file = writeLines('twins.jsonl', [twin, twin])
    // The first copy of the call is delivered, the second refused with 503; the run is killed in the long backoff.
    let copies = 0
    const url = await proxyInFront(sim.url, (req) => {
      if (!req.url?.endsWith('/events') || ++copies !== 2) return 'forward'
      return { status: 503, body: { error: true, status: 503, title: 'Service Unavailable', detail: 'Try again.' } }
    })
    const common = [file, '--checkpoint', checkpoint, ...deadLetterArgs()]
    const child = cli(['send', ...common, ...targetThrough(sim, url), '--retry-delay', '60000', '--quiet'])
    // Track Event takes one event at a time: the first copy's line is finished, the second is in its backoff.
    const firstDone = () => fs.readFileSync(checkpoint, 'utf8').split('\n').includes('1')
    await waitFor(() => copies === 2 && firstDone(), 15_000, 'the first copy to be finished')
    child.kill('SIGKILL')
    await child.exit
    expect(sim.state().counts.events).toBe(1)

    const { result } = await send([...common, ...targetArgs(sim), '--rate', '0', '--quiet'])
    expect(result.summary).toMatchObject({ alreadyDone: 1, read: 1, delivered: 1, failed: 0, requests: 1 + 1 })
    expect(sim.state().counts.events).toBe(2)
  }, 30_000)

  it('sends a partial batch once its oldest event is ten batch sizes of lines behind the reader', async () => {
    const tracks = Array.from({ length: 28 }, (_, i) => ({ type: 'track', userId: 'u2', event: `E${i}` }))
    const file = writeLines('lag.jsonl', [
      { type: 'identify', userId: 'u1', traits: { a: 1 } },
      ...tracks,
      { type: 'identify', userId: 'u1', traits: { b: 2 } }
    ])
    // Batches of 2: the first identify call waits at most 20 lines, so the two are sent apart.
    const small = await send([file, ...UNTHROTTLED, '--batch-size', '2', ...deadLetterArgs()])
    expect(small.result.summary).toMatchObject({ delivered: 30, failed: 0 })
    expect(small.result.simulatorState!.profiles.map((profile) => profile.attributes)).toEqual([{ a: 1 }, { b: 2 }])
    // Batches of 5 wait up to 50 lines: the two are merged.
    const large = await send([file, ...UNTHROTTLED, '--batch-size', '5', ...deadLetterArgs()])
    expect(large.result.simulatorState!.profiles.map((profile) => profile.attributes)).toEqual([{ a: 1, b: 2 }])
  })

  it('sends the partial batches when standard input goes quiet, without waiting for more events', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const stdin = new PassThrough()
    const running = send(['-', ...targetArgs(sim), ...quick, ...deadLetterArgs()], { stdin })
    stdin.write(`${JSON.stringify({ type: 'identify', userId: 'u1', traits: { a: 1 } })}\n`)
    stdin.write(`${JSON.stringify({ type: 'track', userId: 'u1', event: 'Opened' })}\n`)
    await waitFor(() => sim.counts().events === 1 && sim.counts().profileUpdates === 1, 10_000, 'the quiet flush')
    stdin.end(`${JSON.stringify({ type: 'identify', userId: 'u1', traits: { b: 2 } })}\n`)
    const { result } = await running
    expect(result.summary).toMatchObject({ read: 3, delivered: 3, failed: 0 })
    expect(sim.state().profiles.map((profile) => profile.attributes)).toEqual([{ a: 1 }, { b: 2 }])
  })

  it('sends one event at a time for an action without performBatch and for a mapping that turns batching off', async () => {
    const dir = tempDir()
    const mapping = (profiles: Record<string, unknown>) => {
      const file = path.join(dir, `mapping-${Object.keys(profiles).length}.json`)
      fs.writeFileSync(
        file,
        JSON.stringify([
          {
            name: 'Legacy track',
            subscribe: 'type = "track"',
            partnerAction: 'send',
            mapping: defaultValues(destination.actions.send.fields)
          },
          { name: 'Profiles', subscribe: 'type = "identify"', partnerAction: 'identifyUser', mapping: profiles }
        ])
      )
      return file
    }
    const profileMapping = { userId: { '@path': '$.userId' }, traits: { '@path': '$.traits' } }
    const file = writeLines('events.jsonl', [
      ...[1, 2, 3, 4].map((n) => ({ type: 'identify', userId: 'u1', traits: { n } })),
      ...[1, 2, 3].map((n) => ({ type: 'track', userId: 'u1', event: `E${n}`, timestamp: '2024-05-01T09:00:00Z' }))
    ])
    const off = await send([
      file,
      ...UNTHROTTLED,
      '--mapping',
      mapping({ ...profileMapping, enable_batching: false }),
      ...deadLetterArgs()
    ])
    expect(off.result.summary).toMatchObject({ read: 7, delivered: 7, failed: 0 })
    expect(off.result.simulatorState!.counts).toMatchObject({ profileUpdates: 4, segmentMessages: 3 })

    const on = await send([file, ...UNTHROTTLED, '--mapping', mapping(profileMapping), ...deadLetterArgs()])
    expect(on.result.summary).toMatchObject({ read: 7, delivered: 7, failed: 0 })
    expect(on.result.simulatorState!.counts).toMatchObject({ profileUpdates: 1, segmentMessages: 3 })
    expect(on.result.simulatorState!.users).toEqual({ u1: { n: 4 } })
  })
})
