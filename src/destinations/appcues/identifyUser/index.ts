import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { batchSizeField, enableBatchingField, userIdField } from '../fields'
import { toAppcuesAttributes } from '../attributes'
import type { Attributes } from '../attributes'
import { updateUserProfile } from '../appcues-client'
import { BATCH_CONCURRENCY, BatchResults, forEachLimited, prepareEach } from '../batch'

const traitsOf = (payload: Payload) => toAppcuesAttributes(payload.traits, 'User Traits')

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
    },
    enable_batching: enableBatchingField,
    batch_size: batchSizeField
  },
  perform: (request, { payload, settings }) => updateUserProfile(request, settings, payload.userId, traitsOf(payload)),
  performBatch: async (request, { payload: payloads, settings }) => {
    const results = new BatchResults()
    const users = new Map<string, { indices: number[]; attributes: Attributes }>()
    for (const [index, attributes] of prepareEach(payloads, results, traitsOf)) {
      const userId = payloads[index].userId
      const user = users.get(userId) ?? { indices: [], attributes: {} }
      user.indices.push(index)
      user.attributes = { ...user.attributes, ...attributes }
      users.set(userId, user)
    }
    await forEachLimited([...users], BATCH_CONCURRENCY, async ([userId, user]) => {
      await results.settle(user.indices, user.attributes, () =>
        updateUserProfile(request, settings, userId, user.attributes)
      )
    })
    return results.response
  }
}

export default action
