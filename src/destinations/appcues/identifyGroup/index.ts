import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { toAppcuesAttributes } from '../attributes'
import type { Attributes } from '../attributes'
import { addUsersToGroup, updateGroupProfile } from '../appcues-client'
import { batchSizeField, enableBatchingField } from '../fields'
import { BATCH_CONCURRENCY, BatchResults, forEachLimited, prepareEach } from '../batch'

const traitsOf = (payload: Payload) => toAppcuesAttributes(payload.traits, 'Group Traits')

interface GroupWork {
  indices: number[]
  attributes: Attributes
  members: Map<string, number[]>
}

function groupBatch(payloads: Payload[], results: BatchResults): Map<string, GroupWork> {
  const groups = new Map<string, GroupWork>()
  for (const [index, attributes] of prepareEach(payloads, results, traitsOf)) {
    const { groupId, userId } = payloads[index]
    const group = groups.get(groupId) ?? { indices: [], attributes: {}, members: new Map<string, number[]>() }
    group.indices.push(index)
    group.attributes = { ...group.attributes, ...attributes }
    if (userId?.trim()) group.members.set(userId, [...(group.members.get(userId) ?? []), index])
    groups.set(groupId, group)
  }
  return groups
}

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
    },
    enable_batching: enableBatchingField,
    batch_size: batchSizeField
  },
  perform: async (request, { payload, settings }) => {
    const profile = await updateGroupProfile(request, settings, payload.groupId, traitsOf(payload))
    if (!payload.userId?.trim()) return profile
    return addUsersToGroup(request, settings, payload.groupId, [payload.userId])
  },
  performBatch: async (request, { payload: payloads, settings }) => {
    const results = new BatchResults()
    await forEachLimited([...groupBatch(payloads, results)], BATCH_CONCURRENCY, async ([groupId, group]) => {
      const updated = await results.settle(group.indices, group.attributes, () =>
        updateGroupProfile(request, settings, groupId, group.attributes)
      )
      if (!updated || group.members.size === 0) return
      const userIds = [...group.members.keys()]
      await results.settle([...group.members.values()].flat(), { user_ids: userIds }, () =>
        addUsersToGroup(request, settings, groupId, userIds)
      )
    })
    return results.response
  }
}

export default action
