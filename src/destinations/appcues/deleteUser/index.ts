import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { eraseUsers } from '../appcues-client'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Delete User',
  description:
    'Permanently erase a user and their data from Appcues (a GDPR deletion). Appcues schedules the deletion and carries it out later. This needs the Legacy API Key setting.',
  defaultSubscription: 'type = "track" and event = "User Deleted"',
  fields: {
    userId: {
      label: 'User ID',
      description: 'The ID of the Appcues user to erase. By default it is the Segment User ID.',
      type: 'string',
      required: true,
      default: { '@path': '$.userId' }
    }
  },
  perform: (request, { payload, settings }) => eraseUsers(request, settings, [payload.userId])
}

export default action
