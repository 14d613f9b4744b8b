import { setTimeout } from 'timers/promises'
import type { DeliveryUnit } from './deliver'
import type { AttemptResult, UnitOutcome } from './outcomes'

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number
  baseDelayMs: number
  maxDelayMs: number
  random?: () => number
}

export type FinalResult = UnitOutcome | { kind: 'fatal'; reason: string; status?: number }

/** Waits `ms`, or less when `signal` aborts first (the run stops: a backoff is not waited out). */
export async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await setTimeout(ms, undefined, { signal })
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error
  }
}

/** Exponential backoff with jitter (half to full of base × 2^n, capped), never shorter than Retry-After. */
export function backoffMs(policy: RetryPolicy, retry: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  const jittered = exponential * (0.5 + 0.5 * (policy.random ?? Math.random)())
  return Math.max(jittered, retryAfterMs ?? 0)
}

export interface RetryHooks {
  onRetry: (unit: DeliveryUnit, result: AttemptResult) => void
  /** True once the run is stopping: units waiting for a retry then fail instead. */
  stopping: () => boolean
  /** Aborted when the run stops, which ends a backoff at once. */
  signal?: AbortSignal
}

const STOPPED_BEFORE_RETRY = 'the run was stopped before a retry'

/** Attempts a group until each unit has an outcome: retryable failures are retried with backoff, then given up. */
export async function deliverWithRetries(
  units: DeliveryUnit[],
  deliverGroup: (units: DeliveryUnit[]) => Promise<AttemptResult[]>,
  policy: RetryPolicy,
  hooks: RetryHooks
): Promise<FinalResult[]> {
  const finals: FinalResult[] = new Array<FinalResult>(units.length)
  let pending = units.map((_, index) => index)
  let retry = 0
  const retried = new Map<number, { reason: string; status?: number }>()
  while (pending.length > 0) {
    const results = await deliverGroup(pending.map((index) => units[index]))
    const again: number[] = []
    let waitMs = 0
    results.forEach((result, position) => {
      const index = pending[position]
      if (result.kind !== 'retry') {
        finals[index] = result
      } else if (retry >= policy.maxRetries || hooks.stopping()) {
        const why = hooks.stopping() ? STOPPED_BEFORE_RETRY : `gave up after ${units[index].attempts} attempts`
        finals[index] = { kind: 'failed', reason: `${result.reason} (${why})`, status: result.status }
      } else {
        hooks.onRetry(units[index], result)
        retried.set(index, result)
        again.push(index)
        waitMs = Math.max(waitMs, result.retryAfterMs ?? 0)
      }
    })
    if (again.length === 0) break
    retry++
    await sleepUnlessAborted(backoffMs(policy, retry, waitMs), hooks.signal)
    if (hooks.stopping()) {
      for (const index of again) {
        const { reason, status } = retried.get(index) ?? { reason: 'a retryable failure' }
        finals[index] = { kind: 'failed', reason: `${reason} (${STOPPED_BEFORE_RETRY})`, status }
      }
      break
    }
    pending = again
  }
  return finals
}
