import type { InputField } from '@segment/actions-core'

const onTypes = (match: 'all' | 'any', ...types: string[]) => ({
  match,
  conditions: types.map((value) => ({ fieldKey: 'type', operator: 'is' as const, value }))
})

// Saved mappings rely on these keys, types, defaults and required flags: changing any of them breaks them.
export const fields: Record<string, InputField> = {
  type: {
    label: 'Event Type',
    description:
      'The kind of Segment call to send to Appcues: track, page, screen, identify or group. By default it is the type of the Segment event.',
    type: 'string',
    required: true,
    choices: [
      { label: 'Track', value: 'track' },
      { label: 'Page', value: 'page' },
      { label: 'Screen', value: 'screen' },
      { label: 'Identify', value: 'identify' },
      { label: 'Group', value: 'group' }
    ],
    default: { '@path': '$.type' }
  },
  userId: {
    label: 'User ID',
    description: 'The ID of the user in Appcues. By default it is the Segment User ID.',
    type: 'string',
    default: { '@path': '$.userId' }
  },
  anonymousId: {
    label: 'Anonymous ID',
    description:
      'The anonymous ID of the visitor, sent alongside the User ID. By default it is the Segment Anonymous ID.',
    type: 'string',
    default: { '@path': '$.anonymousId' }
  },
  event: {
    label: 'Event Name',
    description:
      'The name of the event. It is required when the Event Type is track. By default it is the Segment event name.',
    type: 'string',
    required: onTypes('all', 'track'),
    depends_on: onTypes('all', 'track'),
    default: { '@path': '$.event' }
  },
  name: {
    label: 'Name',
    description:
      'The name of the page or screen, for page and screen calls. By default it is the name of the Segment call.',
    type: 'string',
    depends_on: onTypes('any', 'page', 'screen'),
    default: { '@path': '$.name' }
  },
  properties: {
    label: 'Properties',
    description:
      'The properties of a track, page or screen call, sent to Appcues as they are. By default these are the Segment event properties.',
    type: 'object',
    depends_on: onTypes('any', 'track', 'page', 'screen'),
    default: { '@path': '$.properties' }
  },
  user_traits: {
    label: 'User Traits',
    description:
      'Traits to save on the user. For identify calls they are the traits sent; for track, page and screen calls a separate identify call is sent when there are any. By default these are the traits in the event context, or the traits of the call.',
    type: 'object',
    depends_on: onTypes('any', 'track', 'page', 'screen', 'identify'),
    default: {
      '@if': {
        exists: { '@path': '$.context.traits' },
        then: { '@path': '$.context.traits' },
        else: { '@path': '$.traits' }
      }
    }
  },
  groupId: {
    label: 'Group ID',
    description:
      'The ID of the group. For group calls it is the group updated; for track, page and screen calls a separate group call is sent when it is set. By default it is the Segment Group ID.',
    type: 'string',
    default: { '@path': '$.groupId' }
  },
  group_traits: {
    label: 'Group Traits',
    description:
      'Traits to save on the group named by the Group ID. This field has no default, so no group traits are sent unless you map them. For group calls, map the traits of the call.',
    type: 'object'
  },
  context: {
    label: 'Context',
    description:
      'The Segment context object (device, page, library and so on), sent to Appcues as it is. By default it is the event context.',
    type: 'object',
    default: { '@path': '$.context' }
  },
  integrations: {
    label: 'Integrations',
    description:
      'The Segment integrations object, sent to Appcues as it is. By default it is the event’s integrations object.',
    type: 'object',
    default: { '@path': '$.integrations' }
  },
  timestamp: {
    label: 'Timestamp',
    description: 'When the event happened, sent as it is. By default it is the Segment event timestamp.',
    type: 'string',
    default: { '@path': '$.timestamp' }
  },
  messageId: {
    label: 'Message ID',
    description: 'The Segment message ID, sent as it is. By default it is the event’s message ID.',
    type: 'string',
    default: { '@path': '$.messageId' }
  }
}
