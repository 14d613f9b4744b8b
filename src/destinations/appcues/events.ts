import { PayloadValidationError } from '@segment/actions-core'
import type { AppcuesEvent } from './appcues-client'
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
  if (name.length > MAX_EVENT_NAME_LENGTH) {
    throw new PayloadValidationError(
      `The Event Name field has ${name.length} characters; Appcues accepts at most ${MAX_EVENT_NAME_LENGTH}. Map a shorter event name.`
    )
  }
  const event: AppcuesEvent = { name, timestamp: toIsoTimestamp(fields.timestamp, 'The Timestamp field'), attributes }
  if (fields.groupId) event.group_id = fields.groupId
  return event
}
