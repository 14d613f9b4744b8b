import type { SimulatorCounts } from '../../../simulator'
import type { ReasonCount, Tally } from './tally'

export interface TargetDescription {
  kind: 'simulator' | 'appcues'
  /** For the simulator: its address. For Appcues: the region, or the simulator given with --endpoint. */
  where: string
  accountId: number
}

/** The result of a run; `--json` prints exactly this object. */
export interface SendSummary {
  input: string
  target: TargetDescription
  lines: number
  read: number
  malformed: number
  alreadyDone: number
  delivered: number
  skipped: number
  rejected: number
  failed: number
  /** Events read that had no outcome when the run ended (in flight when a stopped run gave up waiting). */
  unfinished: number
  requests: number
  retries: number
  /** Events per batch of one subscription (`--batch-size`); 1 means one event at a time. */
  batchSize: number
  elapsedMs: number
  eventsPerSecond: number
  topRejectedReasons: ReasonCount[]
  topFailedReasons: ReasonCount[]
  /** Why events were skipped other than by the subscriptions' filters: a duplicate messageId, a superseded dead letter. */
  topSkippedReasons: ReasonCount[]
  topMalformedReasons: ReasonCount[]
  malformedLines: Array<{ line: number; error: string }>
  /** The dead letters written, and how many of them a later delivered event superseded (a replay skips those). */
  deadLetter: { file: string; count: number; superseded: number } | null
  checkpoint: string | null
  /** Why the run stopped before the end of the input, if it did. */
  stopped: string | null
  /** Set when the input is not empty but not one event could be read from it: what it looks like. */
  noEvents: string | null
  /** Set when the input ended before its format says it is complete (a JSON array cut short), and how. */
  incomplete: string | null
  /** Set when more events were refused (rejected, or lines malformed) than `--max-refused` allows: how many. */
  refused: string | null
  simulator?: SimulatorCounts
}

export function buildSummary(parts: {
  input: string
  target: TargetDescription
  tally: Tally
  unfinished: number
  requests: number
  batchSize: number
  elapsedMs: number
  deadLetter: { file: string; count: number; superseded: number }
  checkpoint?: string
  stopped?: string
  /** Events that may be refused (rejected, or lines malformed) before the run counts as not done (`--max-refused`). */
  maxRefused: number
  simulator?: SimulatorCounts
}): SendSummary {
  const { tally, elapsedMs } = parts
  const noEvents =
    tally.read === 0 && tally.alreadyDone === 0 && tally.malformed > 0
      ? `no event could be read from ${parts.input}: every one of its ${tally.malformed} non-blank line${
          tally.malformed === 1 ? ' is' : 's is'
        } malformed; the first reads \`${
          tally.firstMalformedText ?? ''
        }\`. send reads JSON lines (one event, a JSON object, on each line) or a JSON array of events. If the file is one pretty-printed JSON document, write one event per line: \`jq -c .\` for a single event, or \`jq -c '.events[]'\` for events wrapped in an object under "events".`
      : null
  const refusedCount = tally.rejected + tally.malformed
  const refusedParts = [
    tally.rejected > 0 ? `${tally.rejected} event${tally.rejected === 1 ? ' was' : 's were'} rejected` : '',
    tally.malformed > 0 ? `${tally.malformed} line${tally.malformed === 1 ? ' was' : 's were'} malformed` : ''
  ].filter(Boolean)
  const [them, they] = refusedCount === 1 ? ['it', 'it'] : ['them', 'they']
  const deadLettered = tally.rejected > 0 ? ' (rejected events are in the dead-letter file)' : ''
  const refused =
    refusedCount > parts.maxRefused && noEvents === null
      ? `${refusedParts.join(' and ')}, more than the ${parts.maxRefused} that --max-refused allows. ` +
        `Fix ${them} and send ${them} again${deadLettered}, or give --max-refused ${refusedCount} if ${they} may stay unsent`
      : null
  const seconds = Math.max(elapsedMs, 1) / 1000
  return {
    input: parts.input,
    target: parts.target,
    lines: tally.lines,
    read: tally.read,
    malformed: tally.malformed,
    alreadyDone: tally.alreadyDone,
    delivered: tally.delivered,
    skipped: tally.skipped,
    rejected: tally.rejected,
    failed: tally.failed,
    unfinished: parts.unfinished,
    requests: parts.requests,
    retries: tally.retries,
    batchSize: parts.batchSize,
    elapsedMs: Math.round(elapsedMs),
    eventsPerSecond: Math.round((tally.finished / seconds) * 10) / 10,
    topRejectedReasons: tally.rejectedReasons.top(5),
    topFailedReasons: tally.failedReasons.top(5),
    topSkippedReasons: tally.skippedReasons.top(5),
    topMalformedReasons: tally.malformedReasons.top(5),
    malformedLines: tally.malformedLines,
    deadLetter: parts.deadLetter.count > 0 ? parts.deadLetter : null,
    checkpoint: parts.checkpoint ?? null,
    stopped: parts.stopped ?? null,
    noEvents,
    incomplete: tally.incomplete ?? null,
    refused,
    ...(parts.simulator ? { simulator: parts.simulator } : {})
  }
}

