import fs from 'fs'
import path from 'path'
import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../src/destinations/appcues'
import { parseSendArgs, runSend } from '../../src/cli/send'
import type { SendSummary } from '../../src/cli/send'
import { presetSubscriptions } from '../../src/cli/send/route/subscriptions'
import { routeAppcuesHostsTo, startSimulator } from '../../src/simulator'
import type { FaultOptions, RouteName, Simulator, SimulatorOptions, SimulatorState } from '../../src/simulator'
import { seededRandom } from '../../src/simulator/random'
import { checkLedger, checkpointDone, countWrites, readJsonLines, writeKey } from './ledger'
import type { LedgerReport } from './ledger'
import { cleanUp, cli, cliToEnd, sleep, tempDir, waitFor } from './processes'
import { EVENTS, KILLS, printCounts, SEED, streamTimeout } from './sizes'
import { generateStream, marker } from './stream'
import type { EventStream } from './stream'

const DATA_ROUTES: RouteName[] = ['userProfile', 'userEvents', 'groupProfile', 'groupUsers']
/** Retries come quickly (the delays of a real run add nothing to what is checked). */
const QUICK = ['--quiet', '--retry-delay', '10']

const stream = generateStream(SEED, EVENTS)
const deliverableRequests = [...stream.events.values()].reduce((sum, entry) => sum + entry.writes.length, 0)
const counts: Record<string, unknown> = {}
const simulators: Simulator[] = []

let dir: string
let input: string

async function simulator(options: SimulatorOptions): Promise<Simulator> {
  const started = await startSimulator({ host: '127.0.0.1', ...options })
  simulators.push(started)
  return started
}

function targetArgs(sim: Simulator): string[] {
  const { accountId, apiKey, apiSecret, legacyApiKey } = sim.credentials
  return [
    '--endpoint',
    sim.url,
    '--account-id',
    String(accountId),
    '--api-key',
    apiKey,
    '--api-secret',
    apiSecret,
    '--legacy-api-key',
    legacyApiKey
  ]
}

/** `send` in this process, as the CLI runs it (the kill tests below run the real executable). */
async function sendInProcess(args: string[]): Promise<SendSummary> {
  const { summary } = await runSend(parseSendArgs(args, {}), { stdout: () => undefined, stderr: () => undefined })
  return summary
}

/**
 * 5xx bursts: while the simulator's request count is inside a window, every data request gets a 5xx; outside,
 * the `between` faults apply. The windows are request counts, so a slow machine lengthens a burst, never skips it.
 */
function burstsOf(sim: Simulator, windows: Array<[number, number]>, between: FaultOptions) {
  const during: FaultOptions = {
    errorRates: { 500: 0.25, 502: 0.25, 503: 0.25, 504: 0.25 },
    routes: DATA_ROUTES,
    seed: SEED
  }
  let inside = false
  let bursts = 0
  const timer = setInterval(() => {
    const requests = sim.counts().requests
    const now = windows.some(([start, end]) => requests >= start && requests < end)
    if (now === inside) return
    inside = now
    if (now) bursts++
    sim.setFaults(now ? during : between)
  }, 2)
  return {
    stop: () => {
      clearInterval(timer)
      return bursts
    }
  }
}

function burstWindows(random: () => number): Array<[number, number]> {
  const length = Math.max(40, Math.round(deliverableRequests * 0.12))
  const first = Math.round(deliverableRequests * (0.1 + 0.2 * random()))
  const second = Math.round(deliverableRequests * (0.5 + 0.2 * random()))
  return [
    [first, first + length],
    [second, second + length]
  ]
}

const faultsOf = (state: SimulatorState) => ({
  requests: state.requests.length,
  '429': state.requests.filter((request) => request.status === 429).length,
  '5xx': state.requests.filter((request) => request.status >= 500).length,
  dropped: state.requests.filter((request) => request.fault === 'drop').length,
  slow: state.requests.filter((request) => request.fault === 'slow').length
})

/** The summary must tell the same story as the simulator and the dead-letter file. */
function expectSummaryAgrees(summary: SendSummary, report: LedgerReport, data: EventStream) {
  expect(summary).toMatchObject({
    read: data.events.size,
    malformed: data.malformedLines.length,
    delivered: report.delivered,
    failed: report.deadLetteredFailed,
    rejected: report.rejected,
    skipped: report.skipped,
    stopped: null
  })
}

