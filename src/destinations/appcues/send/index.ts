import type { ActionDefinition, RequestClient } from '@segment/actions-core'
import { PayloadValidationError } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { fields } from './fields'
import { sendSegmentMessage } from '../appcues-client'
import type { SegmentMessage } from '../appcues-client'

const EVENT_TYPES = ['track', 'page', 'screen']

function present<T>(key: string, value: T | undefined | null): Record<string, T> {
  return value ? { [key]: value } : {}
}

function hasKeys(value: object | undefined): value is object {
  return value !== undefined && Object.keys(value).length > 0
}

/** The Segment-shaped messages the live destination posts for one event, in the order they are sent. */
export function messagesFor(payload: Payload): SegmentMessage[] {
  const { type, event, name, properties, user_traits, groupId, group_traits } = payload
  const common = {
    ...present('userId', payload.userId),
    ...present('anonymousId', payload.anonymousId),
    ...present('context', payload.context),
    ...present('integrations', payload.integrations),
    ...present('timestamp', payload.timestamp),
    ...present('messageId', payload.messageId)
  }
  const messages: SegmentMessage[] = []
  if (type === 'track') {
    if (!event) throw new PayloadValidationError('The Event Name field is required when the Event Type is track.')
    messages.push({ type, event, ...present('properties', properties), ...common })
  }
  if (type === 'page' || type === 'screen') {
    messages.push({ type, ...present('name', name), ...present('properties', properties), ...common })
  }
  if (type === 'identify' || (EVENT_TYPES.includes(type) && hasKeys(user_traits))) {
    messages.push({ type: 'identify', ...(hasKeys(user_traits) ? { traits: user_traits } : {}), ...common })
  }
  if (groupId && (type === 'group' || EVENT_TYPES.includes(type))) {
    messages.push({ type: 'group', groupId, ...(hasKeys(group_traits) ? { traits: group_traits } : {}), ...common })
  }
  return messages
}

async function sendAll(request: RequestClient, settings: Settings, messages: SegmentMessage[]) {
  const responses = []
  for (const message of messages) responses.push(await sendSegmentMessage(request, settings, message))
  return responses[0]
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Send',
  description:
    'Send Segment calls to Appcues as they are, through the Appcues Segment endpoint. This is the original action of this destination, kept for existing mappings; new mappings should use the other actions.',
  defaultSubscription: 'type = "track" or type = "identify" or type = "page" or type = "screen" or type = "group"',
  fields,
  perform: (request, { payload, settings }) => sendAll(request, settings, messagesFor(payload))
}

export default action
