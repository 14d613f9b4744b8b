import type { RequestClient } from '@segment/actions-core'
import { PayloadValidationError } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import type { AppcuesRequest } from './types'
import { REGION_ENDPOINTS } from '../constants'
import { APPCUES_SEGMENT_API_VERSION } from '../versioning-info'

const EVENT_TYPES = ['track', 'page', 'screen']

export function sendToAppcues(request: RequestClient, endpoint: string, data: AppcuesRequest) {
  return request(endpoint, { method: 'POST', json: data, skipResponseCloning: true })
}

function hasKeys(value: Record<string, unknown> | undefined): value is Record<string, unknown> {
  return value !== undefined && Object.keys(value).length > 0
}

/** The Segment calls one event becomes, in the order they are sent: the call itself, then identify and group. */
function callsFor(payload: Payload): AppcuesRequest[] {
  const { type, event, name, properties, user_traits, groupId, group_traits } = payload
  const { userId, anonymousId, context, integrations, timestamp, messageId } = payload
  const base = {
    ...(userId ? { userId } : {}),
    ...(anonymousId ? { anonymousId } : {}),
    ...(context ? { context } : {}),
    ...(integrations ? { integrations } : {}),
    ...(timestamp ? { timestamp } : {}),
    ...(messageId ? { messageId } : {})
  }
  const calls: AppcuesRequest[] = []
  if (type === 'track') {
    if (!event) {
      throw new PayloadValidationError('The Event Name field is empty. A track call needs the name of its event.')
    }
    calls.push({ type, event, ...(properties ? { properties } : {}), ...base })
  }
  if (type === 'page' || type === 'screen') {
    calls.push({ type, ...(name ? { name } : {}), ...(properties ? { properties } : {}), ...base })
  }
  if (type === 'identify' || (EVENT_TYPES.includes(type) && hasKeys(user_traits))) {
    calls.push({ type: 'identify', ...(hasKeys(user_traits) ? { traits: user_traits } : {}), ...base })
  }
  if (groupId && (type === 'group' || EVENT_TYPES.includes(type))) {
    calls.push({ type: 'group', groupId, ...(hasKeys(group_traits) ? { traits: group_traits } : {}), ...base })
  }
  return calls
}

/** Posts the Segment calls of one event to Appcues' Segment endpoint, all at once. */
export async function send(request: RequestClient, payload: Payload, settings: Settings) {
  const { region, accountId } = settings
  const host = REGION_ENDPOINTS[region]
  if (!host) {
    throw new PayloadValidationError(
      `Invalid region "${region}": the Region setting must be one of ${Object.keys(REGION_ENDPOINTS).join(', ')}.`
    )
  }
  const endpoint = `${host}/${APPCUES_SEGMENT_API_VERSION}/accounts/${encodeURIComponent(accountId)}/segment/direct`
  await Promise.all(callsFor(payload).map((call) => sendToAppcues(request, endpoint, call)))
}