beforeAll(() => {
  dir = tempDir()
  input = path.join(dir, 'events.jsonl')
  fs.writeFileSync(input, stream.text)
})

afterEach(async () => {
  await Promise.all(simulators.splice(0).map((started) => started.close()))
})

afterAll(() => {
  cleanUp()
  printCounts('faults', { events: EVENTS, lines: stream.totalLines, ...counts })
})

interface Scenario {
  name: string
  simulator: SimulatorOptions
  bursts?: boolean
  args?: string[]
  /** Which fault must have happened for the scenario to mean anything. */
  happened: (faults: ReturnType<typeof faultsOf>) => number
}

const MIXED: FaultOptions = {
  errorRates: { 429: 0.05, 500: 0.05, 502: 0.03, 503: 0.05, 504: 0.02 },
  dropRate: 0.08,
  slowBodyRate: 0.1,
  slowBodyMs: 150,
  latencyMs: [0, 20],
  routes: DATA_ROUTES,
  seed: SEED
}

const SCENARIOS: Scenario[] = [
  {
    name: '429 storm (account limit of 40/s against an uncapped send, plus injected 429s)',
    simulator: { rateLimit: 40, faults: { errorRates: { 429: 0.25 }, routes: DATA_ROUTES, seed: SEED } },
    args: ['--rate', '0'],
    happened: (faults) => faults['429']
  },
  {
    name: '5xx bursts (two windows where every data request fails; 2 retries, so some events run out)',
    simulator: { rateLimit: 0 },
    bursts: true,
    args: ['--rate', '0', '--max-retries', '2'],
    happened: (faults) => faults['5xx']
  },
  {
    name: 'dropped connections (20% closed without an answer)',
    simulator: { rateLimit: 0, faults: { dropRate: 0.2, routes: DATA_ROUTES, seed: SEED } },
    args: ['--rate', '0'],
    happened: (faults) => faults.dropped
  },
  {
    name: 'slow responses (40% of answers trickle over 250 ms, plus latency)',
    simulator: { rateLimit: 0, faults: { slowBodyRate: 0.4, slowBodyMs: 250, latencyMs: [0, 40], seed: SEED } },
    args: ['--rate', '0'],
    happened: (faults) => faults.slow
  },
  {
    name: 'mixed (the account limit, 429s, 5xx, drops, slow answers and 5xx bursts together)',
    simulator: { rateLimit: 60, faults: MIXED },
    bursts: true,
    args: ['--rate', '0'],
    happened: (faults) => Math.min(faults['429'], faults['5xx'], faults.dropped, faults.slow)
  }
]

describe('send under faults: every deliverable event stored exactly once, or dead-lettered with its reason', () => {
  SCENARIOS.forEach((scenario, index) => {
    it(
      scenario.name,
      async () => {
        const sim = await simulator(scenario.simulator)
        const deadLetter = path.join(dir, `scenario-${index}.dead.jsonl`)
        const burster = scenario.bursts
          ? burstsOf(sim, burstWindows(seededRandom(SEED + index)), scenario.simulator.faults ?? {})
          : undefined
        let summary: SendSummary
        let bursts = 0
        try {
          summary = await sendInProcess([
            input,
            ...targetArgs(sim),
            ...QUICK,
            ...(scenario.args ?? []),
            '--dead-letter',
            deadLetter
          ])
        } finally {
          bursts = burster?.stop() ?? 0
        }
        const state = sim.state()
        const report = checkLedger(stream, state, readJsonLines(deadLetter))
        expectSummaryAgrees(summary, report, stream)
        expect(state.dropped).toEqual([])
        const faults = faultsOf(state)
        expect(scenario.happened(faults)).toBeGreaterThan(0)
        if (scenario.bursts) expect(bursts).toBeGreaterThan(0)
        counts[`scenario ${index + 1}`] = { ...report, faults, bursts, retries: summary.retries }
      },
      streamTimeout(120_000)
    )
  })
})

