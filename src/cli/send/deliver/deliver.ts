import type { Settings } from '../../../destinations/appcues/generated-types'
import type { Destination, JSONObject, SegmentEvent } from '@segment/actions-core'
import { classifyEntry, classifyError } from './classify'
import type { RequestInstrument, UnitContext } from './instrument'
import type { AttemptResult } from './outcomes'
import type { Subscription } from '../route/subscriptions'
import { toCoreSubscription } from '../route/subscriptions'

/** One event through one subscription: the smallest thing that is delivered, retried and checkpointed. */
export interface DeliveryUnit {
  line: number
  event: SegmentEvent
  /** Position of the subscription in this run's list (the checkpoint records it). */
  index: number
  subscription: Subscription
  context: UnitContext
  attempts: number
}

/** Sends groups of units through the destination exactly as Segment runs a subscription. */
export class Deliverer {
  constructor(
    private readonly destination: Destination<Settings>,
    private readonly settings: JSONObject,
    private readonly instrument: RequestInstrument
  ) {}

  /**
   * One attempt for every unit of a group, in the order given, each unit through `onEvent` on its own (as Segment
   * runs an action without batching). `deliverBatch` is the batch path.
   */
  deliverGroup(
    units: DeliveryUnit[],
    onSettled?: (unit: DeliveryUnit, result: AttemptResult) => void
  ): Promise<AttemptResult[]> {
    return Promise.all(
      units.map(async (unit) => {
        const result = await this.attempt(unit)
        onSettled?.(unit, result)
        return result
      })
    )
  }

  /**
   * One attempt for a batch of units of one subscription, through `onBatch` as Segment runs a batching action: the
   * action's `performBatch` gets the events together and answers each one's outcome in a MultiStatus response.
   * `context` belongs to the batch and lives across its retries.
   */
  async deliverBatch(
    units: DeliveryUnit[],
    context: UnitContext,
    onSettled?: (unit: DeliveryUnit, result: AttemptResult) => void
  ): Promise<AttemptResult[]> {
    units.forEach((unit) => unit.attempts++)
    const settings = {
      ...this.settings,
      subscriptions: [toCoreSubscription(units[0].subscription)] as unknown as JSONObject[]
    }
    let results: AttemptResult[] = []
    let split = false
    try {
      const output = await this.instrument.attempt(context, () =>
        this.destination.onBatch(
          units.map((unit) => unit.event),
          settings
        )
      )
      const multistatus = output.find((result) => result.multistatus)?.multistatus
      // actions-core answers `not subscribed` instead of a MultiStatus when no event of the batch matches.
      const notSubscribed = !multistatus && output.some((result) => result.output === 'not subscribed')
      results = units.map(
        (_, index): AttemptResult =>
          notSubscribed ? { kind: 'skipped' } : classifyEntry(multistatus?.[index], context)
      )
    } catch (error) {
      const result = classifyError(error as Error, context)
      if (units.length > 1 && (result.kind === 'failed' || result.kind === 'rejected')) {
        // A throw would fail the whole batch (actions-core does not split it) for the sake of one event: each event
        // is tried alone instead, so that only the one that throws on its own gets the failure.
        split = true
      } else {
        results = units.map(() => result)
      }
    } finally {
      this.destination.responses.length = 0
    }
    if (split) return this.deliverEachAlone(units, context, onSettled)
    units.forEach((unit, index) => {
      if (results[index].kind !== 'retry') onSettled?.(unit, results[index])
    })
    return results
  }

  private async deliverEachAlone(
    units: DeliveryUnit[],
    context: UnitContext,
    onSettled?: (unit: DeliveryUnit, result: AttemptResult) => void
  ): Promise<AttemptResult[]> {
    const results: AttemptResult[] = []
    for (const unit of units) results.push(...(await this.deliverBatch([unit], context, onSettled)))
    return results
  }

  private async attempt(unit: DeliveryUnit): Promise<AttemptResult> {
    unit.attempts++
    const settings = {
      ...this.settings,
      subscriptions: [toCoreSubscription(unit.subscription)] as unknown as JSONObject[]
    }
    try {
      const results = await this.instrument.attempt(unit.context, () => this.destination.onEvent(unit.event, settings))
      const outputs = results.map((result) => result.output)
      if (outputs.includes('not subscribed')) return { kind: 'skipped' }
      const invalid = outputs.find((output) => typeof output === 'string' && /subscription/i.test(output))
      if (invalid) return { kind: 'failed', reason: `${unit.subscription.name}: ${String(invalid)}` }
      return { kind: 'delivered' }
    } catch (error) {
      return classifyError(error as Error, unit.context)
    } finally {
      // actions-core keeps every response in `destination.responses` (for its test helpers); nothing reads them
      // here, and keeping them would grow memory with every event.
      this.destination.responses.length = 0
    }
  }
}
