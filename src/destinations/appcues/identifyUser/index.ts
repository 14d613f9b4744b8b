import type { ActionDefinition, RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import type { Attributes } from '../types'
import { ATTRIBUTE_RULES, batchSizeField, enableBatchingField, userIdField } from '../fields'
import { BATCH_CONCURRENCY } from '../constants'
import {
  apiUrl,
  appcuesRequest,
  BatchResults,
  encodeId,
  forEachLimited,
  prepareEach,
  toAppcuesAttributes
} from '../functions'

const traitsOf = (payload: Payload) => toAppcuesAttributes(payload.traits, 'User Traits')

/** The traits of one event of a batch, after its User ID is known to be usable in a path. */
function batchTraitsOf(payload: Payload) {
  encodeId(payload.userId, 'User ID')
  return traitsOf(payload)
}

function updateProfile(request: RequestClient, settings: Settings, userId: string, attributes: Attributes) {
  return appcuesRequest(request, apiUrl(settings, `/users/${encodeId(userId, 'User ID')}/profile`), {
    method: 'PATCH',
    json: attributes
  })
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify User',
  description:
    'Create or update a user profile in Appcues with the user’s traits, so that flows and surveys can target the user by them.',
  defaultSubscription: 'type = "identify" and userId != null',
  fields: {
    userId: userIdField,
    traits: {
      label: 'User Traits',
      description: `Traits saved as Appcues user profile attributes. ${ATTRIBUTE_RULES} By default these are the traits of the identify call, or the traits in the event context when the call has none.`,
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
  perform: (request, { payload, settings }) => updateProfile(request, settings, payload.userId, traitsOf(payload)),
  // Appcues merges profile updates: each user of a batch gets one update with the batch's traits, later ones winning.
  performBatch: async (request, { payload: payloads, settings }) => {
    const results = new BatchResults()
    const users = new Map<string, { indices: number[]; attributes: Attributes }>()
    for (const [index, attributes] of prepareEach(payloads, results, batchTraitsOf)) {
      const userId = payloads[index].userId
      const user = users.get(userId) ?? { indices: [], attributes: {} }
      user.indices.push(index)
      user.attributes = { ...user.attributes, ...attributes }
      users.set(userId, user)
    }
    await forEachLimited([...users], BATCH_CONCURRENCY, async ([userId, user]) => {
      await results.settle(user.indices, user.attributes, () =>
        updateProfile(request, settings, userId, user.attributes)
      )
    })
    return results.response
  }
}

export default action