/** Lines whose writes are all stored but that the checkpoint does not list as finished. */
function answeredButNotRecorded(data: EventStream, state: SimulatorState, checkpoint: string): number[] {
  const { counts: stored } = countWrites(state)
  const done = checkpointDone(checkpoint)
  return [...data.events.values()]
    .filter((entry) => entry.writes.length > 0 && !done(entry.line))
    .filter((entry) => entry.writes.every((write) => (stored.get(writeKey(write)) ?? 0) > 0))
    .map((entry) => entry.line)
}

/** Lines with at least one write stored that the checkpoint does not list as finished: a resume runs them again. */
function unrecorded(data: EventStream, state: SimulatorState, checkpoint: string): number[] {
  const { counts: stored } = countWrites(state)
  const done = checkpointDone(checkpoint)
  return [...data.events.values()]
    .filter((entry) => !done(entry.line))
    .filter((entry) => entry.writes.some((write) => (stored.get(writeKey(write)) ?? 0) > 0))
    .map((entry) => entry.line)
}

/**
 * `send` now records answered calls in its checkpoint, so a resumed run does not repeat them (the dedicated test
 * "a resumed run does not repeat a call whose answer the killed run had received" holds). The random kill scenarios
 * still allow, as an upper bound counted at each kill from what the simulator holds and what the checkpoint lists,
 * the writes of lines unfinished at the kill: with batching, a batch held mid-way by the paused simulator never
 * finishes its lines, so waiting for every answered line to be recorded (the `false` mode) cannot end.
 */
const ALLOW_KNOWN_RESEND_OF_UNFINISHED_LINES = true

interface KillRun {
  kills: number
  /** Writes that may be stored once more (the documented resend, and the known issue above), by write. */
  allowedExtra: Map<string, number>
  /** Writes the simulator processed after a kill for the killed run: the documented resend. */
  processedAfterKill: number
  /** Lines unfinished at a kill although some of their calls had been answered: the known issue. */
  unfinishedAtKill: number
  final: { code: number | null; stdout: string; stderr: string }
}

function allow(allowed: Map<string, number>, key: string): void {
  allowed.set(key, (allowed.get(key) ?? 0) + 1)
}

/** The writes stored at or after `since`, by the keys of the ledger. */
function writesSince(state: SimulatorState, since: string): string[] {
  const keys: string[] = []
  const marked = (collection: string, records: Array<{ receivedAt: string; attributes: Record<string, unknown> }>) => {
    for (const record of records) {
      if (record.receivedAt < since) continue
      for (const key of Object.keys(record.attributes)) if (/^rid_\d+$/.test(key)) keys.push(`${collection} ${key}`)
    }
  }
  marked('profiles', state.profiles)
  marked('events', state.events)
  marked('groups', state.groups)
  for (const record of state.memberships) {
    if (record.receivedAt < since) continue
    for (const userId of record.userIds) keys.push(`memberships ${JSON.stringify([record.groupId, userId])}`)
  }
  return keys
}

/** A fingerprint of the files a run writes as it makes progress. */
function progressOf(files: string[]): string {
  return files
    .map((file) => (fs.existsSync(file) ? `${fs.statSync(file).size}:${fs.statSync(file).mtimeMs}` : '-'))
    .join()
}

/**
 * With requests held, waits until the killed-to-be run has recorded every line whose calls were all answered, or,
 * while the known issue is allowed, until it makes no more progress (a line in a batch still in flight is never
 * recorded before the batch finishes).
 */
async function settle(sim: Simulator, data: EventStream, checkpoint: string, deadLetter: string): Promise<void> {
  let last = progressOf([checkpoint, deadLetter])
  let since = Date.now()
  await waitFor(
    () => {
      if (answeredButNotRecorded(data, sim.state(), checkpoint).length === 0) return true
      const now = progressOf([checkpoint, deadLetter])
      if (now !== last) {
        last = now
        since = Date.now()
      }
      return ALLOW_KNOWN_RESEND_OF_UNFINISHED_LINES && Date.now() - since > 1500
    },
    60_000,
    'the run to record every line whose calls were all answered'
  )
}

