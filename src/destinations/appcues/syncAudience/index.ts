import { ErrorCodes, getErrorCodeFromHttpStatus, HTTPError } from '@segment/actions-core'
import type { ActionDefinition, DynamicFieldResponse, RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import type { SegmentChanges, SegmentTarget } from './types'
import { batchSizeField, enableBatchingField, MAX_BATCH_SIZE, userIdField } from '../fields'
import { BATCH_CONCURRENCY } from '../constants'
import { BatchResults, forEachLimited, prepareEach } from '../functions'
import { changeMembers, groupBySegment, readChange, SegmentDirectory, userIdChunks } from './functions'

/** Only a segment looked up by name can be missing (a picked one always has its ID): leavers need no request. */
const nothingToRemove = (target: SegmentTarget) =>
  `The Appcues segment "${
    'segmentName' in target ? target.segmentName : target.segmentId
  }" does not exist, so nobody is in it and there is nobody to remove.`

/** Sends one segment's changes of a batch: one add and one remove request (more only past the per-request limit). */
async function syncSegment(
  request: RequestClient,
  settings: Settings,
  directory: SegmentDirectory,
  results: BatchResults,
  { target, users }: SegmentChanges
): Promise<void> {
  const all = [...users.values()]
  let segmentId: string | undefined
  try {
    segmentId = await directory.idFor(
      target,
      all.some((user) => user.membership)
    )
  } catch (error) {
    results.fail(
      all.flatMap((user) => user.indices),
      error
    )
    return
  }
  for (const membership of [true, false]) {
    const userIds = [...users].filter(([, user]) => user.membership === membership).map(([userId]) => userId)
    if (userIds.length === 0) continue
    if (segmentId === undefined) {
      for (const index of userIds.flatMap((userId) => users.get(userId)?.indices ?? [])) {
        results.response.setSuccessResponseAtIndex(index, { status: 200, sent: '', body: nothingToRemove(target) })
      }
      continue
    }
    const id = segmentId
    for (const chunk of userIdChunks(userIds)) {
      const indices = chunk.flatMap((userId) => users.get(userId)?.indices ?? [])
      await results.settle(indices, { user_ids: chunk }, () =>
        changeMembers(request, settings, target, id, membership, chunk)
      )
    }
  }
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Sync Audience to Appcues Segment',
  description:
    'Keep an Appcues segment in step with a Segment Engage audience: users who enter the audience are added to the segment and users who leave it are removed, so that Appcues flows can target the audience. The segment is created when it does not exist yet.',
  defaultSubscription:
    'context.personas.computation_class = "audience" and (type = "identify" or event = "Audience Entered" or event = "Audience Exited")',
  fields: {
    userId: userIdField,
    audience: {
      label: 'Audience Key',
      description:
        'The key of the Engage audience, such as trial_users_who_invited. Engage puts the user’s membership in the event property (track calls) or trait (identify calls) of this name. By default it is the audience key Engage sends with the event.',
      type: 'string',
      required: true,
      default: { '@path': '$.context.personas.computation_key' }
    },
    membership: {
      label: 'In Audience',
      description:
        'Whether the user is now in the audience: true adds the user to the Appcues segment, false removes them. Leave this empty (the default) to read it from the Engage event, which is the right choice for an Engage audience.',
      type: 'boolean'
    },
    segmentName: {
      label: 'Appcues Segment Name',
      description:
        'The name of the Appcues segment that mirrors the audience. The segment with this name is used, and it is created when no segment has this name. By default it is the audience key.',
      type: 'string',
      default: { '@path': '$.context.personas.computation_key' }
    },
    segmentId: {
      label: 'Existing Appcues Segment',
      description:
        'Pick an existing Appcues segment to sync the audience into. When one is picked, the Appcues Segment Name is not used and no segment is created. Empty by default.',
      type: 'string',
      dynamic: true
    },
    enable_batching: {
      ...enableBatchingField,
      description:
        'When on, Segment sends audience changes to this action in batches, and all the users who entered or left one audience in a batch are added or removed in one request each. The default is on.'
    },
    batch_size: {
      ...batchSizeField,
      description: `The largest number of audience changes in one batch. The default and the maximum are ${MAX_BATCH_SIZE}.`,
      default: MAX_BATCH_SIZE
    }
  },
  dynamicFields: {
    segmentId: async (request, { settings }): Promise<DynamicFieldResponse> => {
      try {
        const segments = await new SegmentDirectory(request, settings).segments()
        return { choices: segments.map((segment) => ({ label: segment.name || segment.id, value: segment.id })) }
      } catch (error) {
        const code =
          error instanceof HTTPError
            ? getErrorCodeFromHttpStatus(error.response.status)
            : (error as { code?: string }).code ?? ErrorCodes.UNKNOWN_ERROR
        return { choices: [], error: { message: (error as Error).message, code } }
      }
    }
  },
  perform: async (request, { payload, settings, audienceMembership }) => {
    const change = readChange(payload, audienceMembership)
    const segmentId = await new SegmentDirectory(request, settings, true).idFor(change.target, change.membership)
    if (segmentId === undefined) return { message: nothingToRemove(change.target) }
    return changeMembers(request, settings, change.target, segmentId, change.membership, [change.userId])
  },
  // Appcues adds and removes lists of users: each audience of a batch takes one add and one remove request.
  performBatch: async (request, { payload: payloads, settings, audienceMembership }) => {
    const results = new BatchResults()
    const memberships = Array.isArray(audienceMembership) ? audienceMembership : []
    const changes = prepareEach(
      payloads.map((payload, index) => ({ payload, resolved: memberships[index] })),
      results,
      ({ payload, resolved }) => readChange(payload, resolved)
    )
    const directory = new SegmentDirectory(request, settings)
    await forEachLimited(groupBySegment(changes), BATCH_CONCURRENCY, (segment) =>
      syncSegment(request, settings, directory, results, segment)
    )
    return results.response
  }
}

export default action
