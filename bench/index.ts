/**
 * `npm run bench [-- FIGURE...]`: measures every figure (or the ones named), prints each as a table and writes
 * bench/results.json. BENCH_QUICK=1 runs a smoke variant on tiny inputs (its results go to a temporary file unless
 * BENCH_RESULTS names one); BENCH_RESULTS=FILE chooses where the results go.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { performance } from 'perf_hooks'
import { QUICK, SIZES } from './lib/config'
import { audienceFigure } from './audience'
import type { Figure } from './lib/figure'
import { memoryFigure } from './memory'
import { overheadFigure } from './overhead'
import { rateLimitFigure } from './rate-limit'
import { redactionFigure } from './redaction'
import { measureRequests, requestsTable } from './requests'
import type { RequestFigures } from './requests'
import { STREAM_MIX } from './lib/stream'
import { startupFigure } from './startup'
import { throughputFigure } from './throughput'

const requestsFigure: Figure<{ events: number; mix: typeof STREAM_MIX; modes: RequestFigures[] }> = {
  key: 'requests',
  title: 'Requests and bytes per event on the fixed seeded stream, live `send` action and ours, unbatched and batched',
  measure: async () => {
    const { events, batchSizes } = SIZES.requests
    return { events, mix: STREAM_MIX, modes: await measureRequests(events, batchSizes) }
  },
  table: (data) => requestsTable(data.modes),
  notes: (data) => [
    `bench/requests.ts: ${data.events.toLocaleString('en-US')} seeded events (mix ${JSON.stringify(data.mix)}, ` +
      `200 users, 20 groups) through \`Destination.onEvent\` (unbatched) or \`onBatch\` into the simulator behind a ` +
      `counting proxy; bytes are request bodies. Runnable alone: \`npx ts-node --transpile-only bench/requests.ts\`.` +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FIGURES: Array<Figure<any>> = [
  overheadFigure,
  requestsFigure,
  throughputFigure,
  rateLimitFigure,
  memoryFigure,
  audienceFigure,
  startupFigure,
  redactionFigure
]

/** Command-line names: the results.json key, or its kebab-case form (`rate-limit`). */
const ALIASES = new Map(
  FIGURES.flatMap((figure) => [
    [figure.key, figure],
    [figure.key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`), figure]
  ])
)

export interface FigureResult {
  title: string
  measuredAt: string
  quick: boolean
  wallSeconds: number
  table: string
  notes: string[]
  data: unknown
}

export interface BenchResults {
  /** The command of the latest run; figures from earlier runs are kept when a run measures only some. */
  command: string
  updatedAt: string
  /** Wall time of the latest run. */
  wallSeconds: number
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string }
  figures: Record<string, FigureResult>
}

function machine(): BenchResults['machine'] {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`
  }
}

function resultsFile(): string {
  if (process.env.BENCH_RESULTS) return path.resolve(process.env.BENCH_RESULTS)
  // A smoke run must not overwrite the measured figures.
  return QUICK ? path.join(os.tmpdir(), 'appcues-bench-quick-results.json') : path.join(__dirname, 'results.json')
}

function readPrevious(file: string): Record<string, FigureResult> {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults).figures ?? {}
  } catch {
    return {}
  }
}

const USAGE = `Usage: npm run bench [-- FIGURE...]   FIGURE: ${FIGURES.map((figure) =>
  figure.key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
).join(', ')} (default: all)
Environment: BENCH_QUICK=1 for a smoke run on tiny inputs; BENCH_RESULTS=FILE to write the results elsewhere.`

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const unknown = args.filter((name) => !ALIASES.has(name))
  if (unknown.length > 0) {
    process.stderr.write(`Unknown figure ${unknown.join(', ')}.\n${USAGE}\n`)
    return 2
  }
  const chosen =
    args.length === 0 ? FIGURES : FIGURES.filter((figure) => args.some((name) => ALIASES.get(name) === figure))
  const file = resultsFile()
  const started = performance.now()
  const host = machine()
  process.stdout.write(
    `Appcues destination benchmarks${QUICK ? ' (BENCH_QUICK: smoke run, not a measurement)' : ''}: ` +
      `${host.cpus} cores (${host.cpuModel}), Node ${host.node}, ${host.platform}\n`
  )
  const figures = readPrevious(file)
  for (const figure of chosen) {
    const number = FIGURES.indexOf(figure) + 1
    process.stderr.write(`Measuring ${number}. ${figure.key}...\n`)
    const figureStart = performance.now()
    const data: unknown = await figure.measure()
    const result: FigureResult = {
      title: figure.title,
      measuredAt: new Date().toISOString(),
      quick: QUICK,
      wallSeconds: Math.round((performance.now() - figureStart) / 100) / 10,
      table: figure.table(data),
      notes: figure.notes(data),
      data
    }
    figures[figure.key] = result
    process.stdout.write(
      `\n## ${number}. ${result.title}\n\n${result.table}\n\n${result.notes.map((note) => `- ${note}`).join('\n')}\n` +
        `(${result.wallSeconds} s)\n`
    )
  }
  const wallSeconds = Math.round((performance.now() - started) / 100) / 10
  const command = `${QUICK ? 'BENCH_QUICK=1 ' : ''}npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`
  const results: BenchResults = {
    command,
    updatedAt: new Date().toISOString(),
    wallSeconds,
    machine: host,
    figures
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(
    `\nWall time ${wallSeconds} s. Results written to ${path.relative(process.cwd(), file) || file}\n`
  )
  return 0
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`)
      process.exitCode = 1
    }
  )
}
