import { defaultValues, Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import destination from '../src/destinations/appcues'
import { routeAppcuesHostsTo, startSimulator } from '../src/simulator'
import { seededRandom } from '../src/simulator/random'
import { QUICK } from './lib/config'
import { startCountingProxy } from './lib/counting-proxy'
import type { CountingProxy } from './lib/counting-proxy'
import type { Figure } from './lib/figure'
import { grouped, markdownTable } from './lib/format'
import { presetSubscriptions } from './lib/subscriptions'

/** A smoke run (BENCH_QUICK) sends 200 changes; every row is scaled to 1,000. */
const CHANGES = QUICK ? 200 : 1000
const AUDIENCES = ['trial_invited_teammate', 'power_users', 'churn_risk']
const USERS = QUICK ? 80 : 400

interface Change {
  userId: string
  audience: string
  member: boolean
}

/** Seeded membership changes: many users, three audiences, 60% entries. */
function changes(seed = 99): Change[] {
  const random = seededRandom(seed)
  return Array.from({ length: CHANGES }, () => ({
    userId: `user-${Math.floor(random() * USERS)}`,
    audience: AUDIENCES[Math.floor(random() * AUDIENCES.length)],
    member: random() < 0.6
  }))
}

const personas = (audience: string) => ({
  computation_class: 'audience',
  computation_key: audience,
  computation_id: `aud_${audience}`
})

/** As Engage sends a change to an audience destination: an "Audience Entered"/"Audience Exited" track call. */
const engageTrack = ({ userId, audience, member }: Change, n: number) =>
  ({
    type: 'track',
    userId,
    event: member ? 'Audience Entered' : 'Audience Exited',
    properties: { audience_key: audience, [audience]: member },
    context: { personas: personas(audience) },
    messageId: `aud-${n}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString()
  } as SegmentEvent)

/** The identify-trait path: the membership as a boolean user trait, written by Identify User. */
const traitIdentify = ({ userId, audience, member }: Change, n: number) =>
  ({
    type: 'identify',
    userId,
    traits: { [audience]: member },
    messageId: `trait-${n}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString()
  } as SegmentEvent)

export interface AudienceRow {
  mode: string
  requests: number
  requestsPer1000Changes: number
  failedEvents: number
}

function subscription(name: string): Subscription[] {
  return presetSubscriptions().filter((preset) => preset.name === name)
}

/** Sync Audience has no automatic preset (Engage audiences are not a non-Engage source's calls): its own defaults. */
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

async function measure(
  mode: string,
  proxy: CountingProxy,
  reset: () => void,
  settings: JSONObject,
  events: SegmentEvent[],
  subscriptions: Subscription[],
  batchSize: number
): Promise<AudienceRow> {
  reset()
  proxy.reset()
  const engine = new Destination<JSONObject>(destination as never)
  const withSubscriptions = { ...settings, subscriptions } as unknown as JSONObject
  let failedEvents = 0
  if (batchSize === 1) {
    for (const event of events) {
      const results = await engine.onEvent(event, withSubscriptions).catch(() => [{ error: true }])
      if (results.some((result) => 'error' in result && result.error)) failedEvents++
    }
  } else {
    for (let i = 0; i < events.length; i += batchSize) {
      const results = await engine.onBatch(events.slice(i, i + batchSize), withSubscriptions)
      for (const result of results) failedEvents += (result.multistatus ?? []).filter((s) => s.status >= 400).length
    }
  }
  const requestsPer1000Changes = Math.round((proxy.requests / events.length) * 1000)
  return { mode, requests: proxy.requests, requestsPer1000Changes, failedEvents }
}

/** Requests for 1,000 audience membership changes: Sync Audience (one event at a time and batched) vs the trait way. */
export async function measureAudience(): Promise<AudienceRow[]> {
  const simulator = await startSimulator({ rateLimit: 0 })
  const proxy = await startCountingProxy(simulator.url)
  const { accountId, apiKey, apiSecret } = simulator.credentials
  const settings = { accountId, apiKey, apiSecret, region: 'US' }
  const restoreRoute = routeAppcuesHostsTo(proxy.url)
  const all = changes()
  const engage = all.map(engageTrack)
  const traits = all.map(traitIdentify)
  const sync = syncAudienceSubscription()
  const identify = subscription('Identify Calls')
  const reset = () => simulator.reset()
  try {
    return [
      await measure(
        'identify-trait path (Identify User), one event at a time',
        proxy,
        reset,
        settings,
        traits,
        identify,
        1
      ),
      await measure(
        'identify-trait path (Identify User), batches of 1,000',
        proxy,
        reset,
        settings,
        traits,
        identify,
        1000
      ),
      await measure('syncAudience, one event at a time', proxy, reset, settings, engage, sync, 1),
      await measure('syncAudience, batches of 100', proxy, reset, settings, engage, sync, 100),
      await measure('syncAudience, batches of 1,000', proxy, reset, settings, engage, sync, 1000)
    ]
  } finally {
    restoreRoute()
    await proxy.close()
    await simulator.close()
  }
}

export const audienceFigure: Figure<{ changes: number; audiences: number; users: number; rows: AudienceRow[] }> = {
  key: 'audience',
  title: 'Requests per 1,000 audience membership changes: syncAudience batched vs the identify-trait path',
  measure: async () => ({ changes: CHANGES, audiences: AUDIENCES.length, users: USERS, rows: await measureAudience() }),
  table: (data) =>
    markdownTable(
      ['mode', 'requests per 1,000 changes', 'failed events'],
      data.rows.map((row) => [row.mode, grouped(row.requestsPer1000Changes), row.failedEvents])
    ),
  notes: (data) => [
    `bench/audience.ts: ${grouped(data.changes)} seeded membership changes (${data.users} users, ${data.audiences} ` +
      'audiences, 60% entries) through `Destination.onEvent` or `onBatch` into the simulator behind a counting proxy. ' +
      'Sync Audience gets them as Engage "Audience Entered"/"Audience Exited" track calls (the action\'s default ' +
      'subscription and mapping); the trait path gets the same changes as identify calls with a boolean trait (Identify Calls preset). ' +
      'Each mode starts from an empty account, so it includes creating the three segments. Requests are not timed.' +
      ' One event at a time, Sync Audience lists the segments for every change (2 requests per change): keep batching on.' +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}
