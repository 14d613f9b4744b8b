import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import { automaticPresetSubscriptions, takesBatches } from '../src/cli/send/route/subscriptions'
import destination from '../src/destinations/appcues'
import { routeAppcuesHostsTo, startSimulator } from '../src/simulator'
import { startCountingProxy } from './lib/counting-proxy'
import type { CountingProxy } from './lib/counting-proxy'
import { mixedStream, STREAM_MIX } from './lib/stream'
import { legacySendSubscriptions } from './lib/subscriptions'

export interface RequestFigures {
  mode: string
  events: number
  requests: number
  requestsPer1000Events: number
  bytesPerEvent: number
  failedEvents: number
}

type Run = (engine: Destination<JSONObject>, events: SegmentEvent[], settings: JSONObject) => Promise<number>

const NOT_SUBSCRIBED = 'does not match the subscription'

/** Events that an action failed (a batch reports every non-matching event as a 400 with NOT_SUBSCRIBED). */
function failures(results: Array<{ error?: unknown; multistatus?: Array<{ status: number; errormessage?: string }> }>) {
  const failed = new Set<number>()
  let single = 0
  for (const result of results) {
    if (result.error) single++
    result.multistatus?.forEach((outcome, index) => {
      if (outcome.status >= 400 && !outcome.errormessage?.includes(NOT_SUBSCRIBED)) failed.add(index)
    })
  }
  return single + failed.size
}

const oneByOne: Run = async (engine, events, settings) => {
  let failed = 0
  for (const event of events) {
    try {
      failed += failures(await engine.onEvent(event, settings))
    } catch {
      failed++
    }
  }
  return failed
}

const inBatches =
  (size: number): Run =>
  async (engine, events, settings) => {
    const subscriptions = (settings.subscriptions ?? []) as unknown as Subscription[]
    const batched = {
      ...settings,
      subscriptions: subscriptions.filter((s) => takesBatches(destination, s))
    } as unknown as JSONObject
    const single = {
      ...settings,
      subscriptions: subscriptions.filter((s) => !takesBatches(destination, s))
    } as unknown as JSONObject
    let failed = 0
    for (let i = 0; i < events.length; i += size) {
      failed += failures(await engine.onBatch(events.slice(i, i + size), batched))
    }
    return failed + (await oneByOne(engine, events, single))
  }

async function measure(
  mode: string,
  proxy: CountingProxy,
  events: SegmentEvent[],
  baseSettings: JSONObject,
  subscriptions: Subscription[],
  run: Run
): Promise<RequestFigures> {
  proxy.reset()
  const engine = new Destination<JSONObject>(destination as never)
  const failedEvents = await run(engine, events, { ...baseSettings, subscriptions } as unknown as JSONObject)
  return {
    mode,
    events: events.length,
    requests: proxy.requests,
    requestsPer1000Events: Math.round((proxy.requests / events.length) * 1000),
    bytesPerEvent: Math.round(proxy.bodyBytes / events.length),
    failedEvents
  }
}

/** Requests and bytes per event for the fixed stream: the live `send` action, our actions unbatched and batched. */
export async function measureRequests(count = 5000, batchSizes = [100, 1000]): Promise<RequestFigures[]> {
  const simulator = await startSimulator({ rateLimit: 0 })
  const proxy = await startCountingProxy(simulator.url)
  const { accountId, apiKey, apiSecret, legacyApiKey } = simulator.credentials
  const settings = { accountId, apiKey, apiSecret, legacyApiKey, region: 'US' }
  const restoreRoute = routeAppcuesHostsTo(proxy.url)
  const events = mixedStream(count)
  const presets = automaticPresetSubscriptions(destination)
  try {
    return [
      await measure('send action (live destination)', proxy, events, settings, legacySendSubscriptions(), oneByOne),
      await measure('new actions, unbatched', proxy, events, settings, presets, oneByOne),
      ...(await batchSizes.reduce<Promise<RequestFigures[]>>(
        async (done, size) => [
          ...(await done),
          await measure(`new actions, batches of ${size}`, proxy, events, settings, presets, inBatches(size))
        ],
        Promise.resolve([])
      ))
    ]
  } finally {
    restoreRoute()
    await proxy.close()
    await simulator.close()
  }
}

export function requestsTable(figures: RequestFigures[]): string {
  const rows = figures.map((f) => `| ${f.mode} | ${f.requestsPer1000Events} | ${f.bytesPerEvent} | ${f.failedEvents} |`)
  return [
    '| mode | requests per 1,000 events | bytes sent per event | failed events |',
    '| --- | ---: | ---: | ---: |',
    ...rows
  ].join('\n')
}

if (require.main === module) {
  const count = Number(process.env.BENCH_EVENTS ?? 5000)
  measureRequests(count, [100, 500, 1000]).then(
    (figures) => {
      process.stdout.write(
        `Fixed stream: ${count} events, mix ${JSON.stringify(STREAM_MIX)}\n\n${requestsTable(figures)}\n`
      )
    },
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`)
      process.exitCode = 1
    }
  )
}
