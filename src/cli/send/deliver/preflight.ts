import type { Settings } from '../../../destinations/appcues/generated-types'
import type { Destination, JSONObject } from '@segment/actions-core'
import { UsageError } from '../../args'
import { isRetryableStatus } from './classify'
import type { RequestInstrument } from './instrument'
import { newUnitContext } from './instrument'
import type { RetryPolicy } from './retry'
import { backoffMs, sleepUnlessAborted } from './retry'
import type { Subscription } from '../route/subscriptions'

const PROBE_ACTION = '__appcues_send_probe__'

/**
 * Checks each subscription's FQL the way actions-core parses it, without running any action: the probe points
 * at an action that does not exist, which actions-core answers with no request at all.
 */
export async function checkSubscriptions(
  destination: Destination<Settings>,
  settings: JSONObject,
  subscriptions: Subscription[]
): Promise<void> {
  for (const subscription of subscriptions) {
    const probe = { subscribe: subscription.subscribe, partnerAction: PROBE_ACTION, mapping: {} }
    const results = await destination.onEvent(
      { type: 'track', event: PROBE_ACTION },
      { ...settings, subscriptions: [probe] }
    )
    const invalid = results
      .map((result) => result.output)
      .find((output) => typeof output === 'string' && /subscription/i.test(output))
    if (invalid) {
      throw new UsageError(
        `The subscription "${subscription.name}" has an invalid filter ${JSON.stringify(
          subscription.subscribe
        )}: ${String(invalid)}`
      )
    }
  }
}

/** Checks the credentials once before sending (the call the destination's testAuthentication makes), with retries. */
export async function checkCredentials(
  destination: Destination<Settings>,
  settings: JSONObject,
  instrument: RequestInstrument,
  policy: RetryPolicy,
  signal?: AbortSignal
): Promise<number> {
  const context = newUnitContext()
  for (let attempt = 0; ; attempt++) {
    try {
      await instrument.attempt(context, () => destination.testAuthentication(settings as unknown as Settings))
      return attempt
    } catch (error) {
      // Retry only what happened on the way to Appcues: no answer, or a retryable one. An error before any request
      // (settings that do not validate) will not change by retrying.
      const status = context.lastStatus
      const retryable = context.lastUrl !== undefined && (status === undefined || isRetryableStatus(status))
      const message = (error as Error).message.replace(/^Credentials are invalid:\s*(\d{3}\s+)?/, '')
      if (!retryable)
        throw new UsageError(`The check of the settings and credentials failed, so nothing was sent: ${message}`)
      if (attempt >= policy.maxRetries) throw new Error(`Appcues could not be reached, so nothing was sent: ${message}`)
      await sleepUnlessAborted(backoffMs(policy, attempt + 1, context.retryAfterMs), signal)
      if (signal?.aborted) throw new Error(`Stopped before anything was sent: ${message}`)
    }
  }
}
