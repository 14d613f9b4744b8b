import fs from 'fs'
import path from 'path'
import { parseSendArgs } from '../src/cli/send'
import { startSimulator } from '../src/simulator'
import { QUICK, SIZES } from './lib/config'
import { startCountingProxy } from './lib/counting-proxy'
import type { Figure } from './lib/figure'
import { grouped, markdownTable, median, round } from './lib/format'
import { describeFailure, spawnNode, startSend, targetArgs, tempDir } from './lib/processes'
import type { RawClientResult, Recording } from './lib/raw-client'
import { mixedStream } from './lib/stream'

const RAW_CLIENT = path.join(__dirname, 'lib', 'raw-client.ts')

interface ClientRun {
  eventsPerSecond: number
  requests: number
  elapsedMs: number
}

export interface ThroughputVariant {
  /** The flags `send` ran with, besides the target and --json --quiet. */
  sendFlags: string[]
  /** Requests of the recording run, which the raw client sends again. */
  recordedRequests: number
  send: ClientRun & { perRound: ClientRun[] }
  raw: ClientRun & { perRound: ClientRun[] }
  /** Median over rounds of (send's events per second / the raw client's in the same round). */
  ratio: number
  ratioRange: [number, number]
}

export interface ThroughputData {
  events: number
  concurrency: number
  rounds: number
  /** send with its defaults first; then, when send has --batch-size, one event at a time (--batch-size 1). */
  variants: ThroughputVariant[]
}

/** Runs `send` once on the file to `url`; checks that every event was delivered. */
async function runSend(url: string, file: string, dir: string, count: number, flags: string[]): Promise<ClientRun> {
  const deadLetter = ['--dead-letter', path.join(dir, 'dead-letter.jsonl')]
  const { summary } = await startSend(file, [...targetArgs(url), ...flags, ...deadLetter], { dir }).result
  if (summary.delivered !== count || summary.failed > 0 || summary.rejected > 0) {
    throw new Error(`send delivered ${summary.delivered} of ${count} events: ${JSON.stringify(summary)}`)
  }
  return {
    eventsPerSecond: round((summary.delivered / Math.max(summary.elapsedMs, 1)) * 1000, 1),
    requests: summary.requests,
    elapsedMs: summary.elapsedMs
  }
}

/** A run of `send` through a recording proxy: the requests it built, as they left it. */
async function recordSend(file: string, dir: string, count: number, flags: string[]): Promise<Recording> {
  const simulator = await startSimulator({ rateLimit: 0, maxRecords: 1000 })
  const proxy = await startCountingProxy(simulator.url, { record: true })
  try {
    await runSend(proxy.url, file, dir, count, flags)
    return { events: count, requests: proxy.records }
  } finally {
    await proxy.close()
    await simulator.close()
  }
}

async function runRaw(url: string, recordingFile: string, concurrency: number): Promise<ClientRun> {
  const args = ['-r', 'ts-node/register/transpile-only', RAW_CLIENT, recordingFile, url, String(concurrency)]
  const outcome = await spawnNode(args).done
  if (outcome.code !== 0) throw describeFailure('The raw HTTP client', outcome)
  const result = JSON.parse(outcome.stdout.trim()) as RawClientResult
  const refused = Object.keys(result.statuses).filter((status) => !status.startsWith('2'))
  if (refused.length > 0) throw new Error(`The raw client got answers ${JSON.stringify(result.statuses)}`)
  return { eventsPerSecond: result.eventsPerSecond, requests: result.requests, elapsedMs: result.elapsedMs }
}

function summarise(runs: ClientRun[]): ClientRun & { perRound: ClientRun[] } {
  return {
    eventsPerSecond: round(median(runs.map((run) => run.eventsPerSecond)), 1),
    requests: round(median(runs.map((run) => run.requests))),
    elapsedMs: round(median(runs.map((run) => run.elapsedMs))),
    perRound: runs
  }
}

/** Whether `send` has the --batch-size flag; its unbatched path is then measured as well. */
function sendHasBatchSize(): boolean {
  try {
    parseSendArgs(['events.jsonl', '--batch-size', '1'], {})
    return true
  } catch {
    return false
  }
}

