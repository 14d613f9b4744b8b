import fs from 'fs'
import path from 'path'
import { startSimulator } from '../src/simulator'
import type { Simulator } from '../src/simulator'
import { QUICK, SIZES } from './lib/config'
import type { Figure } from './lib/figure'
import { grouped, markdownTable, round } from './lib/format'
import { startSend, targetArgs, tempDir } from './lib/processes'
import { mixedStream } from './lib/stream'

export interface MemoryRun {
  lines: number
  deliverable: number
  delivered: number
  skipped: number
  requests: number
  elapsedMs: number
  linesPerSecond: number
  peakRssMb: number
  /** Heap still in use at exit after a full garbage collection: what send retains. */
  retainedHeapMb: number
}

export interface MemoryData {
  deliverableEvery: number
  small: MemoryRun
  large: MemoryRun
  /** Peak RSS on the large file / on the small one. */
  ratio: number
  /** Peak RSS on the large file minus on the small one, in MB. */
  differenceMb: number
  /** Retained heap on the large file / on the small one. */
  retainedRatio: number
}

/**
 * Writes `lines` Segment events as JSON lines: every `every`-th line is an event of the fixed mixed stream (delivered
 * to the simulator), the others are `alias` calls, which no preset subscribes to: send reads, parses and matches
 * them against every subscription it makes from the presets (presetSubscriptions: the automatic presets, and one
 * that stands in for the Linked Audiences and Journeys presets), then counts them as skipped.
 */
export function writeMemoryInput(file: string, lines: number, every: number): number {
  const deliverable = mixedStream(Math.ceil(lines / every), 4321)
  const fd = fs.openSync(file, 'w')
  try {
    let chunk = ''
    for (let i = 0; i < lines; i++) {
      if (i % every === 0) {
        chunk += `${JSON.stringify(deliverable[i / every])}\n`
      } else {
        const user = `user-${i % 5000}`
        chunk += `${JSON.stringify({
          type: 'alias',
          userId: user,
          previousId: `anon-${user}`,
          messageId: `alias-${i}`,
          timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
          context: { library: { name: 'analytics-node', version: '6.0.0' } }
        })}\n`
      }
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk)
        chunk = ''
      }
    }
    fs.writeSync(fd, chunk)
  } finally {
    fs.closeSync(fd)
  }
  return deliverable.length
}

async function measureOne(simulator: Simulator, dir: string, lines: number, every: number): Promise<MemoryRun> {
  const file = path.join(dir, `events-${lines}.jsonl`)
  const deliverable = writeMemoryInput(file, lines, every)
  try {
    const flags = [...targetArgs(simulator.url), '--rate', '0', '--dead-letter', path.join(dir, `dl-${lines}.jsonl`)]
    const { summary, memory } = await startSend(file, flags, { dir, peakRss: true }).result
    if (summary.delivered !== deliverable || summary.skipped !== lines - deliverable || summary.failed > 0) {
      throw new Error(`send on ${lines} lines: ${JSON.stringify({ ...summary, simulator: undefined })}`)
    }
    return {
      lines,
      deliverable,
      delivered: summary.delivered,
      skipped: summary.skipped,
      requests: summary.requests,
      elapsedMs: summary.elapsedMs,
      linesPerSecond: round((lines / Math.max(summary.elapsedMs, 1)) * 1000),
      peakRssMb: round((memory?.maxRssKb ?? 0) / 1024, 1),
      retainedHeapMb: round((memory?.heapUsedAfterGcKb ?? 0) / 1024, 1)
    }
  } finally {
    fs.rmSync(file, { force: true })
  }
}

/** Figure 5: peak RSS of a `send` process on a large input against the same on an input 100 times smaller. */
export async function measureMemory(): Promise<MemoryData> {
  const { smallLines, largeLines, deliverableEvery } = SIZES.memory
  const dir = tempDir('memory')
  // The simulator keeps only the last 1,000 records of each kind, so its memory (in this process) stays small too.
  const simulator = await startSimulator({ rateLimit: 0, maxRecords: 1000 })
  try {
    const small = await measureOne(simulator, dir, smallLines, deliverableEvery)
    const large = await measureOne(simulator, dir, largeLines, deliverableEvery)
    return {
      deliverableEvery,
      small,
      large,
      ratio: round(large.peakRssMb / small.peakRssMb, 2),
      differenceMb: round(large.peakRssMb - small.peakRssMb, 1),
      retainedRatio: round(large.retainedHeapMb / small.retainedHeapMb, 2)
    }
  } finally {
    await simulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function memoryTable(data: MemoryData): string {
  const row = (run: MemoryRun, ratios: [string, string]) => [
    `${grouped(run.lines)} lines: ${grouped(run.deliverable)} mixed-stream events + ${grouped(
      run.skipped
    )} alias calls`,
    grouped(run.delivered),
    grouped(run.skipped),
    `${(run.elapsedMs / 1000).toFixed(1)} s`,
    grouped(run.linesPerSecond),
    run.peakRssMb.toFixed(1),
    ratios[0],
    run.retainedHeapMb.toFixed(1),
    ratios[1]
  ]
  const sign = data.differenceMb >= 0 ? '+' : ''
  return markdownTable(
    [
      'input file',
      'delivered',
      'skipped',
      'elapsed',
      'lines/s',
      'peak RSS MB',
      'large / small',
      'heap after GC at exit MB',
      'large / small'
    ],
    [
      row(data.small, ['1', '1']),
      row(data.large, [
        `**${data.ratio.toFixed(2)}** (${sign}${data.differenceMb} MB)`,
        `**${data.retainedRatio.toFixed(2)}**`
      ])
    ]
  )
}

export const memoryFigure: Figure<MemoryData> = {
  key: 'memory',
  title: 'Memory: peak RSS of `send` on a large file, against the same on a file 100 times smaller',
  measure: measureMemory,
  table: memoryTable,
  notes: (data) => [
    `Both files hold one event of the fixed mixed stream every ${data.deliverableEvery} lines (delivered to the ` +
      `simulator, rate limit off, send --rate 0) and \`alias\` calls on the other lines, which no preset subscribes ` +
      `to: send reads, parses and matches every line against every subscription it makes from the presets (the ` +
      `automatic ones, and the one that stands in for the Linked Audiences and Journeys presets) and counts the ` +
      `alias calls as skipped.` +
      (data.large.lines >= 200_000
        ? ` Delivering all ${grouped(data.large.lines)} lines at send's throughput (figure 3) would take longer ` +
          `than the whole bench may.`
        : ''),
    `Peak RSS is the \`send\` process's own (getrusage maxRSS, read at exit by a module preloaded into the child); ` +
      `it includes Node and the modules that send loads (actions-core, the destination, the simulator), the same in both runs. ` +
      `"Heap after GC" is the V8 heap still in use after a full collection at exit: what send retains. When it stays ` +
      `level while peak RSS rises, the rise is garbage that V8 let accumulate during the faster run, not a leak.` +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}
