import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { batchSizeField, enableBatchingField } from '../fields'
import { BatchResults, prepareEach, requireId } from '../functions'
import { erasureKeyOf, eraseUsers } from './functions'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Delete User',
  description:
    'Permanently erase a user and their data from Appcues (a GDPR deletion). Appcues schedules the deletion and carries it out later. This needs the Legacy API Key setting, and works for accounts in the US region. It has no default trigger: choose the event that should erase a user.',
  fields: {
    userId: {
      label: 'User ID',
      description: 'The ID of the Appcues user to erase. By default it is the Segment User ID.',
      type: 'string',
      required: true,
      default: { '@path': '$.userId' }
    },
    enable_batching: {
      ...enableBatchingField,
      description:
        'When on, Segment sends deletions to this action in batches, and all the users of a batch are erased with one request. Each event still gets its own result. The default is on.'
    },
    batch_size: batchSizeField
  },
  perform: (request, { payload, settings }) =>
    eraseUsers(request, erasureKeyOf(settings), [requireId(payload.userId, 'User ID')]),
  // Appcues erases a list of users at once: one request per batch, each user once.
  performBatch: async (request, { payload: payloads, settings }) => {
    const legacyApiKey = erasureKeyOf(settings)
    const results = new BatchResults()
    const indicesById = new Map<string, number[]>()
    for (const [index, userId] of prepareEach(payloads, results, (payload) => requireId(payload.userId, 'User ID'))) {
      indicesById.set(userId, [...(indicesById.get(userId) ?? []), index])
    }
    if (indicesById.size > 0) {
      const users = [...indicesById.keys()]
      await results.settle([...indicesById.values()].flat(), { users }, () => eraseUsers(request, legacyApiKey, users))
    }
    return results.response
  }
}

export default action
