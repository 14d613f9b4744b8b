import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { fields } from './fields'
import { send } from './functions'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Send',
  description:
    'Send Segment calls to Appcues as they are, through the Appcues Segment endpoint: the call itself, and an identify or group call when the event carries user traits or a group ID. This is the original action of this destination, kept for existing mappings; new mappings should use the other actions.',
  defaultSubscription: 'type = "track" or type = "identify" or type = "page" or type = "screen" or type = "group"',
  fields,
  perform: (request, { payload, settings }) => send(request, payload, settings)
}

export default action
