import { createTestIntegration, defaultValues, Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import { automaticPresetSubscriptions } from '../src/cli/send/route/subscriptions'
import destination from '../src/destinations/appcues'
import type { Settings } from '../src/destinations/appcues/generated-types'
import { routeAppcuesHostsTo, startSimulator } from '../src/simulator'
import { seededRandom } from '../src/simulator/random'
import { QUICK } from './lib/config'
import { startCountingProxy } from './lib/counting-proxy'
import type { CountingProxy } from './lib/counting-proxy'
import type { Figure } from './lib/figure'
import { grouped, markdownTable } from './lib/format'

/** A smoke run (BENCH_QUICK) sends 200 changes; every row is scaled to 1,000. */
const CHANGES = QUICK ? 200 : 1000
const AUDIENCES = ['trial_invited_teammate', 'power_users', 'churn_risk']
const USERS = QUICK ? 80 : 400

interface Change {
  userId: string
  audience: string
  member: boolean
}

/** Seeded membership changes: many users, `audiences` audiences, 60% entries. */
function changes(audiences: string[], seed = 99): Change[] {
  const random = seededRandom(seed)
  return Array.from({ length: CHANGES }, () => ({
    userId: `user-${Math.floor(random() * USERS)}`,
    audience: audiences[Math.floor(random() * audiences.length)],
    member: random() < 0.6
  }))
}

const timestamp = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString()

/**
 * As Engage sends a change to a connected audience: an "Audience Entered"/"Audience Exited" track call that carries
 * the segment's ID (`segments`), or, for a file from elsewhere, none (the by-name fallback).
 */
const engageTrack =
  (segments?: Record<string, string>) =>
  ({ userId, audience, member }: Change, n: number) =>
    ({
      type: 'track',
      userId,
      event: member ? 'Audience Entered' : 'Audience Exited',
      properties: { audience_key: audience, [audience]: member },
      context: {
        personas: {
          computation_class: 'audience',
          computation_key: audience,
          computation_id: `aud_${audience}`,
          ...(segments ? { external_audience_id: segments[audience] } : {})
        }
      },
      messageId: `aud-${n}`,
      timestamp: timestamp(n)
    } as SegmentEvent)

/** The identify-trait path: the membership as a boolean user trait, written by Identify User. */
const traitIdentify = ({ userId, audience, member }: Change, n: number) =>
  ({
    type: 'identify',
    userId,
    traits: { [audience]: member },
    messageId: `trait-${n}`,
    timestamp: timestamp(n)
  } as SegmentEvent)

export interface AudienceRow {
  mode: string
  requests: number
  requestsPer1000Changes: number
  failedEvents: number
}

/** Sync Audience's subscription when an audience is connected: its default subscription and mapping. */
function syncAudienceSubscription(): Subscription[] {
  const action = destination.actions.syncAudience
  return [
    {
      name: 'Sync Audience',
      partnerAction: 'syncAudience',
      subscribe: action.defaultSubscription ?? '',
      mapping: defaultValues(action.fields) as JSONObject
    }
  ]
}

/** Batches as Segment makes them for an action with `batch_keys`: one audience per batch, in order. */
function batchesByAudience(events: SegmentEvent[], size: number): SegmentEvent[][] {
  const byAudience = new Map<string, SegmentEvent[]>()
  for (const event of events) {
    const personas = event.context?.personas as { computation_key?: string } | undefined
    const audience = personas?.computation_key ?? ''
    byAudience.set(audience, [...(byAudience.get(audience) ?? []), event])
  }
  return [...byAudience.values()].flatMap((list) =>
    Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size))
  )
}

interface Bench {
  proxy: CountingProxy
  settings: Settings
}

async function measure(
  mode: string,
  { proxy, settings: destinationSettings }: Bench,
  events: SegmentEvent[],
  subscriptions: Subscription[],
  batchSize: number
): Promise<AudienceRow> {
  proxy.reset()
  const engine = new Destination<JSONObject>(destination as never)
  const settings = { ...destinationSettings, subscriptions } as unknown as JSONObject
  let failedEvents = 0
  if (batchSize === 1) {
    for (const event of events) {
      const results = await engine.onEvent(event, settings).catch(() => [{ error: true }])
      if (results.some((result) => 'error' in result && result.error)) failedEvents++
    }
  } else {
    for (const batch of batchesByAudience(events, batchSize)) {
      const results = await engine.onBatch(batch, settings)
      for (const result of results) failedEvents += (result.multistatus ?? []).filter((s) => s.status >= 400).length
    }
  }
  const requestsPer1000Changes = Math.round((proxy.requests / events.length) * 1000)
  return { mode, requests: proxy.requests, requestsPer1000Changes, failedEvents }
}

