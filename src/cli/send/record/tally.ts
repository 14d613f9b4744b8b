const MAX_DISTINCT_REASONS = 1000
const MAX_LISTED_MALFORMED = 20

export interface ReasonCount {
  reason: string
  count: number
}

/** Counts reasons; past a thousand distinct ones, the rest are counted together so memory stays bounded. */
class ReasonCounter {
  private readonly counts = new Map<string, number>()

  add(reason: string): void {
    const key = this.counts.has(reason) || this.counts.size < MAX_DISTINCT_REASONS ? reason : '(other reasons)'
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }

  top(limit: number): ReasonCount[] {
    return [...this.counts]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      .slice(0, limit)
  }
}

export type EventOutcome = 'delivered' | 'skipped' | 'rejected' | 'failed'

/** The running counts of a send run; one event has exactly one outcome. */
export class Tally {
  lines = 0
  read = 0
  malformed = 0
  alreadyDone = 0
  delivered = 0
  skipped = 0
  rejected = 0
  failed = 0
  retries = 0
  readonly rejectedReasons = new ReasonCounter()
  readonly failedReasons = new ReasonCounter()
  readonly skippedReasons = new ReasonCounter()
  readonly malformedReasons = new ReasonCounter()
  readonly malformedLines: Array<{ line: number; error: string }> = []
  /** Set when the input ended before its format says it is complete, and how. */
  incomplete?: string
  /** The start of the first malformed line, to show what the input looks like when no event could be read. */
  firstMalformedText?: string

  addMalformed(line: number, error: string, text = ''): void {
    this.malformed++
    // Counted without the details in parentheses (such as a position), so that alike lines share one reason.
    this.malformedReasons.add(error.replace(/ \(.*\)$/, ''))
    this.firstMalformedText ??= text.slice(0, 60)
    if (this.malformedLines.length < MAX_LISTED_MALFORMED) this.malformedLines.push({ line, error })
  }

  addOutcome(outcome: EventOutcome, reasons: string[] = []): void {
    this[outcome]++
    if (outcome === 'rejected') reasons.forEach((reason) => this.rejectedReasons.add(reason))
    if (outcome === 'failed') reasons.forEach((reason) => this.failedReasons.add(reason))
    if (outcome === 'skipped') reasons.forEach((reason) => this.skippedReasons.add(reason))
  }

  get finished(): number {
    return this.delivered + this.skipped + this.rejected + this.failed
  }
}
