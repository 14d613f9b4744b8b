import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { eventNameField, propertiesField, timestampField, userIdField } from '../fields'
import { buildEvent, createEvent, toAppcuesAttributes } from '../functions'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Event',
  description:
    'Record an event for a user in Appcues, so that flows can be triggered and targeted by what the user did.',
  defaultSubscription: 'type = "track" and userId != null',
  fields: {
    userId: userIdField,
    event: eventNameField('The name of the event in Appcues. By default it is the Segment event name.', {
      '@path': '$.event'
    }),
    properties: propertiesField,
    timestamp: timestampField,
    groupId: {
      label: 'Group ID',
      description:
        'The ID of the Appcues group (for example the company or account) the event belongs to. By default it is the group ID in the Segment event context; leave it empty to send the event without a group.',
      type: 'string',
      default: { '@path': '$.context.groupId' }
    }
  },
  perform: (request, { payload, settings }) => {
    const event = buildEvent(payload, toAppcuesAttributes(payload.properties, 'Event Properties'))
    return createEvent(request, settings, payload.userId, event)
  }
}

export default action
