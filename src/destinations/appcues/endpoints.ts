import { IntegrationError, PayloadValidationError } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { APPCUES_GDPR_API_VERSION, APPCUES_PUBLIC_API_VERSION, APPCUES_SEGMENT_API_VERSION } from './versioning-info'

export type Region = 'US' | 'EU'

const PUBLIC_API_HOSTS: Record<Region, string> = {
  US: 'https://api.appcues.com',
  EU: 'https://api.eu.appcues.com'
}

// Appcues documents the erasure endpoint only on the US host; the EU host is an unconfirmed assumption
// (docs/appcues-actions.md, "What is not confirmed").
const GDPR_API_HOSTS: Record<Region, string> = PUBLIC_API_HOSTS

const SEGMENT_HOSTS: Record<Region, string> = {
  US: 'https://segment.appcues.com',
  EU: 'https://segment.eu.appcues.com'
}

// Appcues' own CLI associates users with POST; other public specs say PATCH. Unconfirmed: one place to change.
export const GROUP_USERS_METHOD = 'POST'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export class InvalidSettingsError extends IntegrationError {
  constructor(message: string) {
    super(message, 'INVALID_SETTINGS', 400)
  }
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** Validates the Endpoint Override setting and returns it without a trailing slash, or undefined when empty. */
export function parseEndpointOverride(endpoint: string | undefined): string | undefined {
  const value = endpoint?.trim()
  if (!value) return undefined
  const fix = 'Use an https address such as https://appcues-proxy.example.com, or leave the setting empty.'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidSettingsError(`The Endpoint Override setting is not a valid address. ${fix}`)
  }
  const secure = url.protocol === 'https:'
  const localHttp = url.protocol === 'http:' && isLoopback(url.hostname)
  if (!secure && !localHttp) {
    throw new InvalidSettingsError(
      `The Endpoint Override setting must use https (plain http is accepted only for localhost, 127.0.0.1 and [::1]). ${fix}`
    )
  }
  if (url.username || url.password) {
    throw new InvalidSettingsError(
      `The Endpoint Override setting must not contain a user name or password. Put credentials in the API Key and API Secret settings. ${fix}`
    )
  }
  if (url.search || url.hash) {
    throw new InvalidSettingsError(`The Endpoint Override setting must not contain a query string or fragment. ${fix}`)
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

function regionOf(settings: Settings): Region {
  const region = settings.region ?? 'US'
  if (region === 'US' || region === 'EU') return region
  throw new InvalidSettingsError(
    `The Region setting must be US or EU. Choose the region where your Appcues account is hosted.`
  )
}

/**
 * The Account ID as it goes into URL paths. The setting is a number, but settings stored by older setups or through
 * the API may hold it as text, which the live destination accepted: a positive whole number and a string of digits
 * (spaces around it ignored) give the same path. It holds only digits, so it needs no percent-encoding.
 */
function accountIdOf(settings: Settings): string {
  const raw: unknown = settings.accountId
  const digits =
    typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  if (!/^\d+$/.test(digits) || /^0+$/.test(digits)) {
    throw new InvalidSettingsError(
      'The Account ID setting must be your numeric Appcues account ID (a whole number, found in Appcues Studio under Settings, then Account).'
    )
  }
  return digits.replace(/^0+/, '')
}

/** Refuses an empty or blank id (field validation lets `[null]` through as an empty string). */
export function requireId(id: string, fieldLabel: string): string {
  if (!id.trim()) {
    throw new PayloadValidationError(`The ${fieldLabel} is empty. Map a field that holds the ${fieldLabel}.`)
  }
  return id
}

/** Percent-encodes one id for a URL path; refuses ids that URL normalisation would turn into path navigation. */
export function encodeId(id: string, fieldLabel: string): string {
  requireId(id, fieldLabel)
  if (id === '.' || id === '..') {
    throw new PayloadValidationError(`The ${fieldLabel} "${id}" cannot be sent to Appcues. Map a real identifier.`)
  }
  try {
    return encodeURIComponent(id)
  } catch {
    throw new PayloadValidationError(
      `The ${fieldLabel} contains a broken character (a lone UTF-16 surrogate). Map a valid identifier.`
    )
  }
}

function publicBase(settings: Settings): string {
  return parseEndpointOverride(settings.endpoint) ?? PUBLIC_API_HOSTS[regionOf(settings)]
}

function accountBase(settings: Settings): string {
  return `${publicBase(settings)}/${APPCUES_PUBLIC_API_VERSION}/accounts/${accountIdOf(settings)}`
}

export const appcuesUrls = {
  tags: (settings: Settings) => `${accountBase(settings)}/tags`,
  userProfile: (settings: Settings, userId: string) =>
    `${accountBase(settings)}/users/${encodeId(userId, 'User ID')}/profile`,
  userEvents: (settings: Settings, userId: string) =>
    `${accountBase(settings)}/users/${encodeId(userId, 'User ID')}/events`,
  groupProfile: (settings: Settings, groupId: string) =>
    `${accountBase(settings)}/groups/${encodeId(groupId, 'Group ID')}/profile`,
  groupUsers: (settings: Settings, groupId: string) =>
    `${accountBase(settings)}/groups/${encodeId(groupId, 'Group ID')}/users`,
  segments: (settings: Settings) => `${accountBase(settings)}/segments`,
  segmentAddUsers: (settings: Settings, segmentId: string) =>
    `${accountBase(settings)}/segments/${encodeId(segmentId, 'Appcues Segment ID')}/add_user_ids`,
  segmentRemoveUsers: (settings: Settings, segmentId: string) =>
    `${accountBase(settings)}/segments/${encodeId(segmentId, 'Appcues Segment ID')}/remove_user_ids`,
  gdprDelete: (settings: Settings) =>
    `${
      parseEndpointOverride(settings.endpoint) ?? GDPR_API_HOSTS[regionOf(settings)]
    }/${APPCUES_GDPR_API_VERSION}/gdpr/delete`,
  segmentDirect: (settings: Settings) =>
    `${
      parseEndpointOverride(settings.endpoint) ?? SEGMENT_HOSTS[regionOf(settings)]
    }/${APPCUES_SEGMENT_API_VERSION}/accounts/${accountIdOf(settings)}/segment/direct`
}
