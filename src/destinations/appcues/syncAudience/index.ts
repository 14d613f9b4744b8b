import type { ActionDefinition, RequestClient } from '@segment/actions-core'
import type { AudienceSettings, Settings } from '../generated-types'
import type { Payload, RetlOnMappingSaveInputs, RetlOnMappingSaveOutputs } from './generated-types'
import type { SegmentChanges, SegmentTarget, SyncInput } from './types'
import { batchSizeField, enableBatchingField, MAX_BATCH_SIZE, userIdField } from '../fields'
import { BATCH_CONCURRENCY } from '../constants'
import { BatchResults, forEachLimited, prepareEach } from '../functions'
import { changeMembers, SegmentDirectory, segmentDescription } from './functions'
import { DEFAULT_SYNC_MODE, groupBySegment, membershipsOf, readChange, savedSegmentOf } from './membership'
import { retlOnMappingSave } from './hook'

/** Only a segment looked up by name can be missing: nobody is in it, so leavers need no request. */
const nothingToRemove = (name: string) =>
  `The Appcues segment "${name}" does not exist, so nobody is in it and there is nobody to remove.`

/** The segment's ID: given, or found by name (and created when users enter it). */
function segmentIdOf(directory: SegmentDirectory, target: SegmentTarget, entering: boolean) {
  if ('segmentId' in target) return Promise.resolve(target.segmentId)
  if (!entering) return directory.find(target.segmentName)
  return directory.findOrCreate(target.segmentName, segmentDescription(`the Segment audience "${target.segmentName}"`))
}

/** Sends one segment's changes of a batch: one add and one remove request. */
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
    segmentId = await segmentIdOf(
      directory,
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
    const changed = [...users].filter(([, user]) => user.membership === membership)
    if (changed.length === 0) continue
    const userIds = changed.map(([userId]) => userId)
    const indices = changed.flatMap(([, user]) => user.indices)
    if (segmentId === undefined) {
      const body = nothingToRemove('segmentName' in target ? target.segmentName : '')
      for (const index of indices) results.response.setSuccessResponseAtIndex(index, { status: 200, sent: '', body })
      continue
    }
    const id = segmentId
    await results.settle(indices, { user_ids: userIds }, () =>
      changeMembers(request, settings, target, id, membership, userIds)
    )
  }
}

const action: ActionDefinition<Settings, Payload, AudienceSettings, RetlOnMappingSaveInputs, RetlOnMappingSaveOutputs> =
  {
    title: 'Sync Audience to Appcues Segment',
    description:
      'Keep an Appcues segment in step with a Segment audience, a Linked Audience, a Journeys step or a Reverse ETL model: users who enter are added to the segment and users who leave are removed, so that Appcues flows can target them. Engage creates the segment when you connect an audience to Appcues.',
    defaultSubscription:
      '(type = "identify" or type = "track") and userId != null and (context.personas.computation_class = "audience" or context.personas.computation_class = "journey_step")',
    fields: {
      userId: userIdField,
      external_audience_id: {
        label: 'Appcues Segment ID',
        description:
          'The ID of the Appcues segment that Segment created, or reused, when the audience was connected to Appcues. Segment sends it with every audience event; keep the default mapping.',
        type: 'string',
        unsafe_hidden: true,
        default: { '@path': '$.context.personas.external_audience_id' }
      },
      segmentName: {
        label: 'Appcues Segment Name',
        description:
          'Used only for events that come without an Appcues segment ID, such as events from files or from sources outside Engage: the segment with this name receives the changes, and it is created when no segment has this name. By default it is the audience key.',
        type: 'string',
        default: { '@path': '$.context.personas.computation_key' }
      },
      enable_batching: {
        ...enableBatchingField,
        description:
          'When on, Segment sends membership changes to this action in batches, and all the users who entered or left one segment in a batch are added or removed in one request each. The default is on.'
      },
      batch_size: {
        ...batchSizeField,
        description: `The largest number of membership changes in one batch. The default and the maximum are ${MAX_BATCH_SIZE}.`,
        default: MAX_BATCH_SIZE
      },
      batch_keys: {
        label: 'Batch Keys',
        description:
          'The fields Segment groups changes by when it batches them, so that each batch holds the changes of one Appcues segment.',
        type: 'string',
        multiple: true,
        unsafe_hidden: true,
        required: false,
        default: ['external_audience_id', 'segmentName']
      }
    },
    syncMode: {
      label: 'Sync Mode',
      description:
        'How the rows of a Reverse ETL model change the Appcues segment. Audiences, Linked Audiences and Journeys steps say themselves whether a user entered or left. The default is Mirror.',
      default: DEFAULT_SYNC_MODE,
      choices: [
        { label: 'Mirror: add new and updated rows, remove deleted rows', value: 'mirror' },
        { label: 'Add: add new rows to the segment', value: 'add' },
        { label: 'Remove: remove deleted rows from the segment', value: 'delete' }
      ]
    },
    hooks: { retlOnMappingSave },
    perform: async (request, data) => {
      const { payload, settings } = data
      const [membership] = membershipsOf(
        1,
        data.audienceMembership,
        data.syncMode,
        (data as SyncInput<Settings, Payload>).rawData
      )
      const change = readChange(payload, membership, savedSegmentOf(data.hookOutputs))
      const directory = new SegmentDirectory(request, settings)
      const segmentId = await segmentIdOf(directory, change.target, change.membership)
      if (segmentId === undefined) {
        return { message: nothingToRemove('segmentName' in change.target ? change.target.segmentName : '') }
      }
      return changeMembers(request, settings, change.target, segmentId, change.membership, [change.userId])
    },
    // Appcues adds and removes lists of users: each segment of a batch takes one add and one remove request.
    performBatch: async (request, data) => {
      const { payload: payloads, settings } = data
      const results = new BatchResults()
      const memberships = membershipsOf(
        payloads.length,
        data.audienceMembership ?? [],
        data.syncMode,
        (data as SyncInput<Settings, Payload[]>).rawData
      )
      const saved = savedSegmentOf(data.hookOutputs)
      const changes = prepareEach(
        payloads.map((payload, index) => ({ payload, membership: memberships[index] })),
        results,
        ({ payload, membership }) => readChange(payload, membership, saved)
      )
      const directory = new SegmentDirectory(request, settings)
      await forEachLimited(groupBySegment(changes), BATCH_CONCURRENCY, (segment) =>
        syncSegment(request, settings, directory, results, segment)
      )
      return results.response
    }
  }

export default action