/** Figure 3: events per second of `send` into the simulator, against a raw HTTP client sending the same requests. */
export async function measureThroughput(): Promise<ThroughputData> {
  const { events: count, rounds, concurrency } = SIZES.throughput
  const dir = tempDir('throughput')
  const file = path.join(dir, 'events.jsonl')
  const common = ['--rate', '0', '--concurrency', String(concurrency)]
  const flagSets = sendHasBatchSize() ? [common, [...common, '--batch-size', '1']] : [common]
  const simulator = await startSimulator({ rateLimit: 0, maxRecords: 1000 })
  try {
    fs.writeFileSync(
      file,
      mixedStream(count)
        .map((event) => `${JSON.stringify(event)}\n`)
        .join('')
    )
    const variants = []
    for (const [index, sendFlags] of flagSets.entries()) {
      const recording = await recordSend(file, dir, count, sendFlags)
      const recordingFile = path.join(dir, `recording-${index}.json`)
      fs.writeFileSync(recordingFile, JSON.stringify(recording))
      variants.push({ sendFlags, recording, recordingFile, sendRuns: [] as ClientRun[], rawRuns: [] as ClientRun[] })
    }
    for (let pass = 0; pass < rounds; pass++) {
      for (const variant of variants) {
        // Alternate which client goes first, so that drift of the machine does not favour one of them.
        for (const client of pass % 2 === 0 ? ['send', 'raw'] : ['raw', 'send']) {
          simulator.reset()
          if (client === 'send')
            variant.sendRuns.push(await runSend(simulator.url, file, dir, count, variant.sendFlags))
          else variant.rawRuns.push(await runRaw(simulator.url, variant.recordingFile, concurrency))
        }
      }
    }
    return {
      events: count,
      concurrency,
      rounds,
      variants: variants.map((variant): ThroughputVariant => {
        const ratios = variant.sendRuns.map((run, i) => run.eventsPerSecond / variant.rawRuns[i].eventsPerSecond)
        return {
          sendFlags: variant.sendFlags,
          recordedRequests: variant.recording.requests.length,
          send: summarise(variant.sendRuns),
          raw: summarise(variant.rawRuns),
          ratio: round(median(ratios), 2),
          ratioRange: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)]
        }
      })
    }
  } finally {
    await simulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function throughputTable(data: ThroughputData): string {
  return markdownTable(
    [
      'client (same simulator, rate limit off)',
      `events/s (median of ${data.rounds})`,
      'requests per run',
      'ours / raw'
    ],
    data.variants.flatMap((variant) => [
      [
        `\`send\` ${variant.sendFlags.join(' ')}`,
        grouped(variant.send.eventsPerSecond),
        grouped(variant.send.requests),
        `**${variant.ratio.toFixed(2)}** (${variant.ratioRange[0].toFixed(2)}–${variant.ratioRange[1].toFixed(2)})`
      ],
      [
        `raw node:http client, keep-alive, ${data.concurrency} requests in flight, the same requests`,
        grouped(variant.raw.eventsPerSecond),
        grouped(variant.raw.requests),
        '1'
      ]
    ])
  )
}

export const throughputFigure: Figure<ThroughputData> = {
  key: 'throughput',
  title: '`send` throughput: events per second into the simulator, ours / a raw HTTP client',
  measure: measureThroughput,
  table: throughputTable,
  notes: (data) => [
    `The fixed seeded stream (${grouped(data.events)} events) as a JSON-lines file, sent by \`appcues-actions send\` ` +
      `(a child process, as users run it, with its defaults except the flags shown) to a simulator with its rate ` +
      `limit off; events per second from send's own summary (delivered / elapsed, start-up of the process excluded).`,
    `The raw client (node:http with a keep-alive agent, a child process too) sends the requests that a first, ` +
      `recording run of send built for the same file with the same flags (method, path, headers and body as they ` +
      `left send, credential check included) to the same simulator, ${data.concurrency} in flight; its time runs ` +
      `from the first request to the last answer, and its events per second count the same events.` +
      (data.variants.length > 1
        ? ' send is measured with its defaults (batching) and one event at a time (--batch-size 1), each against ' +
          'the raw replay of its own requests.'
        : ''),
    `${data.rounds} round${data.rounds === 1 ? '' : 's'}, the order of the two clients alternating; the ratio is the ` +
      `median of the per-round ratios (range in brackets): the share of what the simulator takes from a client that ` +
      `only sends that send achieves while reading, mapping, validating and tracking every event.` +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}
