import type { ModifiedResponse, RequestClient } from '@segment/actions-core'
import { InvalidAuthenticationError } from '@segment/actions-core'
import type { Settings } from './generated-types'
import type { Attributes } from './attributes'
import { appcuesUrls, GROUP_USERS_METHOD } from './endpoints'
import { errorFromResponse, errorFromTransport, redactSecrets, secretForms } from './errors'
import type { Credential } from './errors'

type Method = 'GET' | 'POST' | 'PATCH'

interface CallOptions {
  method: Method
  json?: unknown
  credential?: Credential
  username?: string
  password?: string
}

async function call(
  request: RequestClient,
  settings: Settings,
  url: string,
  options: CallOptions
): Promise<ModifiedResponse> {
  const { credential = 'apiKeyPair', ...requestOptions } = options
  let response: ModifiedResponse
  try {
    // Without `skipResponseCloning`, actions-core reads a clone of the answer and leaves the original unread: once
    // an answer outgrows the stream buffer (about 16 KB), the clone stalls and the request never settles.
    response = await request(url, { ...requestOptions, throwHttpErrors: false, skipResponseCloning: true })
  } catch (error) {
    throw errorFromTransport(error as Error & { code?: string }, url)
  }
  if (response.status >= 200 && response.status < 300) return response
  const secrets = [
    ...secretForms(settings.apiKey, settings.apiSecret),
    ...secretForms(settings.legacyApiKey?.trim(), '')
  ]
  throw redactSecrets(errorFromResponse(response, credential), secrets)
}

export type AppcuesEvent = {
  name: string
  timestamp: string
  attributes: Attributes
  group_id?: string
}

export interface SegmentMessage {
  type: string
  [key: string]: unknown
}

/** actions-core prefixes a failed credential check with `error.response.status`, so the error carries it. */
export async function checkCredentials(request: RequestClient, settings: Settings) {
  try {
    return await call(request, settings, appcuesUrls.tags(settings), { method: 'GET' })
  } catch (error) {
    const status = (error as { status?: number }).status
    throw status ? Object.assign(error as Error, { response: { status } }) : error
  }
}

export function updateUserProfile(request: RequestClient, settings: Settings, userId: string, attributes: Attributes) {
  return call(request, settings, appcuesUrls.userProfile(settings, userId), { method: 'PATCH', json: attributes })
}

export function createUserEvent(request: RequestClient, settings: Settings, userId: string, event: AppcuesEvent) {
  return call(request, settings, appcuesUrls.userEvents(settings, userId), { method: 'POST', json: event })
}

export function updateGroupProfile(
  request: RequestClient,
  settings: Settings,
  groupId: string,
  attributes: Attributes
) {
  return call(request, settings, appcuesUrls.groupProfile(settings, groupId), { method: 'PATCH', json: attributes })
}

export function addUsersToGroup(request: RequestClient, settings: Settings, groupId: string, userIds: string[]) {
  return call(request, settings, appcuesUrls.groupUsers(settings, groupId), {
    method: GROUP_USERS_METHOD,
    json: { user_ids: userIds }
  })
}

/** GDPR erasure: authenticated with the Legacy API key as user name and an empty password. */
export function eraseUsers(request: RequestClient, settings: Settings, userIds: string[]) {
  const legacyApiKey = settings.legacyApiKey?.trim()
  if (!legacyApiKey) {
    throw new InvalidAuthenticationError(
      'Deleting users needs the Legacy API Key setting. Copy the Legacy API Key from Appcues Studio (Settings, then API Keys) into the Legacy API Key setting of this destination.'
    )
  }
  return call(request, settings, appcuesUrls.gdprDelete(settings), {
    method: 'POST',
    json: { users: userIds },
    credential: 'legacyApiKey',
    username: legacyApiKey,
    password: ''
  })
}

export function sendSegmentMessage(request: RequestClient, settings: Settings, message: SegmentMessage) {
  return call(request, settings, appcuesUrls.segmentDirect(settings), { method: 'POST', json: message })
}

export function listSegments(request: RequestClient, settings: Settings) {
  return call(request, settings, appcuesUrls.segments(settings), { method: 'GET' })
}

export function createSegment(
  request: RequestClient,
  settings: Settings,
  segment: { name: string; description: string }
) {
  return call(request, settings, appcuesUrls.segments(settings), { method: 'POST', json: segment })
}

/** Adds (`membership` true) or removes (false) users of one Appcues segment in one request. */
export function changeSegmentMembers(
  request: RequestClient,
  settings: Settings,
  segmentId: string,
  membership: boolean,
  userIds: string[]
) {
  const url = membership
    ? appcuesUrls.segmentAddUsers(settings, segmentId)
    : appcuesUrls.segmentRemoveUsers(settings, segmentId)
  return call(request, settings, url, { method: 'POST', json: { user_ids: userIds } })
}
