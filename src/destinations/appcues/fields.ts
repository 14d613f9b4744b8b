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
