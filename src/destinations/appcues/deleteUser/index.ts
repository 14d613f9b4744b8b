import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { eraseUsers } from '../appcues-client'
import { batchSizeField, enableBatchingField } from '../fields'
import { BatchResults, idChunks, MAX_ID_LIST_BODY_BYTES, prepareEach } from '../batch'
import { requireId } from '../endpoints'

/** Splits ids, in order, into chunks whose `{users: [...]}` body stays under the size limit. */
export function erasureChunks(userIds: string[], maxBytes = MAX_ID_LIST_BODY_BYTES): string[][] {
  return idChunks(userIds, 'users', maxBytes)
}

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
    },
    enable_batching: enableBatchingField,
    batch_size: batchSizeField
  },
  perform: (request, { payload, settings }) => eraseUsers(request, settings, [requireId(payload.userId, 'User ID')]),
  performBatch: async (request, { payload: payloads, settings }) => {
    const results = new BatchResults()
    const indicesById = new Map<string, number[]>()
    for (const [index, userId] of prepareEach(payloads, results, (payload) => requireId(payload.userId, 'User ID'))) {
      indicesById.set(userId, [...(indicesById.get(userId) ?? []), index])
    }
    for (const users of erasureChunks([...indicesById.keys()])) {
      const indices = users.flatMap((id) => indicesById.get(id) ?? [])
      await results.settle(indices, { users }, () => eraseUsers(request, settings, users))
    }
    return results.response
  }
}

export default action
