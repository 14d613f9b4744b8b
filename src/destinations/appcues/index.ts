import { InvalidAuthenticationError, IntegrationError, PayloadValidationError } from '@segment/actions-core'
import type { AudienceDestinationDefinition } from '@segment/actions-core'
import type { AudienceSettings, Settings } from './generated-types'
import { apiUrl, appcuesRequest } from './functions'
import { presets } from './presets'
import identifyUser from './identifyUser'
import trackEvent from './trackEvent'
import pageView from './pageView'
import identifyGroup from './identifyGroup'
import deleteUser from './deleteUser'
import { erasureKeyOf, eraseUsers } from './deleteUser/functions'
import send from './send'
import syncAudience from './syncAudience'
import { createAudienceSegment, getAudienceSegment } from './syncAudience/functions'

const destination: AudienceDestinationDefinition<Settings, AudienceSettings> = {
  name: 'Appcues (Actions)',
  slug: 'actions-appcues',
  mode: 'cloud',
  description:
    'Send your users, their traits, the events they trigger, the pages and screens they view, and the groups they belong to from Segment to Appcues, so that Appcues flows, surveys and announcements can target them.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: {
        label: 'API Key',
        description:
          'The key of an Appcues API key pair. Create one in Appcues Studio under Settings, then API Keys. Choose a key with the Admin role so that it can write profiles, events, groups and segments.',
        type: 'password',
        required: true
      },
      apiSecret: {
        label: 'API Secret',
        description:
          'The secret of the same Appcues API key pair. Appcues Studio shows it only once, when you create the key under Settings, then API Keys.',
        type: 'password',
        required: true
      },
      accountId: {
        label: 'Account ID',
        description:
          'Your numeric Appcues account ID. You can find it in Appcues Studio under Settings, then Account, and in the Studio address after /accounts/.',
        type: 'number',
        required: true
      },
      region: {
        label: 'Region',
        description:
          'The region where your Appcues account stores its data. Choose EU if your Studio address ends in eu.appcues.com. The default is US.',
        type: 'string',
        required: true,
        choices: [
          { label: 'US', value: 'US' },
          { label: 'EU', value: 'EU' }
        ],
        default: 'US'
      },
      legacyApiKey: {
        label: 'Legacy API Key',
        description:
          'Needed only to delete users, with the Delete User action or Segment privacy deletions. It is the Legacy API Key shown in Appcues Studio under Settings, then API Keys, not the API Key and API Secret above. Deleting users works for US accounts only: with the Region setting on EU, deletions are refused and nothing is deleted. Leave it empty if you do not delete users through Segment; privacy deletions then do nothing in Appcues.',
        type: 'password'
      }
    },
    testAuthentication: async (request, { settings }) => {
      try {
        return await appcuesRequest(request, apiUrl(settings, '/tags'), { method: 'GET' })
      } catch (error) {
        // A wrong Account ID or Region is a failed credential check too.
        if (error instanceof IntegrationError) throw new InvalidAuthenticationError(error.message)
        throw error
      }
    }
  },
  extendRequest({ settings }) {
    return {
      headers: {
        Authorization: `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64')}`,
        'Content-Type': 'application/json'
      }
    }
  },
  onDelete: async (request, { payload, settings }) => {
    // Deleting users is optional: without a Legacy API Key, nothing is sent and nothing is reported as deleted.
    if (!settings.legacyApiKey?.trim()) return undefined
    const ids = [payload.userId, payload.anonymousId].filter((id): id is string => Boolean(id?.trim()))
    if (ids.length === 0) {
      throw new PayloadValidationError(
        'The deletion request has neither a User ID nor an Anonymous ID, so there is no Appcues user to erase.'
      )
    }
    return eraseUsers(request, erasureKeyOf(settings), [...new Set(ids)])
  },
  audienceFields: {
    segmentName: {
      label: 'Appcues Segment Name',
      description:
        'The name of the Appcues segment that this audience fills. Leave it empty to use the name of the audience in Segment. When a segment with this name already exists in Appcues, it is used instead of creating another one.',
      type: 'string'
    }
  },
  audienceConfig: {
    mode: { type: 'synced', full_audience_sync: false },
    createAudience: createAudienceSegment,
    getAudience: getAudienceSegment
  },
  presets,
  actions: {
    identifyUser,
    trackEvent,
    pageView,
    identifyGroup,
    deleteUser,
    send,
    syncAudience
  }
}

export default destination
