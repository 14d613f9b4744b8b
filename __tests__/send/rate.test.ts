import fs from 'fs'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import type { RequestRecord } from '../../src/simulator'
import { removeTempDirs, send, targetArgs, tempDir } from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

function identifyFile(count: number): string {
  const file = path.join(tempDir(), 'identify.jsonl')
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ type: 'identify', userId: `u${i}`, traits: { n: i } })
  )
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** The most requests that arrived within any `windowMs` (a sliding window over arrival times). */
function busiestWindow(requests: RequestRecord[], windowMs: number): number {
  const times = requests.map((request) => request.at).sort((a, b) => a - b)
  let most = 0
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= windowMs) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}

describe('the request-rate cap', () => {
  it('keeps every one-second window at or under --rate, counted where the requests arrive', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const started = Date.now()
    const { result } = await send([
      identifyFile(44),
      ...targetArgs(sim),
      '--quiet',
      '--rate',
      '20',
      '--concurrency',
      '10'
    ])
    const elapsed = Date.now() - started
    const { requests } = sim.state()
    expect(requests).toHaveLength(45)
    expect(result.summary).toMatchObject({ delivered: 44, requests: 45 })
    // 45 requests evenly spaced at 20 per second take about 2.2 s; 950 ms windows absorb arrival jitter.
    expect(busiestWindow(requests, 950)).toBeLessThanOrEqual(20)
    expect(busiestWindow(requests, 1000)).toBeGreaterThanOrEqual(19)
    expect(elapsed).toBeGreaterThanOrEqual(2000)
  })

  it("honours Appcues' 429 Retry-After: every sender pauses, and every event still arrives exactly once", async () => {
    const sim = await simulator({ rateLimit: 5 })
    const { result } = await send([
      identifyFile(11),
      ...targetArgs(sim),
      '--quiet',
      '--rate',
      '0',
      '--concurrency',
      '6'
    ])
    const { requests, profiles } = sim.state()
    const limited = requests.filter((request) => request.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(result.summary).toMatchObject({ delivered: 11, failed: 0, retries: limited.length })
    expect(profiles.map((profile) => profile.userId).sort()).toEqual(
      Array.from({ length: 11 }, (_, i) => `u${i}`).sort()
    )
    // After a 429, nothing new is sent until its Retry-After (1 s) has passed; requests already on their way when
    // the first 429 was answered get 250 ms to arrive.
    const firstLimited = limited[0].at
    const tooSoon = requests.filter((request) => request.at > firstLimited + 250 && request.at < firstLimited + 950)
    expect(tooSoon).toEqual([])
  })
})
