import { ErrorCodes, getErrorCodeFromHttpStatus, HTTPError } from '@segment/actions-core'
import type { DynamicFieldResponse, RequestClient } from '@segment/actions-core'
import type { ActionHookDefinition, ActionHookResponse } from '@segment/actions-core/destination-kit'
import type { AudienceSettings, Settings } from '../generated-types'
import type { Payload, RetlOnMappingSaveInputs, RetlOnMappingSaveOutputs } from './generated-types'
import { errorCodeOf, errorMessageOf } from '../functions'
import { getSegment, listSegments, SegmentDirectory, segmentDescription } from './functions'

type Saved = ActionHookResponse<RetlOnMappingSaveOutputs>

const failure = (message: string): Saved => ({ error: { message, code: ErrorCodes.RETL_ON_MAPPING_SAVE_FAILED } })

/** The errors of a request that got no answer: the connection failed or Appcues took too long. */
const NO_ANSWER = ['FetchError', 'TimeoutError', 'RequestTimeoutError']

/** What the person in the mapping editor reads: Appcues' answer, or that none came and what to do. */
function messageFor(error: unknown, retry: string): string {
  const message = errorMessageOf(error)
  return NO_ANSWER.includes((error as Error).name) ? `Appcues did not answer (${message}). ${retry}` : message
}

/** The account's segments, for the existing-segment picker. */
async function segmentChoices(
  request: RequestClient,
  { settings }: { settings: Settings }
): Promise<DynamicFieldResponse> {
  try {
    const segments = await listSegments(request, settings)
    return { choices: segments.map((segment) => ({ label: segment.name || segment.id, value: segment.id })) }
  } catch (error) {
    const code =
      error instanceof HTTPError
        ? getErrorCodeFromHttpStatus(error.response.status)
        : errorCodeOf((error as { code?: unknown }).code) ?? ErrorCodes.UNKNOWN_ERROR
    return { choices: [], error: { message: messageFor(error, 'Open the list again in a moment.'), code } }
  }
}

/** Connects a Reverse ETL mapping to a segment when it is saved: an existing one, or one created with a name. */
export const retlOnMappingSave: ActionHookDefinition<
  Settings,
  Payload,
  AudienceSettings,
  RetlOnMappingSaveInputs,
  RetlOnMappingSaveOutputs
> = {
  label: 'Connect an Appcues segment',
  description:
    'When you save this mapping, Segment connects it to the Appcues segment whose users the model’s rows add and remove: pick an existing segment, or enter a name to create one.',
  inputFields: {
    operation: {
      label: 'Create a new Appcues segment or use an existing one?',
      description:
        'Create a new segment to fill it from the model, or use an existing segment. When a segment with the name you enter already exists, it is used instead of creating another one. The default is to create one.',
      type: 'string',
      choices: [
        { label: 'Create a new Appcues segment', value: 'create' },
        { label: 'Use an existing Appcues segment', value: 'existing' }
      ],
      default: 'create'
    },
    segmentName: {
      label: 'New Segment Name',
      description:
        'The name of the Appcues segment to create, as Appcues Studio will show it. It is required when you choose to create a new segment.',
      type: 'string',
      depends_on: { conditions: [{ fieldKey: 'operation', operator: 'is', value: 'create' }] }
    },
    existingSegmentId: {
      label: 'Existing Appcues Segment',
      description: 'The Appcues segment to fill from the model. The list shows the segments of your Appcues account.',
      type: 'string',
      depends_on: { conditions: [{ fieldKey: 'operation', operator: 'is', value: 'existing' }] },
      dynamic: segmentChoices
    }
  },
  outputTypes: {
    segmentId: {
      label: 'Appcues Segment ID',
      description: 'The ID of the Appcues segment this mapping adds users to and removes them from.',
      type: 'string',
      required: true
    },
    segmentName: {
      label: 'Appcues Segment Name',
      description: 'The name of that segment in Appcues.',
      type: 'string',
      required: true
    }
  },
  performHook: async (request, { settings, hookInputs }): Promise<Saved> => {
    try {
      if (hookInputs?.operation === 'existing') {
        const id = hookInputs.existingSegmentId?.trim()
        if (!id) return failure('Pick the existing Appcues segment that this mapping fills.')
        const segment = await getSegment(request, settings, id, 'mapping')
        return {
          successMessage: `Connected to the Appcues segment "${segment.name || id}".`,
          savedData: { segmentId: id, segmentName: segment.name || id }
        }
      }
      const name = hookInputs?.segmentName?.trim()
      if (!name) return failure('Enter the name of the Appcues segment to create for this mapping.')
      const directory = new SegmentDirectory(request, settings)
      const segmentId = await directory.findOrCreate(name, segmentDescription('a Segment Reverse ETL model'))
      return {
        successMessage: `Connected to the Appcues segment "${name}" (ID ${segmentId}).`,
        savedData: { segmentId, segmentName: name }
      }
    } catch (error) {
      return failure(messageFor(error, 'Save the mapping again in a moment.'))
    }
  }
}
