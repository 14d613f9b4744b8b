import { defaultValues, Destination } from '@segment/actions-core'
import type { ActionDefinition, JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import { automaticPresetSubscriptions } from '../src/cli/send/route/subscriptions'
import destination from '../src/destinations/appcues'
import type { Settings } from '../src/destinations/appcues/generated-types'
import { QUICK, SIZES } from './lib/config'
import { markdownTable, median, round } from './lib/format'
import { routeAppcuesHostsTo } from '../src/simulator'
import { startSimulatorProcess } from './lib/processes'
import { mixedStream } from './lib/stream'
import { legacySendSubscriptions } from './lib/subscriptions'
import type { Figure } from './lib/figure'

const FLOOR = 'floor (no-op action)'

/**
 * The floor: an action with one field that makes one authenticated request to the same server. Everything
 * actions-core does for it (subscription, mapping, validation, the request client) is the least any action pays.
 */
const floorAction: ActionDefinition<Settings, { userId: string }> = {
  title: 'Benchmark Floor',
  description: 'One field and one request: the least work an action can do.',
  fields: {
    userId: { label: 'User ID', description: 'The user the request is for.', type: 'string', required: true }
  },
  perform: (request, { payload, settings }) =>
    request(
      `https://api.appcues.com/v2/accounts/${settings.accountId}/users/${encodeURIComponent(payload.userId)}/events`,
      { method: 'post', json: { name: 'Floor', timestamp: '2026-01-01T00:00:00.000Z' } }
    )
}

interface Case {
  name: string
  action: string
  subscription: Subscription
  events: SegmentEvent[]
}

export interface OverheadRow {
  name: string
  action: string
  requestsPerEvent: number
  /** Median CPU time per event over this case's blocks. */
  cpuMicrosPerEvent: number
  /** Median over pairs of (this case's CPU per event / the floor's in the block next to it); 1 for the floor. */
  ratio: number
  /** The middle half of the pair ratios (25th to 75th percentile). */
  ratioQuartiles: [number, number]
}

export interface OverheadData {
  warmupEvents: number
  pairs: number
  eventsPerBlock: number
  rows: OverheadRow[]
}

function cases(): Case[] {
  const stream = mixedStream(2000, 99)
  const ofType = (type: string) => stream.filter((event) => event.type === type)
  const tracks = ofType('track')
  const presets = automaticPresetSubscriptions(destination)
  const preset = (action: string) => {
    const found = presets.find((subscription) => subscription.partnerAction === action)
    if (!found) throw new Error(`No preset for ${action}`)
    return found
  }
  const deleteUser = destination.actions.deleteUser
  return [
    {
      name: 'identifyUser (Identify Calls preset)',
      action: 'identifyUser',
      subscription: preset('identifyUser'),
      events: ofType('identify')
    },
    {
      name: 'trackEvent (Track Calls preset)',
      action: 'trackEvent',
      subscription: preset('trackEvent'),
      events: tracks
    },
    {
      name: 'pageView (Page Calls preset)',
      action: 'pageView',
      subscription: preset('pageView'),
      events: ofType('page')
    },
    {
      name: 'identifyGroup (Group Calls preset)',
      action: 'identifyGroup',
      subscription: preset('identifyGroup'),
      events: ofType('group')
    },
    {
      // Delete User has no default subscription (an erasure runs only on an event the customer chooses).
      name: 'deleteUser (on "User Deleted" track calls)',
      action: 'deleteUser',
      subscription: {
        subscribe: 'type = "track" and event = "User Deleted"',
        partnerAction: 'deleteUser',
        mapping: defaultValues(deleteUser.fields) as JSONObject
      },
      events: tracks.map((event) => ({ ...event, event: 'User Deleted', properties: {} }))
    },
    {
      name: 'send (live destination, track preset)',
      action: 'send',
      subscription: legacySendSubscriptions().find(
        (subscription) => subscription.subscribe === 'type = "track"'
      ) as Subscription,
      events: tracks
    },
    {
      name: FLOOR,
      action: 'benchFloor',
      subscription: {
        subscribe: 'type = "track"',
        partnerAction: 'benchFloor',
        mapping: { userId: { '@path': '$.userId' } }
      },
      events: tracks
    }
  ]
}

/** Runs `count` events of a case one after the other; returns the CPU time used (µs) and the requests made. */
async function runCase(
  engine: Destination<JSONObject>,
  settings: JSONObject,
  item: Case,
  count: number,
  offset: number
): Promise<{ cpuMicros: number; requests: number }> {
  const caseSettings = { ...settings, subscriptions: [item.subscription] } as unknown as JSONObject
  let requests = 0
  const start = process.cpuUsage()
  for (let i = 0; i < count; i++) {
    const event = item.events[(offset + i) % item.events.length]
    const results = await engine.onEvent(event, caseSettings)
    // actions-core keeps every response of the engine; count this event's requests and let them go.
    requests += engine.responses.length
    engine.responses.length = 0
    const refused = results.find((result) => result.error || result.output === 'not subscribed')
    if (refused || results.length === 0) {
      throw new Error(`${item.name}: the event was not delivered (${JSON.stringify(refused ?? null)})`)
    }
  }
  const used = process.cpuUsage(start)
  return { cpuMicros: used.user + used.system, requests }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low)
}

