import { Destination } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import definition from '../../destinations/appcues'
import type { Checkpoint } from './checkpoint'
import type { DeadLetterFile } from './dead-letter'
import { Deliverer } from './deliver'
import type { DeliveryUnit } from './deliver'
import { parseLine } from './events'
import { newUnitContext, RequestInstrument } from './instrument'
import type { RawLine } from './line-reader'
import type { SendOptions } from './options'
import type { AttemptResult } from './outcomes'
import { checkCredentials, checkSubscriptions } from './preflight'
import type { ProgressSink } from './progress'
import { Progress } from './progress'
import { RequestRateLimiter } from './rate-limiter'
import { deliverWithRetries } from './retry'
import type { FinalResult } from './retry'
import type { Subscription } from './subscriptions'
import type { EventOutcome } from './tally'
import { Tally } from './tally'
import type { Target } from './target'

export interface RunOutput {
  stderr: (line: string) => void
  progress?: ProgressSink
}

/** Combines the outcomes of an event's subscriptions into the event's one outcome. */
function eventOutcome(finals: FinalResult[], deliveredBefore: boolean): EventOutcome {
  const kinds = new Set(finals.map((final) => final.kind))
  if (kinds.has('failed')) return 'failed'
  if (kinds.has('rejected')) return 'rejected'
  if (kinds.has('delivered') || deliveredBefore) return 'delivered'
  return 'skipped'
}

/** One run over one input: takes lines, delivers their events, records every outcome. */
export class SendRun {
  readonly tally = new Tally()
  readonly counters = { requests: 0 }
  readonly progress: Progress
  readonly bytes = { bytes: 0 }
  stopped?: string
  private deliverer!: Deliverer

  constructor(
    private readonly options: SendOptions,
    private readonly io: RunOutput,
    private readonly subscriptions: Subscription[],
    private readonly deadLetters: DeadLetterFile,
    private readonly checkpoint: Checkpoint | undefined,
    totalBytes: number | undefined
  ) {
    this.progress = new Progress(options.quiet ? undefined : io.progress, () => ({
      tally: this.tally,
      bytesRead: this.bytes.bytes,
      totalBytes,
      requests: this.counters.requests
    }))
  }

  async prepare(target: Target): Promise<void> {
    const limiter = new RequestRateLimiter(this.options.rate)
    const instrument = new RequestInstrument(limiter, this.counters)
    const destination = new Destination(instrument.wrapDefinition(definition))
    await checkSubscriptions(destination, target.settings, this.subscriptions)
    this.tally.retries += await checkCredentials(destination, target.settings, instrument, this.options.retry)
    this.deliverer = new Deliverer(destination, target.settings, instrument)
  }

  private say(line: string): void {
    if (this.options.quiet) return
    this.progress.clear()
    this.io.stderr(line)
  }

  stop(reason: string): void {
    this.stopped ??= reason
  }

  async consume(lines: AsyncGenerator<RawLine>): Promise<void> {
    let readError: Error | undefined
    const worker = async () => {
      while (!this.stopped) {
        let next: IteratorResult<RawLine>
        try {
          next = await lines.next()
        } catch (error) {
          readError ??= error as Error
          this.stop(`the input could not be read (${(error as Error).message})`)
          return
        }
        if (next.done) return
        await this.handleLine(next.value)
      }
    }
    await Promise.all(Array.from({ length: this.options.concurrency }, worker))
    if (readError) throw new Error(`Reading ${this.options.input} failed: ${readError.message}`)
  }

  private async handleLine(raw: RawLine): Promise<void> {
    this.tally.lines++
    if (this.checkpoint?.isLineDone(raw.line)) {
      this.tally.alreadyDone++
      return
    }
    const parsed = parseLine(raw)
    if (parsed.kind === 'blank') {
      this.checkpoint?.markLine(raw.line, false)
    } else if (parsed.kind === 'malformed') {
      this.tally.addMalformed(parsed.line, parsed.error)
      this.say(`line ${parsed.line}: skipped, ${parsed.error}`)
      this.checkpoint?.markLine(raw.line, false)
    } else {
      this.tally.read++
      await this.handleEvent(parsed.line, parsed.event, parsed.only)
    }
  }

  private unitsFor(
    line: number,
    event: SegmentEvent,
    only: string | undefined
  ): { units: DeliveryUnit[]; deliveredBefore: boolean } {
    const finished = this.checkpoint?.finishedUnits(line) ?? new Set<number>()
    const named = only !== undefined && this.subscriptions.some((subscription) => subscription.name === only)
    const units = this.subscriptions.flatMap((subscription, index) =>
      (named && subscription.name !== only) || finished.has(index)
        ? []
        : [{ line, event, index, subscription, context: newUnitContext(), attempts: 0 }]
    )
    return { units, deliveredBefore: finished.size > 0 }
  }

  private async handleEvent(line: number, event: SegmentEvent, only: string | undefined): Promise<void> {
    const { units, deliveredBefore } = this.unitsFor(line, event, only)
    let unfinished = units.length
    // A unit delivered while others of the same event are still running is recorded on its own, at once.
    const onSettled = (unit: DeliveryUnit, result: AttemptResult) => {
      if (result.kind === 'retry') return
      unfinished--
      if (result.kind === 'delivered' && unfinished > 0) this.checkpoint?.markUnit(line, unit.index)
    }
    const finals = await deliverWithRetries(
      units,
      (group) => this.deliverer.deliverGroup(group, onSettled),
      this.options.retry,
      { onRetry: () => this.tally.retries++, stopping: () => this.stopped !== undefined }
    )
    const fatal = finals.find((final) => final.kind === 'fatal')
    if (fatal) {
      // Neither dead-lettered nor checkpointed: resuming with the same --checkpoint sends the event again.
      this.tally.addOutcome('failed', [fatal.reason])
      this.stop(
        `${fatal.reason} Nothing more was sent. Fix the settings, then run again with the same --checkpoint to continue where this run stopped (without a checkpoint, events already delivered would be sent again).`
      )
      return
    }
    const reasons: string[] = []
    finals.forEach((final, i) => {
      if (final.kind !== 'rejected' && final.kind !== 'failed') return
      const unit = units[i]
      reasons.push(final.reason)
      this.deadLetters.write({
        outcome: final.kind,
        reason: final.reason,
        ...(final.status !== undefined ? { status: final.status } : {}),
        subscription: unit.subscription.name,
        action: unit.subscription.partnerAction,
        input: this.options.input,
        line,
        attempts: unit.attempts,
        at: new Date().toISOString(),
        event
      })
    })
    this.tally.addOutcome(eventOutcome(finals, deliveredBefore), reasons)
    this.checkpoint?.markLine(line)
  }
}
