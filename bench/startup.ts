import { spawnSync } from 'child_process'
import fs from 'fs'
import path from 'path'
import { performance } from 'perf_hooks'
import { QUICK, SIZES } from './lib/config'
import type { Figure } from './lib/figure'
import { markdownTable, median, round } from './lib/format'
import { BIN, ROOT, tempDir } from './lib/processes'

export interface StartupRow {
  name: string
  command: string
  /** Median wall time of the command, in ms. */
  medianMs: number
  /** Median of the per-round ratios command / baseline; undefined for the baseline itself. */
  ratio?: number
  target?: number
}

export interface StartupData {
  rounds: number
  rows: StartupRow[]
}

interface Subject {
  name: string
  args: string[]
  target?: number
}

/** Wall time of `node ARGS` from spawn to exit, in ms; a failed run is an error, not a fast result. */
function timeRun(args: string[]): number {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
  const elapsed = performance.now() - started
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited with ${String(result.status)}: ${result.stderr}`)
  return elapsed
}

/** Figure 7: how long the CLI takes for its help and for the example send, next to loading actions-core alone. */
export function measureStartup(): StartupData {
  const { rounds } = SIZES.startup
  const dir = tempDir('startup')
  const baseline: Subject = { name: 'baseline', args: ['-e', "require('@segment/actions-core')"] }
  const subjects: Subject[] = [
    baseline,
    { name: 'help', args: [BIN, '--help'], target: 1.5 },
    {
      name: 'send',
      args: [
        BIN,
        'send',
        '--simulate',
        'examples/events.jsonl',
        '--max-refused',
        '7',
        '--rate',
        '0',
        '--dead-letter',
        path.join(dir, 'dl.jsonl')
      ],
      target: 4
    }
  ]
  try {
    // One warm-up round fills the file-system cache; then each round runs every command, in a rotating order.
    subjects.forEach((subject) => timeRun(subject.args))
    const times = new Map<Subject, number[]>(subjects.map((subject) => [subject, []]))
    for (let round = 0; round < rounds; round++) {
      const order = subjects.map((_, i) => subjects[(i + round) % subjects.length])
      for (const subject of order) times.get(subject)?.push(timeRun(subject.args))
    }
    const baseTimes = times.get(baseline) ?? []
    return {
      rounds,
      rows: subjects.map((subject) => {
        const own = times.get(subject) ?? []
        const row: StartupRow = {
          name: subject.name,
          command:
            subject === baseline
              ? `node -e "require('@segment/actions-core')"`
              : `appcues-actions ${subject.args.slice(1).join(' ')}`,
          medianMs: round(median(own))
        }
        if (subject === baseline) return row
        return { ...row, ratio: round(median(own.map((ms, i) => ms / baseTimes[i])), 2), target: subject.target }
      })
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function startupTable(data: StartupData): string {
  return markdownTable(
    ['command', 'median wall time', 'ours / baseline', 'target'],
    data.rows.map((row) => [
      `\`${row.command.replace(/--dead-letter \S+/, '--dead-letter TMP')}\``,
      `${row.medianMs} ms`,
      row.ratio === undefined ? '1 (the baseline)' : `**${row.ratio.toFixed(2)}**`,
      row.target === undefined ? '' : `≤ ${row.target}`
    ])
  )
}

export const startupFigure: Figure<StartupData> = {
  key: 'startup',
  title: 'Start-up: the CLI’s help and the example send, next to loading actions-core alone',
  measure: () => Promise.resolve(measureStartup()),
  table: startupTable,
  notes: (data) => [
    `Wall time from spawning \`node\` to its exit, ${data.rounds} rounds after one warm-up round; each round runs ` +
      'the three commands one after the other, in a rotating order. The ratio is the median of the per-round ratios ' +
      'to the baseline run in the same round, so a busy machine slows both sides alike.',
    'The CLI runs as installed: `bin/appcues-actions.js` on the compiled `dist/` (`npm run bench` builds it first). ' +
      '`send` reads the example file (54 events) and sends them to its in-process simulator, which accepts 46.' +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}