const row = (label: string, value: string | number, note = '') =>
  `  ${label.padEnd(14)} ${String(value).padStart(8)}${note ? `  ${note}` : ''}`

function reasons(list: ReasonCount[]): string[] {
  return list.map(
    ({ reason, count }) =>
      `      ${String(count).padStart(6)} × ${reason.length > 160 ? `${reason.slice(0, 160)}…` : reason}`
  )
}

/** The summary as lines for a terminal. */
export function formatSummary(summary: SendSummary): string[] {
  const lines = ['', 'Summary']
  const malformedNote =
    summary.malformed > 0
      ? `${summary.malformed} malformed line${
          summary.malformed === 1 ? '' : 's'
        } not counted (line ${summary.malformedLines.map((m) => m.line).join(', ')}${
          summary.malformed > summary.malformedLines.length ? ', …' : ''
        })`
      : ''
  lines.push(row('events read', summary.read, malformedNote))
  lines.push(...reasons(summary.topMalformedReasons))
  if (summary.alreadyDone > 0)
    lines.push(row('already done', summary.alreadyDone, 'lines finished by an earlier run (checkpoint)'))
  lines.push(row('delivered', summary.delivered))
  const duplicates = summary.topSkippedReasons.length > 0 ? '; or:' : ''
  lines.push(row('skipped', summary.skipped, `no subscription matched${duplicates}`))
  lines.push(...reasons(summary.topSkippedReasons))
  lines.push(
    row('rejected', summary.rejected, summary.rejected > 0 ? 'the destination refused the event; top reasons:' : '')
  )
  lines.push(...reasons(summary.topRejectedReasons))
  lines.push(row('failed', summary.failed, summary.failed > 0 ? 'not delivered; top reasons:' : ''))
  lines.push(...reasons(summary.topFailedReasons))
  if (summary.unfinished > 0) {
    lines.push(
      row(
        'unfinished',
        summary.unfinished,
        'still in flight when the run stopped: neither dead-lettered nor checkpointed'
      )
    )
  }
  const batches = summary.batchSize > 1 ? `, batches of up to ${summary.batchSize} events` : ''
  // Every run starts with one check of the credentials (the call testAuthentication makes); it is a request too.
  const retries = `${summary.retries} retr${summary.retries === 1 ? 'y' : 'ies'}`
  lines.push(row('requests', summary.requests, `including 1 credential check; ${retries}${batches}`))
  lines.push(row('elapsed', `${(summary.elapsedMs / 1000).toFixed(1)} s`, `${summary.eventsPerSecond} events/s`))
  if (summary.deadLetter) {
    const { count, file, superseded } = summary.deadLetter
    lines.push(`  dead letters   ${count} in ${file} (fix the cause, then send that file)`)
    if (superseded > 0) {
      lines.push(
        `                 ${superseded} of them superseded: a later event changed the same user, group or membership and was delivered, so sending that file skips them`
      )
    }
  }
  if (summary.checkpoint) lines.push(`  checkpoint     ${summary.checkpoint}`)
  if (summary.stopped) lines.push('', `Stopped early: ${summary.stopped}`)
  if (summary.noEvents) lines.push('', `Nothing sent: ${summary.noEvents}`)
  if (summary.incomplete) lines.push('', `Input incomplete: ${summary.incomplete}.`)
  if (summary.refused) lines.push('', `Not every event was delivered: ${summary.refused}.`)
  return lines
}
