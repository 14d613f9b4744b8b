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
  readonly malformedLines: Array<{ line: number; error: string }> = []

  addMalformed(line: number, error: string): void {
    this.malformed++
    if (this.malformedLines.length < MAX_LISTED_MALFORMED) this.malformedLines.push({ line, error })
  }

  addOutcome(outcome: EventOutcome, reasons: string[] = []): void {
    this[outcome]++
    if (outcome === 'rejected') reasons.forEach((reason) => this.rejectedReasons.add(reason))
    if (outcome === 'failed') reasons.forEach((reason) => this.failedReasons.add(reason))
  }

  get finished(): number {
    return this.delivered + this.skipped + this.rejected + this.failed
  }
}
