/**
 * The baseline of the throughput figure: a plain node:http client with keep-alive that sends already-built
 * requests (recorded from a run of `send`) to a server, `concurrency` requests in flight at a time. Prints one JSON
 * line with what it measured.
 *
 * Usage: node -r ts-node/register/transpile-only bench/lib/raw-client.ts RECORDING.json BASE_URL CONCURRENCY
 */
import fs from 'fs'
import http from 'http'
import { performance } from 'perf_hooks'
import type { CapturedRequest } from './counting-proxy'

/** What a recording run of `send` sent for a file of `events` events, in order of arrival. */
export interface Recording {
  events: number
  requests: CapturedRequest[]
}

export interface RawClientResult {
  events: number
  requests: number
  elapsedMs: number
  eventsPerSecond: number
  statuses: Record<string, number>
}

/** Headers that describe the recording connection rather than the request. */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'keep-alive'])

export async function replay(recording: Recording, baseUrl: string, concurrency: number): Promise<RawClientResult> {
  const target = new URL(baseUrl)
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const statuses: Record<string, number> = {}
  const prepared = recording.requests.map((request) => ({
    method: request.method,
    path: request.path,
    headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CONNECTION_HEADERS.has(name))),
    body: Buffer.from(request.body)
  }))
  const sendOne = (request: typeof prepared[number]) =>
    new Promise<void>((resolve, reject) => {
      const outgoing = http.request(
        {
          host: target.hostname,
          port: target.port,
          agent,
          method: request.method,
          path: request.path,
          headers: request.headers
        },
        (response) => {
          const key = String(response.statusCode)
          statuses[key] = (statuses[key] ?? 0) + 1
          response.resume()
          response.on('end', resolve)
          response.on('error', reject)
        }
      )
      outgoing.on('error', reject)
      outgoing.end(request.body)
    })
  let next = 0
  const worker = async () => {
    while (next < prepared.length) await sendOne(prepared[next++])
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsedMs = performance.now() - start
  agent.destroy()
  return {
    events: recording.events,
    requests: prepared.length,
    elapsedMs: Math.round(elapsedMs),
    eventsPerSecond: Math.round((recording.events / elapsedMs) * 1000 * 10) / 10,
    statuses
  }
}

if (require.main === module) {
  const [file, baseUrl, concurrency] = process.argv.slice(2)
  const recording = JSON.parse(fs.readFileSync(file, 'utf8')) as Recording
  replay(recording, baseUrl, Number(concurrency)).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`)
      process.exitCode = 1
    }
  )
}
