import { ErrorCodes, IntegrationError, InvalidAuthenticationError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { SettingHints } from '../types'
import { ERASURE_HOST } from '../constants'
import { appcuesRequest, regionOf } from '../functions'
import { APPCUES_GDPR_API_VERSION } from '../versioning-info'

const LEGACY_KEY_HINTS: SettingHints = {
  401: 'Check the Legacy API Key setting: it must be the Legacy API Key from Appcues Studio (Settings, then API Keys), not the newer API Key.',
  403: 'The Legacy API Key setting is not allowed to delete users of this account. Check it in Appcues Studio (Settings, then API Keys).',
  404: 'Check that your Appcues account is hosted in the US region and that the Legacy API Key setting belongs to it.'
}

/**
 * The Legacy API key to erase users with. Refuses settings with which no erasure may be sent: an empty Legacy API
 * Key, and the EU region, for which Appcues has not confirmed an erasure address (an erasure cannot be undone, so
 * it never goes to a guessed one).
 */
export function erasureKeyOf(settings: Settings): string {
  const legacyApiKey = settings.legacyApiKey?.trim()
  if (!legacyApiKey) {
    throw new InvalidAuthenticationError(
      'Deleting users needs the Legacy API Key setting. Copy the Legacy API Key from Appcues Studio (Settings, then API Keys) into the Legacy API Key setting of this destination.'
    )
  }
  if (regionOf(settings) === 'EU') {
    throw new IntegrationError(
      'Appcues has not confirmed where accounts in the EU region delete users, so nothing was sent. Delete the user in Appcues Studio, or ask Appcues support to erase them.',
      ErrorCodes.NOT_IMPLEMENTED,
      501
    )
  }
  return legacyApiKey
}

/** Erases users from Appcues (a GDPR deletion), with the Legacy API key as user name and an empty password. */
export function eraseUsers(request: RequestClient, legacyApiKey: string, userIds: string[]) {
  return appcuesRequest(
    request,
    `${ERASURE_HOST}/${APPCUES_GDPR_API_VERSION}/gdpr/delete`,
    {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${legacyApiKey}:`).toString('base64')}` },
      json: { users: userIds }
    },
    LEGACY_KEY_HINTS
  )
}
