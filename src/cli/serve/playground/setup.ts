import type { InputField } from '@segment/actions-core'
import type { AnyDestination } from '../../load-destination'
import { supportsAudiences } from '../audience-routes'
import { CALL_TYPES, sampleEvents } from './samples'
import type { SampleName } from './samples'
import type { PlaygroundSettingView } from './settings'

type DependsOnConditions = NonNullable<InputField['depends_on']>

/** A field as Segment's mapping UI shows it. */
export interface FieldView {
  key: string
  label: string
  description: string
  type: string
  required: boolean
  /** For a field required only under conditions: when, in words. */
  requiredWhen?: string
  /** For a field shown only under conditions: when, in words. */
  shownWhen?: string
  multiple: boolean
  choices?: Array<{ label: string; value: string | number }>
  minimum?: number
  maximum?: number
  /** Hidden in Segment's mapping UI (the playground still shows it). */
  hidden: boolean
  /** The default mapping, or undefined when the field has none. */
  default?: unknown
}

export interface PresetView {
  name: string
  mapping: Record<string, unknown>
  /** The call type of the preset's trigger, so that the page can load the matching sample. */
  callType?: SampleName
  eventName?: string
}

export interface ActionView {
  key: string
  title: string
  description: string
  defaultSubscription?: string
  callType?: SampleName
  eventName?: string
  fields: FieldView[]
  presets: PresetView[]
  /** A field defaults to the segment ID Engage sends for a connected audience: the page offers to connect one. */
  readsAudienceId: boolean
}

export interface PlaygroundSetup {
  name: string
  actions: ActionView[]
  /** Present when the destination creates audiences: the audience settings Engage asks for when one is connected. */
  audience?: { fields: Array<{ key: string; label: string; description: string }> }
  /** Present when the destination handles Segment's privacy deletion requests (onDelete). */
  deletion?: { title: string; description: string }
  settings: PlaygroundSettingView[]
  samples: Record<SampleName, unknown>
  /** The simulator Appcues' hosts are routed to (absent when serve sends to Appcues); `holdings` when it is in-process. */
  simulator?: { url: string; accountId: number; holdings: boolean }
}

/** Where Engage puts, on each event of a connected audience, the ID that createAudience answered. */
const AUDIENCE_ID_PATH = '$.context.personas.external_audience_id'

const readsAudienceId = (fields: Record<string, InputField>) =>
  Object.values(fields).some((field) => JSON.stringify(field.default ?? null).includes(AUDIENCE_ID_PATH))

/** The call type and event name a subscription such as `type = "track" and event = "User Deleted"` selects. */
export function subscriptionSample(subscription: string | undefined): { callType?: SampleName; eventName?: string } {
  if (/computation_class\s*=\s*"audience"/.test(subscription ?? '')) return { callType: 'audience entered' }
  const type = /\btype\s*=\s*"([a-z]+)"/.exec(subscription ?? '')?.[1]
  const eventName = /\bevent\s*=\s*"([^"]+)"/.exec(subscription ?? '')?.[1]
  const callType = CALL_TYPES.find((candidate) => candidate === type)
  return { ...(callType ? { callType } : {}), ...(eventName ? { eventName } : {}) }
}

/** Conditions such as `{match: 'any', conditions: [{fieldKey: 'type', operator: 'is', value: 'page'}, ...]}` in words. */
export function conditionsInWords(conditions: DependsOnConditions, fields: Record<string, InputField>): string {
  const parts = conditions.conditions.map((condition) => {
    if (condition.type === 'syncMode') {
      return `the sync mode ${condition.operator === 'is' ? 'is' : 'is not'} ${String(condition.value)}`
    }
    const label = fields[condition.fieldKey]?.label ?? condition.fieldKey
    const values = Array.isArray(condition.value) ? condition.value.map(String).join(' or ') : String(condition.value)
    return `${label} ${condition.operator === 'is' ? 'is' : 'is not'} ${values}`
  })
  return parts.join(conditions.match === 'any' ? ', or ' : ', and ')
}

function fieldView(key: string, field: InputField, fields: Record<string, InputField>): FieldView {
  const required = field.required === true
  const conditional = typeof field.required === 'object' ? field.required : undefined
  return {
    key,
    label: field.label,
    description: field.description,
    type: field.type,
    required,
    ...(conditional ? { requiredWhen: conditionsInWords(conditional, fields) } : {}),
    ...(field.depends_on ? { shownWhen: conditionsInWords(field.depends_on, fields) } : {}),
    multiple: field.multiple === true,
    ...(field.choices
      ? {
          choices: field.choices.map((choice) =>
            typeof choice === 'string' ? { label: choice, value: choice } : { label: choice.label, value: choice.value }
          )
        }
      : {}),
    ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
    ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
    hidden: field.unsafe_hidden === true,
    ...(field.default !== undefined ? { default: field.default } : {})
  }
}

/** What the page needs to draw the actions, their fields and presets, the settings form and the sample events. */
export function playgroundSetup(
  definition: AnyDestination,
  settings: PlaygroundSettingView[],
  simulator: PlaygroundSetup['simulator']
): PlaygroundSetup {
  const presets = definition.presets ?? []
  const actions = Object.entries(definition.actions).map(([key, action]): ActionView => {
    const fields = (action.fields ?? {}) as Record<string, InputField>
    return {
      key,
      title: action.title,
      description: action.description,
      ...(action.defaultSubscription ? { defaultSubscription: action.defaultSubscription } : {}),
      ...subscriptionSample(action.defaultSubscription),
      fields: Object.entries(fields).map(([fieldKey, field]) => fieldView(fieldKey, field, fields)),
      presets: presets.flatMap((preset) =>
        'partnerAction' in preset && preset.partnerAction === key
          ? [
              {
                name: preset.name ?? key,
                mapping: (preset.mapping ?? {}) as Record<string, unknown>,
                ...subscriptionSample('subscribe' in preset ? preset.subscribe : undefined)
              }
            ]
          : []
      ),
      readsAudienceId: readsAudienceId(fields)
    }
  })
  return {
    name: definition.name,
    actions,
    ...(definition.onDelete
      ? {
          deletion: {
            title: 'Privacy Deletion',
            description:
              'What the destination does when Segment asks it to delete a user (a "delete" call, from a privacy regulation). It has no mapping: Segment passes the User ID and the Anonymous ID of the event.'
          }
        }
      : {}),
    ...(supportsAudiences(definition)
      ? {
          audience: {
            fields: Object.entries(
              (definition as { audienceFields?: Record<string, InputField> }).audienceFields ?? {}
            ).map(([key, field]) => ({ key, label: field.label, description: field.description }))
          }
        }
      : {}),
    settings,
    samples: sampleEvents(),
    ...(simulator ? { simulator } : {})
  }
}
