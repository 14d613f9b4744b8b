import type { InputField } from '@segment/actions-core'
import { MAX_EVENT_NAME_LENGTH } from './constants'

/** The most events Segment may put in one batch for an action with a batch field. */
export const MAX_BATCH_SIZE = 1000

/** Half the maximum: enough to merge most repeated profile updates, small enough to send quickly. */
const DEFAULT_BATCH_SIZE = 500

export const userIdField: InputField = {
  label: 'User ID',
  description:
    'The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID. Appcues stores nothing without a user ID, so an event without one is refused with an error; the Identify, Track, Page and Screen Calls presets only take calls that have one.',
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

/** How the values of an object field become Appcues attributes (see toAppcuesAttributes). */
export const ATTRIBUTE_RULES =
  'Nested objects become attributes named parent_child, and lists become comma-separated text. Attributes whose names start with an underscore (_) are left out, because Appcues keeps those names for its own attributes, and so are empty text and empty lists; an empty value (null) clears the attribute in Appcues.'

export const propertiesField: InputField = {
  label: 'Event Properties',
  description: `Properties sent with the event as Appcues event attributes. ${ATTRIBUTE_RULES} By default these are the Segment event properties.`,
  type: 'object',
  default: { '@path': '$.properties' }
}

export const timestampField: InputField = {
  label: 'Timestamp',
  description:
    'When the event happened: a date and time such as 2024-05-01T12:00:00Z, or a number of seconds or milliseconds since 1 January 1970. By default it is the Segment event timestamp; if it is empty, the time of sending is used.',
  type: 'datetime',
  default: { '@path': '$.timestamp' }
}

export const enableBatchingField: InputField = {
  label: 'Batch Data to Appcues',
  description:
    'When on, Segment sends events to this action in batches, and updates of the same profile in one batch are merged into one request, which keeps you further from the Appcues rate limit. Each event still gets its own result. The default is on.',
  type: 'boolean',
  default: true
}

export const batchSizeField: InputField = {
  label: 'Batch Size',
  description: `The largest number of events in one batch. The default is ${DEFAULT_BATCH_SIZE} and the maximum is ${MAX_BATCH_SIZE}.`,
  type: 'number',
  unsafe_hidden: true,
  required: false,
  minimum: 1,
  maximum: MAX_BATCH_SIZE,
  default: DEFAULT_BATCH_SIZE
}