/**
 * Runs the real executable with a checkpoint, SIGKILLs it at seeded points of its traffic and resumes it, then
 * lets the last run finish. Before each kill the simulator holds new requests (pause) and the test waits until the
 * run has recorded what it was answered: every answer it was sent then reached it. Whatever the simulator still
 * processes after the kill came from a request whose answer never reached the killed run, the one resend the docs
 * allow; it is counted write by write (normally none, since held requests of a dead client are dropped).
 */
async function killAndResume(
  sim: Simulator,
  args: string[],
  seed: number,
  data: EventStream,
  files: { checkpoint: string; deadLetter: string }
): Promise<KillRun> {
  const random = seededRandom(seed)
  const allowedExtra = new Map<string, number>()
  let kills = 0
  let unfinishedAtKill = 0
  let processedAfterKill = 0
  for (let attempt = 0; attempt < KILLS; attempt++) {
    const child = cli(['send', ...args])
    let exited = false
    void child.exit.then(() => (exited = true))
    const killAt = sim.counts().requests + 3 + Math.floor(random() * ((1.6 * deliverableRequests) / (KILLS + 1)))
    await waitFor(() => exited || sim.counts().requests >= killAt, streamTimeout(60_000), `request ${killAt}`, 5)
    if (exited) break
    sim.pause()
    await settle(sim, data, files.checkpoint, files.deadLetter)
    const atKill = sim.state()
    const unfinished = unrecorded(data, atKill, files.checkpoint)
    unfinishedAtKill += unfinished.length
    if (ALLOW_KNOWN_RESEND_OF_UNFINISHED_LINES) {
      const { counts: stored } = countWrites(atKill)
      for (const line of unfinished) {
        for (const write of data.events.get(line)?.writes ?? []) {
          if ((stored.get(writeKey(write)) ?? 0) > 0) allow(allowedExtra, writeKey(write))
        }
      }
    }
    child.kill('SIGKILL')
    if ((await child.exit).signal !== 'SIGKILL') {
      // It finished on its own just before the kill point: nothing to resume.
      sim.resume()
      break
    }
    kills++
    // The dead client's sockets close as it dies; give the event loop a moment to see that before releasing.
    await sleep(200)
    const resumedAt = new Date().toISOString()
    sim.resume()
    await sleep(200)
    const late = writesSince(sim.state(), resumedAt)
    processedAfterKill += late.length
    for (const key of late) allow(allowedExtra, key)
  }
  const final = await cliToEnd(['send', ...args], {}, streamTimeout(120_000))
  return { kills, allowedExtra, processedAfterKill, unfinishedAtKill, final }
}

