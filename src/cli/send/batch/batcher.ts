import { parseFql, validate } from '@segment/destination-subscriptions'
import type { SegmentEvent } from '@segment/actions-core'
import { Checkpoint } from '../record/checkpoint'
import type { Deliverer, DeliveryUnit } from '../deliver/deliver'
import { CallJournal, newBatchContext } from '../deliver/instrument'
import type { AttemptResult } from '../deliver/outcomes'
import { deliverWithRetries } from '../deliver/retry'
import type { FinalResult, RetryPolicy } from '../deliver/retry'
import type { Subscription } from '../route/subscriptions'

/** A unit that was never sent, because the run stopped while its batch was still filling. */
export interface Unsent {
  kind: 'unsent'
  reason: string
}

/** A unit waiting for its batch, and what to do with its outcome. */
export interface QueuedUnit {
  unit: DeliveryUnit
  settle: (final: FinalResult | Unsent) => void
}

export interface BatcherOptions {
  batchSize: number
  retry: RetryPolicy
  /** Whether the subscription's action has a `performBatch`. */
  canBatch: (subscription: Subscription) => boolean
  onRetry: () => void
  stopping: () => boolean
}

/** One subscription's queue: the events that matched its filter, sent in batches, one batch at a time. */
interface Lane {
  /** The subscription's position in the run's list (the checkpoint records it). */
  index: number
  /** Through `onBatch` and the action's `performBatch`; otherwise each event through `onEvent`. */
  batched: boolean
  size: number
  matches: (event: SegmentEvent) => boolean
  waiting: QueuedUnit[]
  /** Units of batches an interrupted run had started, by batch id: they are sent again as the same batch. */
  resumed: Map<string, { lastLine: number; waiting: QueuedUnit[] }>
  running: Promise<void>
}

/**
 * A partial batch is sent once its oldest event is this many batches' worth of input lines behind the reader, so
 * that a subscription that matches few events does not hold its lines (and the checkpoint's low-water mark) back.
 */
const MAX_LAG_IN_BATCHES = 10

/** The batch size a mapping asks for with the hidden `batch_size` field, if it sets one. */
function mappingBatchSize(subscription: Subscription): number | undefined {
  const size = subscription.mapping.batch_size
  return typeof size === 'number' && size >= 1 ? Math.floor(size) : undefined
}

/** The subscription's filter, as actions-core applies it before a batch reaches the action. */
export function matcher(subscription: Subscription): (event: SegmentEvent) => boolean {
  const parsed = parseFql(subscription.subscribe)
  // An unparsable filter is refused before sending starts; should one get here, actions-core reports it per event.
  if ('error' in parsed) return () => true
  return (event) => validate(parsed, event)
}

/**
 * Groups the units of each subscription into batches and delivers each batch with its retries. A subscription has
 * at most one batch in flight: profile updates of one user thus reach Appcues in input order, and what is in flight
 * stays small. Batches fill up as the input is read; a partial batch is sent when the input ends, when it falls too
 * far behind, or when asked (`flushAll`, for example while standard input is idle).
 */
export class Batcher {
  private readonly lanes: Lane[]
  private readonly maxLag: number
  private failure?: Error

  constructor(
    subscriptions: Subscription[],
    private readonly deliverer: Deliverer,
    private readonly checkpoint: Checkpoint | undefined,
    private readonly options: BatcherOptions
  ) {
    this.lanes = subscriptions.map((subscription, index) => {
      const batched = options.canBatch(subscription) && subscription.mapping.enable_batching !== false
      return {
        index,
        batched,
        size: batched ? Math.min(options.batchSize, mappingBatchSize(subscription) ?? Infinity) : options.batchSize,
        matches: matcher(subscription),
        waiting: [],
        resumed: new Map(),
        running: Promise.resolve()
      }
    })
    this.maxLag = options.batchSize * MAX_LAG_IN_BATCHES
  }

