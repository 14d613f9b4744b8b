import type { DestinationDefinition } from '@segment/actions-core'
import { PayloadValidationError } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { settingsFields } from './settings'
import { presets } from './presets'
import { checkCredentials, eraseUsers } from './appcues-client'
import identifyUser from './identifyUser'
import trackEvent from './trackEvent'
import pageView from './pageView'
import identifyGroup from './identifyGroup'
import deleteUser from './deleteUser'
import send from './send'
import syncAudience from './syncAudience'

const onDelete: DestinationDefinition<Settings>['onDelete'] = (request, { payload, settings }) => {
  const ids = [...new Set([payload.userId, payload.anonymousId].filter((id): id is string => Boolean(id?.trim())))]
  if (ids.length === 0) {
    throw new PayloadValidationError(
      'The deletion request has neither a User ID nor an Anonymous ID, so there is no Appcues user to erase.'
    )
  }
  return eraseUsers(request, settings, ids)
}

export const destination: DestinationDefinition<Settings> = {
  name: 'Appcues (Actions)',
  slug: 'actions-appcues',
  mode: 'cloud',
  description:
    'Send your users, their traits, the events they trigger, the pages and screens they view, and the groups they belong to from Segment to Appcues, so that Appcues flows, surveys and announcements can target them. Engage audiences can be kept in step with Appcues segments, and users can be erased from Appcues.',
  authentication: {
    scheme: 'custom',
    fields: settingsFields,
    testAuthentication: (request, { settings }) => checkCredentials(request, settings)
  },
  extendRequest: ({ settings }) => ({
    username: settings.apiKey,
    password: settings.apiSecret,
    headers: { accept: 'application/json' }
  }),
  onDelete,
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