describe('send killed with SIGKILL at seeded points and resumed from its checkpoint', () => {
  const KILL_SCENARIOS: Array<{ name: string; faults: FaultOptions; rateLimit: number }> = [
    { name: 'without faults', faults: {}, rateLimit: 0 },
    { name: 'with mixed faults (429s, 5xx, drops, slow answers)', faults: MIXED, rateLimit: 60 }
  ]
  KILL_SCENARIOS.forEach((scenario, index) => {
    it(
      `${scenario.name}: no event lost, none stored twice`,
      async () => {
        const sim = await simulator({ rateLimit: scenario.rateLimit, faults: scenario.faults })
        const checkpoint = path.join(dir, `kill-${index}.checkpoint`)
        const deadLetter = path.join(dir, `kill-${index}.dead.jsonl`)
        const args = [
          input,
          ...targetArgs(sim),
          ...QUICK,
          '--rate',
          '80',
          '--json',
          '--checkpoint',
          checkpoint,
          '--dead-letter',
          deadLetter
        ]
        const run = await killAndResume(sim, args, SEED + 100 + index, stream, { checkpoint, deadLetter })
        expect(run.kills).toBeGreaterThan(0)
        expect(run.final.stderr).toMatch(/Resuming from .*: \d+ lines were finished/)
        const summary = JSON.parse(run.final.stdout) as SendSummary
        expect(summary.stopped).toBeNull()
        const done = checkpointDone(checkpoint)
        const unfinished = Array.from({ length: stream.totalLines }, (_, i) => i + 1).filter((line) => !done(line))
        expect(unfinished).toEqual([])
        const report = checkLedger(stream, sim.state(), readJsonLines(deadLetter), { allowedExtra: run.allowedExtra })
        expect(sim.state().dropped).toEqual([])
        counts[`kill scenario ${index + 1}`] = {
          ...report,
          kills: run.kills,
          unfinishedLinesAtKill: run.unfinishedAtKill,
          processedAfterKill: run.processedAfterKill,
          faults: faultsOf(sim.state())
        }
      },
      streamTimeout(300_000)
    )
  })

  it('a resumed run does not repeat a call whose answer the killed run had received (Identify Group, first call)', async () => {
    // One group call with a user: the group profile is written (and answered), the membership call gets 503s and
    // waits for a long retry; the run is killed in that wait, with no request in flight, then resumed.
    const event = {
      type: 'group',
      groupId: 'group-1',
      userId: 'user-1',
      traits: { [marker(1)]: 1, name: 'Acme' },
      timestamp: '2024-05-01T09:00:00.000Z'
    }
    const single: EventStream = {
      text: `${JSON.stringify(event)}\n`,
      events: new Map([
        [
          1,
          {
            line: 1,
            event,
            expect: 'deliver',
            subscription: 'Group Calls',
            writes: [
              { collection: 'groups', marker: marker(1), groupId: 'group-1' },
              { collection: 'memberships', groupId: 'group-1', userId: 'user-1' }
            ]
          }
        ]
      ]),
      malformedLines: [],
      blankLines: [],
      totalLines: 1
    }
    const file = path.join(dir, 'one-group.jsonl')
    fs.writeFileSync(file, single.text)
    const sim = await simulator({ rateLimit: 0, faults: { errorRates: { 503: 1 }, routes: ['groupUsers'] } })
    const checkpoint = path.join(dir, 'one-group.checkpoint')
    const deadLetter = path.join(dir, 'one-group.dead.jsonl')
    const args = ['send', file, ...targetArgs(sim), '--quiet', '--checkpoint', checkpoint, '--dead-letter', deadLetter]
    const child = cli([...args, '--retry-delay', '60000'])
    await waitFor(() => sim.state().requests.some((request) => request.status === 503), 60_000, 'the first 503')
    child.kill('SIGKILL')
    await child.exit
    expect(sim.state().counts.groupUpdates).toBe(1)
    sim.setFaults({})
    const resumed = await cliToEnd([...args, '--retry-delay', '10'])
    expect(resumed.code).toBe(0)
    counts['kill between two calls'] = { groupUpdates: sim.state().counts.groupUpdates }
    checkLedger(single, sim.state(), readJsonLines(deadLetter))
  }, 120_000)
})

describe('the fault checks fail when delivery is broken on purpose', () => {
  it('catches a naive sender that repeats a whole event on any error and gives up silently', async () => {
    const sim = await simulator({
      rateLimit: 0,
      faults: { errorRates: { 503: 0.5 }, routes: ['groupUsers'], seed: SEED }
    })
    const { accountId, apiKey, apiSecret, legacyApiKey } = sim.credentials
    const settings = { accountId, apiKey, apiSecret, legacyApiKey, region: 'US' }
    const destination = new Destination(definition)
    const restoreRoute = routeAppcuesHostsTo(sim.url)
    try {
      const subscriptions = presetSubscriptions(definition)
      for (const entry of stream.events.values()) {
        const subscription = subscriptions.find((candidate) => candidate.name === entry.subscription)
        if (!subscription) continue
        const core = {
          subscribe: subscription.subscribe,
          partnerAction: subscription.partnerAction,
          mapping: subscription.mapping
        }
        // The flaws: the whole event again after any error (repeating calls that succeeded), and after two
        // attempts it is simply forgotten: no dead letter.
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            await destination.onEvent(entry.event as unknown as SegmentEvent, {
              ...settings,
              subscriptions: [core] as unknown as JSONObject[]
            })
            break
          } catch {
            continue
          }
        }
      }
    } finally {
      restoreRoute()
    }
    const check = () => checkLedger(stream, sim.state(), [])
    expect(check).toThrow(/groups rid_\d+ stored 2 times/)
    expect(check).toThrow(/never stored and not dead-lettered \(lost\)|not dead-lettered \(lost\)/)
  }, 60_000)
})
