import { setMaxListeners } from 'events'
import { Destination } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import definition from '../../destinations/appcues'
import { Batcher } from './batch/batcher'
import type { BatchLane, Unsent } from './batch/batcher'
import { Checkpoint } from './record/checkpoint'
import type { DeadLetter, DeadLetterFile } from './record/dead-letter'
import { Deliverer } from './deliver/deliver'
import type { DeliveryUnit } from './deliver/deliver'
import { parseLine } from './parse/events'
import { CallJournal, InFlightLimit, newBatchContext, newUnitContext, RequestInstrument } from './deliver/instrument'
import type { UnitContext } from './deliver/instrument'
import type { RawLine } from './read/line-reader'
import type { SendOptions } from './options'
import type { AttemptResult } from './deliver/outcomes'
import { checkCredentials, checkSubscriptions } from './deliver/preflight'
import type { ProgressSink } from './record/progress'
import { Progress } from './record/progress'
import { RequestRateLimiter } from './deliver/rate-limiter'
import { RecentIds } from './route/recent-ids'
import { deliverWithRetries } from './deliver/retry'
import type { FinalResult } from './deliver/retry'
import { matcher } from './route/subscriptions'
import { orderKeysOf } from './route/order-keys'
import { KeyOrder } from './batch/key-order'
import type { Place } from './batch/key-order'
import type { Subscription } from './route/subscriptions'
import type { EventOutcome } from './record/tally'
import { Tally } from './record/tally'
import type { Target } from './target'

export interface RunOutput {
  stderr: (line: string) => void
  progress?: ProgressSink
}

/** A unit's final result, or: not sent, because the run stopped while its batch was still filling. */
type LineFinal = FinalResult | Unsent

/** A unit waiting for its batch, and what to do with its outcome. */
interface QueuedUnit {
  unit: DeliveryUnit
  settle: (final: LineFinal) => void
}

const UNSENT_REASON = 'Not sent: the run stopped before the batch holding this event was sent.'
const UNSENT_TURN_REASON =
  'Not sent: the run stopped while this event waited for an earlier event of the same user, group or audience.'

const DUPLICATE_REASON = 'duplicate messageId'
const SUPERSEDED_REASON =
  'superseded dead letter: a later event changed the same user, group or membership and was delivered'

/** With batching, standard input that stays silent this long has its partial batches sent. */
const IDLE_FLUSH_MS = 500

type EventHandler = (line: number, event: SegmentEvent, only: string | undefined) => Promise<void>

/** An event whose units are in batches: its outcome is known once every unit has settled. */
interface PendingLine {
  line: number
  event: SegmentEvent
  units: DeliveryUnit[]
  finals: LineFinal[]
  open: number
  deliveredBefore: boolean
}

/** Combines the outcomes of an event's subscriptions into the event's one outcome. */
function eventOutcome(finals: FinalResult[], deliveredBefore: boolean): EventOutcome {
  const kinds = new Set(finals.map((final) => final.kind))
  if (kinds.has('failed')) return 'failed'
  if (kinds.has('rejected')) return 'rejected'
  if (kinds.has('delivered') || deliveredBefore) return 'delivered'
  return 'skipped'
}

function listenedToByAll(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal)
  return controller
}

/** One run over one input: takes lines, delivers their events, records every outcome. */
export class SendRun {
  readonly tally = new Tally()
  readonly counters = { requests: 0 }
  readonly progress: Progress
  readonly bytes = { bytes: 0 }
  stopped?: string
  private deliverer!: Deliverer
  private readonly recentIds = new RecentIds()
  private readonly keyOrder = new KeyOrder()
  private readonly matchers: Array<(event: SegmentEvent) => boolean>
  private readonly orderKeys: Array<(event: SegmentEvent) => string[]>

