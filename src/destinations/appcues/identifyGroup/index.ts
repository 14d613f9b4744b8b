import type { ActionDefinition, RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import type { Attributes } from '../types'
import { ATTRIBUTE_RULES, batchSizeField, enableBatchingField } from '../fields'
import { BATCH_CONCURRENCY, GROUP_USERS_METHOD } from '../constants'
import {
  apiUrl,
  appcuesRequest,
  BatchResults,
  encodeId,
  forEachLimited,
  hintsNaming,
  prepareEach,
  toAppcuesAttributes
} from '../functions'

const traitsOf = (payload: Payload) => toAppcuesAttributes(payload.traits, 'Group Traits')

const groupUrl = (settings: Settings, groupId: string, resource: 'profile' | 'users') =>
  apiUrl(settings, `/groups/${encodeId(groupId, 'Group ID')}/${resource}`)

function updateGroup(request: RequestClient, settings: Settings, groupId: string, attributes: Attributes) {
  return appcuesRequest(request, groupUrl(settings, groupId, 'profile'), { method: 'PATCH', json: attributes })
}

/** Group profiles are created when missing, but adding users names users and a group that may not exist. */
function addUsers(request: RequestClient, settings: Settings, groupId: string, userIds: string[]) {
  return appcuesRequest(
    request,
    groupUrl(settings, groupId, 'users'),
    { method: GROUP_USERS_METHOD, json: { user_ids: userIds } },
    hintsNaming('the group or one of the users added to it')
  )
}

interface GroupWork {
  indices: number[]
  attributes: Attributes
  /** By user ID: the events that added the user. */
  members: Map<string, number[]>
}

/** Groups a batch by group: traits merged in order (later ones win), and the users to add. */
function groupBatch(payloads: Payload[], results: BatchResults): Map<string, GroupWork> {
  const groups = new Map<string, GroupWork>()
  const prepare = (payload: Payload) => {
    encodeId(payload.groupId, 'Group ID')
    return traitsOf(payload)
  }
  for (const [index, attributes] of prepareEach(payloads, results, prepare)) {
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
      description: `Traits saved as Appcues group profile attributes. ${ATTRIBUTE_RULES} By default these are the traits of the group call.`,
      type: 'object',
      default: { '@path': '$.traits' }
    },
    enable_batching: enableBatchingField,
    batch_size: batchSizeField
  },
  perform: async (request, { payload, settings }) => {
    const profile = await updateGroup(request, settings, payload.groupId, traitsOf(payload))
    if (!payload.userId?.trim()) return profile
    return addUsers(request, settings, payload.groupId, [payload.userId])
  },
  // Appcues merges group profile updates and adds a list of users at once: one update and one addition per group.
  performBatch: async (request, { payload: payloads, settings }) => {
    const results = new BatchResults()
    await forEachLimited([...groupBatch(payloads, results)], BATCH_CONCURRENCY, async ([groupId, group]) => {
      const updated = await results.settle(group.indices, group.attributes, () =>
        updateGroup(request, settings, groupId, group.attributes)
      )
      if (!updated || group.members.size === 0) return
      const userIds = [...group.members.keys()]
      await results.settle([...group.members.values()].flat(), { user_ids: userIds }, () =>
        addUsers(request, settings, groupId, userIds)
      )
    })
    return results.response
  }
}

export default action