/** Connects each audience as Engage does (createAudience) and answers the segment IDs Engage then sends. */
async function connect(
  bench: Bench,
  audiences: string[]
): Promise<{ segments: Record<string, string>; requests: number }> {
  bench.proxy.reset()
  const testDestination = createTestIntegration(destination)
  const segments: Record<string, string> = {}
  for (const audience of audiences) {
    segments[audience] = (
      await testDestination.createAudience({ settings: bench.settings, audienceName: audience })
    ).externalId
  }
  return { segments, requests: bench.proxy.requests }
}

/** Requests for 1,000 audience membership changes: by segment ID, by name, and the identify-trait path. */
export async function measureAudience(): Promise<{ rows: AudienceRow[]; connectRequests: number }> {
  const simulator = await startSimulator({ rateLimit: 0 })
  const proxy = await startCountingProxy(simulator.url)
  const { accountId, apiKey, apiSecret } = simulator.credentials
  const bench: Bench = { proxy, settings: { accountId, apiKey, apiSecret, region: 'US' } }
  const restoreRoute = routeAppcuesHostsTo(proxy.url)
  const sync = syncAudienceSubscription()
  const identify = automaticPresetSubscriptions(destination).filter((preset) => preset.name === 'Identify Calls')
  try {
    const mixed = changes(AUDIENCES)
    const one = changes(AUDIENCES.slice(0, 1), 7)
    const rows: AudienceRow[] = []
    const fresh = () => simulator.reset()

    fresh()
    const connected = await connect(bench, AUDIENCES)
    const byId = mixed.map(engageTrack(connected.segments))
    const oneById = one.map(engageTrack(connected.segments))
    rows.push(await measure('segment ID, one audience, one batch of 1,000', bench, oneById, sync, 1000))
    rows.push(await measure('segment ID, three audiences, batches of 1,000', bench, byId, sync, 1000))
    rows.push(await measure('segment ID, three audiences, batches of 100', bench, byId, sync, 100))
    rows.push(await measure('segment ID, three audiences, one event at a time', bench, byId, sync, 1))

    const byName = mixed.map(engageTrack())
    for (const [label, size] of [
      ['batches of 1,000', 1000],
      ['batches of 100', 100],
      ['one event at a time', 1]
    ] as const) {
      fresh()
      rows.push(await measure(`by name (no segment ID), three audiences, ${label}`, bench, byName, sync, size))
    }

    const traits = mixed.map(traitIdentify)
    fresh()
    rows.push(await measure('identify-trait path (Identify User), batches of 1,000', bench, traits, identify, 1000))
    rows.push(await measure('identify-trait path (Identify User), one event at a time', bench, traits, identify, 1))
    return { rows, connectRequests: connected.requests }
  } finally {
    restoreRoute()
    await proxy.close()
    await simulator.close()
  }
}

export const audienceFigure: Figure<{
  changes: number
  audiences: number
  users: number
  connectRequests: number
  rows: AudienceRow[]
}> = {
  key: 'audience',
  title:
    'Requests per 1,000 audience membership changes: by the segment ID Engage sends, by name, and the identify-trait path',
  measure: async () => ({ changes: CHANGES, audiences: AUDIENCES.length, users: USERS, ...(await measureAudience()) }),
  table: (data) =>
    markdownTable(
      ['mode', 'requests per 1,000 changes', 'failed events'],
      data.rows.map((row) => [row.mode, grouped(row.requestsPer1000Changes), row.failedEvents])
    ),
  notes: (data) => [
    `bench/audience.ts: ${grouped(data.changes)} seeded membership changes (${data.users} users, 60% entries; one ` +
      `audience, or ${data.audiences}) through \`Destination.onEvent\` or \`onBatch\` into the simulator behind a ` +
      "counting proxy, with Sync Audience's default subscription and mapping. Batches hold one audience each, as " +
      "Segment makes them with the action's batch_keys. Engage's events carry the segment ID that createAudience " +
      `returned when the audience was connected (connecting the ${data.audiences} audiences took ` +
      `${data.connectRequests} requests, not counted in the rows); the by-name rows get the same events without it, ` +
      'from an empty account, so they include creating the segments. The identify-trait path gets the same changes ' +
      'as identify calls with a boolean trait (Identify Calls preset). Requests are not timed.' +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}
