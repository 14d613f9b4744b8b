import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { userIdField } from '../fields'
import { toAppcuesAttributes } from '../attributes'
import { updateUserProfile } from '../appcues-client'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify User',
  description:
    'Create or update a user profile in Appcues with the user’s traits, so that flows and surveys can target the user by them.',
  defaultSubscription: 'type = "identify"',
  fields: {
    userId: userIdField,
    traits: {
      label: 'User Traits',
      description:
        'Traits saved as Appcues user profile attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the traits of the identify call, or the traits in the event context when the call has none.',
      type: 'object',
      default: {
        '@if': {
          exists: { '@path': '$.traits' },
          then: { '@path': '$.traits' },
          else: { '@path': '$.context.traits' }
        }
      }
    }
  },
  perform: (request, { payload, settings }) =>
    updateUserProfile(request, settings, payload.userId, toAppcuesAttributes(payload.traits, 'User Traits'))
}

export default action
