import fs from 'fs'
import path from 'path'
import { startSimulator } from '../src/simulator'
import type { RequestRecord } from '../src/simulator'
import { QUICK, SIZES } from './lib/config'
import type { Figure } from './lib/figure'
import { grouped, markdownTable, round } from './lib/format'
import { startSend, targetArgs, tempDir } from './lib/processes'
import { mixedStream } from './lib/stream'

export interface RateLimitData {
  simulatorLimit: number
  sendRate: number
  windowSeconds: number
  /** API requests that arrived at the simulator within the window (from the first request on). */
  requestsInWindow: number
  achievedPerSecond: number
  /** achievedPerSecond / sendRate. */
  shareOfCap: number
  /** 429 answers during the whole run. */
  tooManyRequests: number
  /** The most requests that arrived within any 1,000 ms. */
  maxInAnySecond: number
  /** From the credential check to the first delivery request, in ms (part of the window). */
  startGapMs: number
  sendRetries: number
  eventsDelivered: number
}

/** The most arrival times within any `windowMs` (times sorted ascending). */
export function maxInWindow(times: number[], windowMs = 1000): number {
  let best = 0
  let start = 0
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= windowMs) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Figure 4: `send` at its default cap against a simulator that enforces Appcues' limit, for a fixed window. */
export async function measureRateLimit(): Promise<RateLimitData> {
  const { windowSeconds, events: count, simulatorLimit, sendRate } = SIZES.rateLimit
  const dir = tempDir('rate-limit')
  const file = path.join(dir, 'events.jsonl')
  fs.writeFileSync(
    file,
    mixedStream(count)
      .map((event) => `${JSON.stringify(event)}\n`)
      .join('')
  )
  const simulator = await startSimulator({ rateLimit: simulatorLimit })
  try {
    // No --rate flag: send's default cap (50 per second) is what is measured.
    const { child, result } = startSend(
      file,
      [...targetArgs(simulator.url), '--dead-letter', path.join(dir, 'dl.jsonl')],
      {
        dir
      }
    )
    let exited = false
    void result.finally(() => (exited = true)).catch(() => undefined)
    while (!exited && simulator.counts().requests === 0) await sleep(20)
    const first = simulator.state().requests[0]?.at
    if (first === undefined) throw new Error('send made no request')
    while (!exited && Date.now() < first + windowSeconds * 1000 + 250) await sleep(50)
    if (exited) throw new Error(`send finished before the ${windowSeconds}-second window ended; give it more events`)
    // Like Ctrl-C: send stops reading, lets the events in flight finish and prints its summary.
    child.kill('SIGINT')
    const { summary } = await result
    const requests: RequestRecord[] = simulator.state().requests
    const times = requests.map((request) => request.at).sort((a, b) => a - b)
    const inWindow = times.filter((at) => at < first + windowSeconds * 1000).length
    const achievedPerSecond = inWindow / windowSeconds
    return {
      simulatorLimit,
      sendRate,
      windowSeconds,
      requestsInWindow: inWindow,
      achievedPerSecond: round(achievedPerSecond, 2),
      shareOfCap: round(achievedPerSecond / sendRate, 3),
      tooManyRequests: requests.filter((request) => request.status === 429).length,
      maxInAnySecond: maxInWindow(times),
      startGapMs: times.length > 1 ? times[1] - times[0] : 0,
      sendRetries: summary.retries,
      eventsDelivered: summary.delivered
    }
  } finally {
    await simulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function rateLimitTable(data: RateLimitData): string {
  return markdownTable(
    [
      'simulator limit',
      '`send` cap',
      'window',
      'requests',
      'achieved req/s',
      'achieved / cap',
      '429s',
      'max in any 1 s'
    ],
    [
      [
        `${data.simulatorLimit}/s`,
        `${data.sendRate}/s (default)`,
        `${data.windowSeconds} s`,
        grouped(data.requestsInWindow),
        data.achievedPerSecond.toFixed(2),
        `**${data.shareOfCap.toFixed(3)}**`,
        `**${data.tooManyRequests}**`,
        data.maxInAnySecond
      ]
    ]
  )
}

export const rateLimitFigure: Figure<RateLimitData> = {
  key: 'rateLimit',
  title: 'Rate-limit efficiency: `send` at its default cap against the simulator enforcing 60 requests per second',
  measure: measureRateLimit,
  table: rateLimitTable,
  notes: (data) => [
    `\`send\` (child process, default --rate 50, default concurrency) delivers the fixed stream to a simulator whose ` +
      `limit is ${data.simulatorLimit} requests per second (sliding one-second window, 429 with Retry-After beyond it). ` +
      `The window starts at the first request to arrive (the credential check); send is stopped with SIGINT after it.`,
    `Arrival times are the simulator's own request log. Target: achieved / cap of at least 0.99 and zero 429s. ` +
      `send releases at most ${data.sendRate} requests in any 1000 ms; on their way, the network and the event loops of both ` +
      `processes can bunch arrivals, so "max in any 1 s" can read a few over the cap, still under the simulator's ` +
      `limit. The window includes the ${data.startGapMs} ms between the credential check ` +
      `and the first delivery. send made ${data.sendRetries} retries and delivered ${grouped(
        data.eventsDelivered
      )} events.${QUICK ? ' QUICK run: not a measurement.' : ''}`
  ]
}
