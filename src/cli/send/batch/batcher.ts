import type { SegmentEvent } from '@segment/actions-core'
import { matcher } from '../route/subscriptions'
import type { Subscription } from '../route/subscriptions'

/** A unit that was never sent, because the run stopped while its batch was still filling. */
export interface Unsent {
  kind: 'unsent'
  reason: string
}

/**
 * A unit waiting for its batch (one event through one subscription, the subscription given by its position in the
 * run's list), and what to do with its outcome: the batcher itself settles it as skipped when the subscription's
 * filter does not match the event.
 */
export interface Queued {
  unit: { line: number; event: SegmentEvent; index: number }
  settle: (final: { kind: 'skipped' }) => void
}

/** Which subscription a batch belongs to, and whether it goes through the action's `performBatch`. */
export interface BatchLane {
  /** The subscription's position in the run's list (the checkpoint records it). */
  index: number
  /** Through `onBatch` and the action's `performBatch`; otherwise each event through `onEvent`. */
  batched: boolean
}

export interface BatcherOptions<Q extends Queued> {
  batchSize: number
  /** Whether the subscription's action has a `performBatch`. */
  canBatch: (subscription: Subscription) => boolean
  stopping: () => boolean
  /** The batch that an interrupted run had started with this line of this subscription, if any. */
  resumedBatch: (line: number, index: number) => { id: string; lines: number[] } | undefined
  /** Delivers one batch (with its retries); resolves once every unit of it has settled. */
  deliver: (batch: Q[], lane: BatchLane, resumedId: string | undefined) => Promise<void>
}

/** One subscription's queue: the events that matched its filter, sent in batches, one batch at a time. */
interface Lane<Q> extends BatchLane {
  size: number
  matches: (event: SegmentEvent) => boolean
  waiting: Q[]
  /** Units of batches an interrupted run had started, by batch id: they are sent again as the same batch. */
  resumed: Map<string, { lastLine: number; waiting: Q[] }>
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

/**
 * Groups the units of each subscription into batches and hands each batch to `deliver`. A subscription has
 * at most one batch in flight: profile updates of one user thus reach Appcues in input order, and what is in flight
 * stays small. Batches fill up as the input is read; a partial batch is sent when the input ends, when it falls too
 * far behind, or when asked (`flushAll`, for example while standard input is idle).
 */
export class Batcher<Q extends Queued> {
  private readonly lanes: Lane<Q>[]
  private readonly maxLag: number
  private failure?: Error

  constructor(subscriptions: Subscription[], private readonly options: BatcherOptions<Q>) {
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
  async add(queued: Q): Promise<void> {
    const lane = this.lanes[queued.unit.index]
    if (!lane.matches(queued.unit.event)) {
      queued.settle({ kind: 'skipped' })
      return
    }
    // A unit of a batch that an interrupted run had started goes back into that batch.
    const resumed = lane.batched ? this.options.resumedBatch(queued.unit.line, lane.index) : undefined
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
  async drain(): Promise<Q[]> {
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
  private async dispatch(lane: Lane<Q>, resumedId?: string): Promise<void> {
    await lane.running
    if (this.failure) throw this.failure
    if (this.options.stopping()) return
    let batch: Q[]
    if (resumedId === undefined) {
      batch = lane.waiting.splice(0, lane.size)
    } else {
      batch = lane.resumed.get(resumedId)?.waiting ?? []
      lane.resumed.delete(resumedId)
    }
    if (batch.length === 0) return
    const { index, batched } = lane
    lane.running = this.options.deliver(batch, { index, batched }, resumedId).catch((error: Error) => {
      this.failure ??= error
    })
  }
}
