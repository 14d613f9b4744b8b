import type { InputField } from '@segment/actions-core'

/** Appcues rejects event names longer than this. */
export const MAX_EVENT_NAME_LENGTH = 127

export const userIdField: InputField = {
  label: 'User ID',
  description:
    'The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID; events without one are not sent.',
  type: 'string',
  required: true,
  default: { '@path': '$.userId' }
}

export function eventNameField(description: string, defaultValue: InputField['default']): InputField {
  return {
    label: 'Event Name',
    description: `${description} Appcues accepts at most ${MAX_EVENT_NAME_LENGTH} characters.`,
    type: 'string',
    required: true,
    maximum: MAX_EVENT_NAME_LENGTH,
    default: defaultValue
  }
}

export const propertiesField: InputField = {
  label: 'Event Properties',
  description:
    'Properties sent with the event as Appcues event attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the Segment event properties.',
  type: 'object',
  default: { '@path': '$.properties' }
}

export const timestampField: InputField = {
  label: 'Timestamp',
  description:
    'When the event happened. It is sent to Appcues as an ISO-8601 date. By default it is the Segment event timestamp; if it is empty, the time of sending is used.',
  type: 'datetime',
  default: { '@path': '$.timestamp' }
}

export const groupIdOnEventField: InputField = {
  label: 'Group ID',
  description:
    'The ID of the Appcues group (for example the company or account) the event belongs to. By default it is the group ID in the Segment event context; leave it empty to send the event without a group.',
  type: 'string',
  default: { '@path': '$.context.groupId' }
}

/** Appcues has no batch endpoint: a batch is merged where Appcues allows it and sent with bounded concurrency. */
export const MAX_BATCH_SIZE = 1000

/**
 * Half the maximum: a batch of 500 events needs about 8 seconds at Appcues' 60 requests per second in the worst case
 * (every event its own request), while still merging most repeated profile updates (bench/requests.ts).
 */
export const DEFAULT_BATCH_SIZE = 500

export const enableBatchingField: InputField = {
  label: 'Batch Data to Appcues',
  description:
    'When on, Segment sends events to this action in batches. Profile updates for the same user or group are then merged into one request, which keeps you further from the Appcues rate limit. Each event still gets its own result. The default is on.',
  type: 'boolean',
  default: true
}

export const batchSizeField: InputField = {
  label: 'Batch Size',
  description: `The largest number of events in one batch. Larger batches merge more profile updates into one request. The default is ${DEFAULT_BATCH_SIZE} and the maximum is ${MAX_BATCH_SIZE}.`,
  type: 'number',
  unsafe_hidden: true,
  required: false,
  minimum: 1,
  maximum: MAX_BATCH_SIZE,
  default: DEFAULT_BATCH_SIZE
}