  constructor(
    private readonly options: SendOptions,
    private readonly io: RunOutput,
    private readonly subscriptions: Subscription[],
    /** Per subscription: the key of what an event overwrites in Appcues (stateKeyOf). */
    private readonly stateKeys: Array<(event: SegmentEvent) => string | undefined>,
    private readonly deadLetters: DeadLetterFile,
    private readonly checkpoint: Checkpoint | undefined,
    totalBytes: number | undefined
  ) {
    this.matchers = subscriptions.map(matcher)
    this.orderKeys = subscriptions.map((subscription, index) => orderKeysOf(subscription, index))
    if (checkpoint) {
      checkpoint.onFailure = (error) =>
        this.stop(
          `the checkpoint ${checkpoint.file} could not be written (${error.message}). Lines finished after this are not recorded in it: a run with the same --checkpoint sends them again. Make room, then run again with the same --checkpoint.`
        )
    }
    this.progress = new Progress(options.quiet ? undefined : io.progress, () => ({
      tally: this.tally,
      bytesRead: this.bytes.bytes,
      totalBytes,
      requests: this.counters.requests
    }))
  }

  async prepare(target: Target): Promise<void> {
    const limiter = new RequestRateLimiter(this.options.rate)
    // One event at a time, --concurrency caps the events in flight; with batching, it caps the requests in flight.
    const inFlight = this.batching ? new InFlightLimit(this.options.concurrency) : undefined
    const instrument = new RequestInstrument(limiter, this.counters, inFlight)
    const destination = new Destination(instrument.wrapDefinition(definition))
    await checkSubscriptions(destination, target.settings, this.subscriptions)
    this.tally.retries += await checkCredentials(
      destination,
      target.settings,
      instrument,
      this.options.retry,
      this.stopping.signal
    )
    this.deliverer = new Deliverer(destination, target.settings, instrument)
  }

  private say(line: string): void {
    if (this.options.quiet) return
    this.progress.clear()
    this.io.stderr(line)
  }

  /**
   * Aborted when the run stops: backoffs end at once, and no event waiting for its turn is sent. Every unit in a backoff
   * listens to it, as many as the run has in flight, so Node's warning at 11 listeners is turned off.
   */
  private readonly stopping = listenedToByAll(new AbortController())

  stop(reason: string): void {
    this.stopped ??= reason
    this.stopping.abort()
  }

  /** Set once the run has ended (its summary is made): work still going on records nothing more. */
  private ended = false

  end(): void {
    this.ended = true
  }

  /** Events read that have no outcome yet (in flight, or waiting for their turn). */
  get unfinished(): number {
    return this.tally.read - this.tally.finished
  }

  /** Whether events go through the actions' batch path (`--batch-size` above 1). */
  private get batching(): boolean {
    return this.options.batchSize > 1
  }

  /** Set once events are being read and sent. */
  consuming = false