  /** Queues a unit (or settles it as skipped when its subscription's filter does not match the event). */
  async add(queued: QueuedUnit): Promise<void> {
    const lane = this.lanes[queued.unit.index]
    if (!lane.matches(queued.unit.event)) {
      queued.settle({ kind: 'skipped' })
      return
    }
    // A unit of a batch that an interrupted run had started goes back into that batch.
    const resumed = lane.batched ? this.checkpoint?.resumedBatch(queued.unit.line, lane.index) : undefined
    if (resumed) {
      const group = lane.resumed.get(resumed.id) ?? { lastLine: Math.max(...resumed.lines), waiting: [] }
      group.waiting.push(queued)
      lane.resumed.set(resumed.id, group)
      return
    }
    lane.waiting.push(queued)
    if (lane.waiting.length >= lane.size) await this.dispatch(lane)
  }

  /** Sends the resumed batches whose lines have all been read, and the partial batches too far behind `line`. */
  async afterLine(line: number): Promise<void> {
    for (const lane of this.lanes) {
      for (const [id, group] of lane.resumed) if (line >= group.lastLine) await this.dispatch(lane, id)
      if (lane.waiting.length > 0 && line - lane.waiting[0].unit.line >= this.maxLag) await this.dispatch(lane)
    }
  }

  hasWaiting(): boolean {
    return this.lanes.some((lane) => lane.waiting.length > 0 || lane.resumed.size > 0)
  }

  /** Sends every partial batch. */
  async flushAll(): Promise<void> {
    for (const lane of this.lanes) {
      for (const id of [...lane.resumed.keys()]) await this.dispatch(lane, id)
      if (lane.waiting.length > 0) await this.dispatch(lane)
    }
  }

  /** Waits for the batches in flight; then returns the units that were never sent (the run stopped first). */
  async drain(): Promise<QueuedUnit[]> {
    await Promise.all(this.lanes.map((lane) => lane.running))
    if (this.failure) throw this.failure
    return this.lanes.flatMap((lane) => [
      ...[...lane.resumed.values()].flatMap((group) => group.waiting),
      ...lane.waiting.splice(0)
    ])
  }

  /**
   * Starts the lane's next batch (or the resumed batch `resumedId`) once its previous one has finished; nothing new
   * starts once the run stops.
   */
  private async dispatch(lane: Lane, resumedId?: string): Promise<void> {
    await lane.running
    if (this.failure) throw this.failure
    if (this.options.stopping()) return
    let batch: QueuedUnit[]
    if (resumedId === undefined) {
      batch = lane.waiting.splice(0, lane.size)
    } else {
      batch = lane.resumed.get(resumedId)?.waiting ?? []
      lane.resumed.delete(resumedId)
    }
    if (batch.length === 0) return
    lane.running = this.run(lane, batch, resumedId).catch((error: Error) => {
      this.failure ??= error
    })
  }

  /**
   * With a checkpoint, a batch records its lines as it starts and each call as it is answered, so that a resumed run
   * re-forms it and does not send an answered call again.
   */
  private journalFor(lane: Lane, batch: QueuedUnit[], resumedId: string | undefined): CallJournal | undefined {
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

  /** Delivers one batch: retryable events are sent again together, the others keep the outcome they got. */
  private async run(lane: Lane, batch: QueuedUnit[], resumedId?: string): Promise<void> {
    const settled = new Set<DeliveryUnit>()
    const byUnit = new Map(batch.map((queued) => [queued.unit, queued]))
    const onSettled = (unit: DeliveryUnit, result: AttemptResult) => {
      if (result.kind === 'retry') return
      settled.add(unit)
      byUnit.get(unit)?.settle(result)
    }
    const context = newBatchContext()
    context.journal = this.journalFor(lane, batch, resumedId)
    const units = batch.map((queued) => queued.unit)
    const finals = await deliverWithRetries(
      units,
      (pending) =>
        lane.batched
          ? this.deliverer.deliverBatch(pending, context, onSettled)
          : this.deliverer.deliverGroup(pending, onSettled),
      this.options.retry,
      { onRetry: this.options.onRetry, stopping: this.options.stopping }
    )
    batch.forEach((queued, index) => {
      if (!settled.has(queued.unit)) queued.settle(finals[index])
    })
  }
}
