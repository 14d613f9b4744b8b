import { PayloadValidationError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { createUserEvent } from './appcues-client'
import type { AppcuesEvent } from './appcues-client'
import { BATCH_CONCURRENCY, BatchResults, forEachLimited, prepareEach } from './batch'
import type { Attributes } from './attributes'
import { toIsoTimestamp } from './attributes'
import { MAX_EVENT_NAME_LENGTH } from './fields'

interface EventFields {
  event: string
  timestamp?: string | number
  groupId?: string
}

/** Builds the body of an Appcues event from the fields that trackEvent and pageView share. */
export function buildEvent(fields: EventFields, attributes: Attributes): AppcuesEvent {
  const name = fields.event
  if (!name.trim()) {
    throw new PayloadValidationError('The Event Name field is empty. Map a non-empty event name.')
  }
  // Counted in characters (code points), as the field's own length check counts them.
  const length = [...name].length
  if (length > MAX_EVENT_NAME_LENGTH) {
    throw new PayloadValidationError(
      `The Event Name field has ${length} characters; Appcues accepts at most ${MAX_EVENT_NAME_LENGTH}. Map a shorter event name.`
    )
  }
  const event: AppcuesEvent = { name, timestamp: toIsoTimestamp(fields.timestamp, 'The Timestamp field'), attributes }
  if (fields.groupId) event.group_id = fields.groupId
  return event
}

/** Events cannot be merged: each goes in its own request, at most BATCH_CONCURRENCY at a time. */
export async function sendEventBatch<P extends { userId: string }>(
  request: RequestClient,
  settings: Settings,
  payloads: P[],
  build: (payload: P) => AppcuesEvent
) {
  const results = new BatchResults()
  await forEachLimited(prepareEach(payloads, results, build), BATCH_CONCURRENCY, async ([index, event]) => {
    await results.settle([index], event, () => createUserEvent(request, settings, payloads[index].userId, event))
  })
  return results.response
}