  async consume(lines: AsyncGenerator<RawLine>): Promise<void> {
    this.consuming = true
    if (this.batching) return this.consumeInBatches(lines)
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
        await this.handleLine(next.value, (line, event, only) => this.handleEvent(line, event, only))
      }
    }
    await Promise.all(Array.from({ length: this.options.concurrency }, worker))
    if (readError) throw new Error(`Reading ${this.options.input} failed: ${readError.message}`)
  }

  /** Counts and parses a line, and hands an event to `handleEvent` (delivered at once, or queued in batches). */
  private async handleLine(raw: RawLine, handleEvent: EventHandler): Promise<void> {
    this.tally.lines++
    if (this.checkpoint?.isLineDone(raw.line)) {
      this.tally.alreadyDone++
      return
    }
    const parsed = parseLine(raw)
    if (parsed.kind === 'blank') {
      this.checkpoint?.markLine(raw.line, false)
    } else if (parsed.kind === 'malformed') {
      if (raw.truncated) this.tally.incomplete = parsed.error
      this.tally.addMalformed(parsed.line, parsed.error, raw.text)
      this.say(`line ${parsed.line}: malformed, ${parsed.error}`)
      this.checkpoint?.markLine(raw.line, false)
    } else {
      this.tally.read++
      if (parsed.supersededBy !== undefined) {
        this.tally.addOutcome('skipped', [SUPERSEDED_REASON])
        this.checkpoint?.markLine(raw.line)
      } else if (this.isRepeat(parsed.event, parsed.only)) {
        this.tally.addOutcome('skipped', [DUPLICATE_REASON])
        this.checkpoint?.markLine(raw.line)
      } else if (parsed.problem) {
        this.rejectAlone(parsed.line, parsed.event, parsed.only, parsed.problem)
      } else {
        await handleEvent(parsed.line, parsed.event, parsed.only)
      }
    }
  }

  /** Whether the event's messageId was seen recently (for a dead letter: with the same subscription). */
  private isRepeat(event: SegmentEvent, only: string | undefined): boolean {
    const { messageId } = event as { messageId?: unknown }
    if (typeof messageId !== 'string' || messageId === '') return false
    return this.recentIds.repeat(only === undefined ? messageId : `${messageId}\n${only}`)
  }

  /**
   * An event whose shape actions-core would trip over is rejected, with the reason, by every subscription whose
   * filter it matches, without being sent or put in a batch (where it would fail its neighbours).
   */
  private rejectAlone(line: number, event: SegmentEvent, only: string | undefined, problem: string): void {
    const { units, deliveredBefore } = this.unitsFor(line, event, only)
    const finals = units.map((unit): FinalResult => {
      return this.matchers[unit.index](event) ? { kind: 'rejected', reason: problem, status: 400 } : { kind: 'skipped' }
    })
    this.finishLine(line, event, units, finals, deliveredBefore)
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
        : [{ line, event, index, subscription, context: this.unitContext(line, index), attempts: 0 }]
    )
    return { units, deliveredBefore: finished.size > 0 }
  }

  /** A unit's context; with a checkpoint, its answered calls are recorded so that a resume does not repeat them. */
  private unitContext(line: number, index: number): UnitContext {
    const context = newUnitContext()
    const { checkpoint } = this
    if (checkpoint) {
      const scope = Checkpoint.unitScope(line, index)
      context.journal = new CallJournal(checkpoint.answeredCalls(scope), (fingerprint) =>
        checkpoint.markCall(scope, fingerprint)
      )
    }
    return context
  }

  private async handleEvent(line: number, event: SegmentEvent, only: string | undefined): Promise<void> {
    const { units, deliveredBefore } = this.unitsFor(line, event, only)
    // Taken before anything is awaited, so that places follow the input order.
    const places = units.map((unit) => this.placeInOrder(unit))
    let unfinished = units.length
    // A unit delivered while others of the same event are still running is recorded on its own, at once.
    const onSettled = (unit: DeliveryUnit, result: AttemptResult) => {
      if (result.kind === 'retry' || this.ended) return
      unfinished--
      if (result.kind === 'delivered' && unfinished > 0) this.checkpoint?.markUnit(line, unit.index)
    }
    const finals = await Promise.all(units.map((unit, i) => this.deliverInTurn(unit, places[i], onSettled)))
    this.finishLine(line, event, units, finals, deliveredBefore)
  }

  /** The unit's place behind the earlier units of its subscription that change the same user, group or audience. */
  private placeInOrder(unit: DeliveryUnit): Place {
    const { index } = unit
    const matches = this.matchers[index]
    return this.keyOrder.enter(matches(unit.event) ? this.orderKeys[index](unit.event) : [])
  }

  /** Delivers one unit on its own (with its retries) once its turn has come; it is not sent once the run stops. */
  private async deliverInTurn(
    unit: DeliveryUnit,
    place: Place,
    onSettled: (unit: DeliveryUnit, result: AttemptResult) => void
  ): Promise<LineFinal> {
    try {
      await place.turn
      if (this.stopped) return { kind: 'unsent', reason: UNSENT_TURN_REASON }
      const [final] = await deliverWithRetries(
        [unit],
        (group) => this.deliverer.deliverGroup(group, onSettled),
        this.options.retry,
        this.retryHooks
      )
      return final
    } finally {
      place.leave()
    }
  }

  private readonly retryHooks = {
    onRetry: () => this.tally.retries++,
    stopping: () => this.stopped !== undefined,
    signal: this.stopping.signal
  }

  /** Records an event's outcome once every one of its units has a final result. */
  private finishLine(
    line: number,
    event: SegmentEvent,
    units: DeliveryUnit[],
    finals: LineFinal[],
    deliveredBefore: boolean
  ): void {
    if (this.ended) return
    const fatal = finals.find((final) => final.kind === 'fatal')
    if (fatal) {
      // Neither dead-lettered nor checkpointed: resuming with the same --checkpoint sends the event again.
      this.tally.addOutcome('failed', [fatal.reason])
      this.stop(
        `${fatal.reason} Nothing more was sent. Fix the settings, then run again with the same --checkpoint to continue where this run stopped (without a checkpoint, events already delivered would be sent again).`
      )
      return
    }
    const unsent = finals.find((final) => final.kind === 'unsent')
    if (unsent) {
      // Like a fatal answer: resuming with the same --checkpoint sends the units that were not delivered.
      this.tally.addOutcome('failed', [unsent.reason])
      return
    }
    const outcomes = finals as FinalResult[]
    const reasons: string[] = []
    let kept = true
    outcomes.forEach((final, i) => {
      const unit = units[i]
      const key = this.stateKeys[unit.index](event)
      if (final.kind === 'delivered' && key !== undefined) this.deadLetters.delivered(key, line)
      if (final.kind !== 'rejected' && final.kind !== 'failed') return
      reasons.push(final.reason)
      const letter: DeadLetter = {
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
      }
      if (this.deadLetters.write(letter, key)) {
        kept = false
        this.loseDeadLetter(letter)
      }
    })
    this.tally.addOutcome(eventOutcome(outcomes, deliveredBefore), reasons)
    // A line whose dead letter was not written is not checkpointed: a resume sends it again and writes it then.
    if (kept) this.checkpoint?.markLine(line)
  }

  /** A dead letter the file could not take goes to standard error (even with --quiet), and the run stops. */
  private loseDeadLetter(letter: DeadLetter): void {
    const { file, failure } = this.deadLetters
    this.progress.clear()
    this.io.stderr(`Dead letter not written to ${file}: ${JSON.stringify(letter)}`)
    this.stop(
      `the dead-letter file ${file} could not be written (${
        failure?.message ?? 'unknown error'
      }). The dead letters it could not take are printed above, on standard error, and their lines are not checkpointed. Make room or choose another --dead-letter file, then run again with the same --checkpoint.`
    )
  }

  /**
   * The batch path: one reader queues each event's units in their subscription's batch (see Batcher); each event's
   * outcome is recorded when its last unit settles, whichever batch that unit was in.
   */
  private async consumeInBatches(lines: AsyncGenerator<RawLine>): Promise<void> {
    const batcher = new Batcher<QueuedUnit>(this.subscriptions, {
      batchSize: this.options.batchSize,
      canBatch: (subscription) => definition.actions[subscription.partnerAction]?.performBatch !== undefined,
      stopping: () => this.stopped !== undefined,
      resumedBatch: (line, index) => this.checkpoint?.resumedBatch(line, index),
      deliver: (batch, lane, resumedId) => this.deliverBatch(batch, lane, resumedId)
    })
    const queueEvent: EventHandler = (line, event, only) => this.queueEvent(batcher, line, event, only)
    let readError: Error | undefined
    try {
      while (!this.stopped) {
        let next: IteratorResult<RawLine>
        try {
          next = await this.nextLine(lines, batcher)
        } catch (error) {
          readError = error as Error
          this.stop(`the input could not be read (${readError.message})`)
          break
        }
        if (next.done) break
        await this.handleLine(next.value, queueEvent)
        await batcher.afterLine(next.value.line)
      }
      if (!this.stopped) await batcher.flushAll()
    } catch (error) {
      this.stop(`an error occurred (${(error as Error).message})`)
      await batcher.drain().catch(() => undefined)
      throw error
    }
    for (const queued of await batcher.drain()) queued.settle({ kind: 'unsent', reason: UNSENT_REASON })
    if (readError) throw new Error(`Reading ${this.options.input} failed: ${readError.message}`)
  }

  /** The next line; when standard input stays silent with events waiting in partial batches, those are sent. */
  private async nextLine(
    lines: AsyncGenerator<RawLine>,
    batcher: Batcher<QueuedUnit>
  ): Promise<IteratorResult<RawLine>> {
    const next = lines.next()
    if (this.options.input !== '-' || !batcher.hasWaiting()) return next
    let timer: NodeJS.Timeout | undefined
    const idle = new Promise<'idle'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), IDLE_FLUSH_MS)
    })
    const first = await Promise.race([next, idle])
    clearTimeout(timer)
    if (first !== 'idle') return first
    await batcher.flushAll()
    return next
  }

  private async queueEvent(batcher: Batcher<QueuedUnit>, line: number, event: SegmentEvent, only: string | undefined) {
    const { units, deliveredBefore } = this.unitsFor(line, event, only)
    const pending: PendingLine = { line, event, units, finals: [], open: units.length, deliveredBefore }
    if (units.length === 0) {
      this.finishLine(line, event, units, [], deliveredBefore)
      return
    }
    for (const [position, unit] of units.entries()) {
      await batcher.add({ unit, settle: (final) => this.settle(pending, position, final) })
    }
  }

  /** Delivers one batch: retryable events are sent again together, the others keep the outcome they got. */
  private async deliverBatch(batch: QueuedUnit[], lane: BatchLane, resumedId: string | undefined): Promise<void> {
    const settled = new Set<DeliveryUnit>()
    const byUnit = new Map(batch.map((queued) => [queued.unit, queued]))
    const onSettled = (unit: DeliveryUnit, result: AttemptResult) => {
      if (result.kind === 'retry') return
      settled.add(unit)
      byUnit.get(unit)?.settle(result)
    }
    if (!lane.batched) {
      // One at a time, each event in its turn: a retry of a user's older update lands before the newer one.
      const places = batch.map((queued) => this.placeInOrder(queued.unit))
      await Promise.all(
        batch.map(async (queued, i) => {
          const final = await this.deliverInTurn(queued.unit, places[i], onSettled)
          if (!settled.has(queued.unit)) queued.settle(final)
        })
      )
      return
    }
    const context = newBatchContext()
    context.journal = this.batchJournal(lane, batch, resumedId)
    const units = batch.map((queued) => queued.unit)
    const finals = await deliverWithRetries(
      units,
      (pending) => this.deliverer.deliverBatch(pending, context, onSettled),
      this.options.retry,
      this.retryHooks
    )
    batch.forEach((queued, index) => {
      if (!settled.has(queued.unit)) queued.settle(finals[index])
    })
  }

  /**
   * With a checkpoint, a batch records its lines as it starts and each call as it is answered, so that a resumed run
   * re-forms it and does not send an answered call again.
   */
  private batchJournal(lane: BatchLane, batch: QueuedUnit[], resumedId: string | undefined): CallJournal | undefined {
    const { checkpoint } = this
    if (!checkpoint || !lane.batched) return undefined
    const id =
      resumedId ??
      checkpoint.startBatch(
        lane.index,
        batch.map((queued) => queued.unit.line)
      )
    const earlier = [
      ...checkpoint.answeredCalls(id),
      ...batch.flatMap((queued) => checkpoint.answeredCalls(Checkpoint.unitScope(queued.unit.line, lane.index)))
    ]
    return new CallJournal(
      earlier,
      (fingerprint) => checkpoint.markCall(id, fingerprint),
      (fingerprint) => checkpoint.unmarkCall(id, fingerprint)
    )
  }

  /** One unit of a pending line has its final result; the line is finished with its last unit. */
  private settle(pending: PendingLine, position: number, final: LineFinal): void {
    if (this.ended) return
    pending.finals[position] = final
    pending.open--
    if (pending.open > 0) {
      // Recorded at once, so that a resume does not send this unit again while the line is unfinished.
      if (final.kind === 'delivered') this.checkpoint?.markUnit(pending.line, pending.units[position].index)
      return
    }
    this.finishLine(pending.line, pending.event, pending.units, pending.finals, pending.deliveredBefore)
  }
}
