import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { toAppcuesAttributes } from '../attributes'
import { addUsersToGroup, updateGroupProfile } from '../appcues-client'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify Group',
  description:
    'Create or update a group profile (for example a company or account) in Appcues with the group’s traits, and add the user to the group when a user ID is present.',
  defaultSubscription: 'type = "group"',
  fields: {
    groupId: {
      label: 'Group ID',
      description:
        'The ID that identifies the group in Appcues. By default it is the group ID of the Segment group call.',
      type: 'string',
      required: true,
      default: { '@path': '$.groupId' }
    },
    userId: {
      label: 'User ID',
      description:
        'The ID of a user to add to the group. By default it is the Segment User ID of the group call; leave it empty to update the group without adding a user.',
      type: 'string',
      default: { '@path': '$.userId' }
    },
    traits: {
      label: 'Group Traits',
      description:
        'Traits saved as Appcues group profile attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the traits of the group call.',
      type: 'object',
      default: { '@path': '$.traits' }
    }
  },
  perform: async (request, { payload, settings }) => {
    const attributes = toAppcuesAttributes(payload.traits, 'Group Traits')
    const profile = await updateGroupProfile(request, settings, payload.groupId, attributes)
    if (!payload.userId) return profile
    return addUsersToGroup(request, settings, payload.groupId, [payload.userId])
  }
}

export default action
