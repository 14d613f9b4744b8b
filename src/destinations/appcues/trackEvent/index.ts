import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import {
  batchSizeField,
  enableBatchingField,
  eventNameField,
  groupIdOnEventField,
  propertiesField,
  timestampField,
  userIdField
} from '../fields'
import { toAppcuesAttributes } from '../attributes'
import { buildEvent, sendEventBatch } from '../events'
import { createUserEvent } from '../appcues-client'

const eventOf = (payload: Payload) => buildEvent(payload, toAppcuesAttributes(payload.properties, 'Event Properties'))

const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Event',
  description:
    'Record an event for a user in Appcues, so that flows can be triggered and targeted by what the user did.',
  defaultSubscription: 'type = "track"',
  fields: {
    userId: userIdField,
    event: eventNameField('The name of the event in Appcues. By default it is the Segment event name.', {
      '@path': '$.event'
    }),
    properties: propertiesField,
    timestamp: timestampField,
    groupId: groupIdOnEventField,
    enable_batching: enableBatchingField,
    batch_size: batchSizeField
  },
  perform: (request, { payload, settings }) => createUserEvent(request, settings, payload.userId, eventOf(payload)),
  performBatch: (request, { payload, settings }) => sendEventBatch(request, settings, payload, eventOf)
}

export default action