/** Figure 1: CPU time per event through `Destination.onEvent`, each of our actions against a no-op floor. */
export async function measureOverhead(): Promise<OverheadData> {
  const { warmupEvents, pairs, eventsPerBlock } = SIZES.overhead
  // The simulator runs in its own process, so that process.cpuUsage() here counts only the client's work.
  const simulator = await startSimulatorProcess(['--rate-limit', '0', '--max-records', '1000'])
  const definition = { ...destination, actions: { ...destination.actions, benchFloor: floorAction } }
  const engine = new Destination<JSONObject>(definition as never)
  const { accountId, apiKey, apiSecret, legacyApiKey } = simulator.credentials
  const settings = { accountId, apiKey, apiSecret, legacyApiKey, region: 'US' }
  const restoreRoute = routeAppcuesHostsTo(simulator.url)
  const all = cases()
  const floorCase = all[all.length - 1]
  const ours = all.slice(0, -1)
  const samples = new Map(all.map((item) => [item.name, { cpu: [] as number[], requests: [] as number[] }]))
  const ratios = new Map(ours.map((item) => [item.name, [] as number[]]))
  const block = async (item: Case, pass: number) => {
    const { cpuMicros, requests } = await runCase(engine, settings, item, eventsPerBlock, pass * eventsPerBlock)
    const perEvent = cpuMicros / eventsPerBlock
    samples.get(item.name)?.cpu.push(perEvent)
    samples.get(item.name)?.requests.push(requests / eventsPerBlock)
    return perEvent
  }
  try {
    for (const item of all) await runCase(engine, settings, item, warmupEvents, 0)
    for (let pass = 0; pass < pairs; pass++) {
      for (const [index, item] of ours.entries()) {
        // Each block of ours runs right next to a block of the floor, so that both see the same state of the
        // machine; which of the two goes first alternates.
        const floorFirst = (pass + index) % 2 === 0
        const first = await block(floorFirst ? floorCase : item, pass)
        const second = await block(floorFirst ? item : floorCase, pass)
        ratios.get(item.name)?.push(floorFirst ? second / first : first / second)
      }
    }
  } finally {
    restoreRoute()
    await simulator.close()
  }
  const rows = all.map((item): OverheadRow => {
    const own = samples.get(item.name) ?? { cpu: [], requests: [] }
    const pairRatios = ratios.get(item.name) ?? [1]
    return {
      name: item.name,
      action: item.action,
      requestsPerEvent: round(median(own.requests), 2),
      cpuMicrosPerEvent: round(median(own.cpu)),
      ratio: round(median(pairRatios), 2),
      ratioQuartiles: [round(quantile(pairRatios, 0.25), 2), round(quantile(pairRatios, 0.75), 2)]
    }
  })
  return { warmupEvents, pairs, eventsPerBlock, rows }
}

export function overheadTable(data: OverheadData): string {
  return markdownTable(
    ['action (subscription)', 'requests per event', 'CPU µs per event', 'ours / floor', 'middle half of pairs'],
    data.rows.map((row) =>
      row.action === 'benchFloor'
        ? [row.name, row.requestsPerEvent, row.cpuMicrosPerEvent, '1 (the floor)', '']
        : [
            row.name,
            row.requestsPerEvent,
            row.cpuMicrosPerEvent,
            `**${row.ratio.toFixed(2)}**`,
            `${row.ratioQuartiles[0].toFixed(2)}–${row.ratioQuartiles[1].toFixed(2)}`
          ]
    )
  )
}

export const overheadFigure: Figure<OverheadData> = {
  key: 'overhead',
  title: 'Overhead per event: CPU time through Destination.onEvent, ours / a no-op action',
  measure: measureOverhead,
  table: overheadTable,
  notes: (data) => [
    `CPU time (process.cpuUsage, user + system) of this process per event, events run one after the other through ` +
      `\`new Destination(definition).onEvent(event, {...settings, subscriptions: [one]})\` into the simulator ` +
      `(rate limit off) running in a separate process, so only the client's work is counted.`,
    `The floor is an extra action with one field that makes one authenticated request to the same simulator. ` +
      `${data.warmupEvents} warm-up events per action; then, ${data.pairs} times for each action, a block of ` +
      `${data.eventsPerBlock} of its events next to a block of ${data.eventsPerBlock} floor events (which goes first ` +
      `alternates). The ratio is the median of the ${data.pairs} block ratios; the last column shows the middle half.`,
    `An action that makes two requests per event (identifyGroup with a user, send with user traits) pays the ` +
      `request cost twice: compare its ratio with its requests per event.${
        QUICK ? ' QUICK run: not a measurement.' : ''
      }`
  ]
}
