import { Destination, fieldsToJsonSchema, transform, validateSchema } from '@segment/actions-core'
import type { DecoratedResponse, InputField, JSONObject, SegmentEvent } from '@segment/actions-core'
import type { AnyDestination } from '../../load-destination'
import { ajvFields, errorOutput, rejectMalformedEvent } from '../errors'
import { summariseExchanges } from '../exchanges'
import type { Exchange } from '../exchanges'
import { HttpError } from '../http'
import { holdingsFor, idsOf, runMark } from './holdings'
import type { Holdings } from './holdings'
import { settingsForRun } from './settings'
import type { SimulatorTarget } from '../appcues-target'
import type { RunTarget } from './settings'

/** What the page asks for: run one action (with a mapping) on one event, or run onDelete on a deletion event. */
export interface RunRequest {
  kind: 'action' | 'delete'
  /** The action key, when `kind` is `action`. */
  action?: string
  event: JSONObject
  /** Field key to mapping value; a field left out is mapped to nothing. */
  mapping: JSONObject
  settings: unknown
}

export interface RunResult {
  /** True when the action (or onDelete) ran to the end without an error. */
  ok: boolean
  /** The payload the action received, or the mapping's output when validation stopped the run; null for onDelete. */
  payload: JSONObject | null
  /** Whether `payload` passed the action's field validation (it is then exactly what the action received). */
  payloadValidated: boolean
  /** Problems keyed by the action field they concern. */
  fieldErrors: Record<string, string>
  /** Problems keyed by the setting they concern. */
  settingsErrors: Record<string, string>
  /** Why the run failed, when it did. */
  error?: { statusCode: number; message: string }
  /** Every HTTP call the destination made, in order, with secret headers redacted. */
  exchanges: Exchange[]
  target: RunTarget
  /** What the in-process simulator holds now for the run's users and groups (only when the run went there). */
  holdings?: Holdings
}

type Body = Record<string, unknown>

function jsonObject(value: unknown, name: string, example: string): JSONObject {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `"${name}" must be a JSON object, for example ${example}.`)
  }
  return value as JSONObject
}

/** Checks the shape of a POST /playground/run body. */
export function parseRunRequest(body: Body, definition: AnyDestination): RunRequest {
  const kind = body.kind ?? 'action'
  if (kind !== 'action' && kind !== 'delete') {
    throw new HttpError(400, '"kind" must be "action" (run an action) or "delete" (run a privacy deletion).')
  }
  const common = {
    event: jsonObject(body.event, 'event', '{"type": "track", "event": "Signed Up", "userId": "user-1"}'),
    mapping: jsonObject(body.mapping, 'mapping', '{"userId": {"@path": "$.userId"}}'),
    settings: body.settings
  }
  if (kind === 'delete') {
    if (!definition.onDelete) throw new HttpError(400, 'This destination does not handle deletion requests.')
    return { kind, ...common }
  }
  const action = body.action
  if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(definition.actions, action)) {
    const keys = Object.keys(definition.actions).join(', ')
    throw new HttpError(400, `"action" must be one of the destination's actions: ${keys}.`)
  }
  return { kind, action, ...common }
}

// Compiled settings schemas, one per loaded definition (AJV keeps every schema it compiles).
const settingsSchemas = new WeakMap<AnyDestination, ReturnType<typeof fieldsToJsonSchema>>()

/** The settings' problems keyed by setting, as Segment reports them when it validates the settings. */
export function settingsProblems(definition: AnyDestination, settings: JSONObject): Record<string, string> {
  let schema = settingsSchemas.get(definition)
  if (!schema) {
    schema = fieldsToJsonSchema(definition.authentication?.fields ?? {})
    settingsSchemas.set(definition, schema)
  }
  try {
    validateSchema(settings, schema)
    return {}
  } catch (error) {
    return friendlyFields(
      ajvFields(error) ?? { $: (error as Error).message },
      definition.authentication?.fields ?? {},
      'setting'
    )
  }
}

/**
 * Per-field AJV messages keyed by the top-level field (a message about `traits.plan` belongs to `traits`), with
 * AJV's "The root value is missing the required field 'userId'" said in plain words.
 */
function friendlyFields(
  fields: Record<string, string>,
  definitions: Record<string, { label: string }>,
  of: 'field' | 'setting'
): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [path, message] of Object.entries(fields)) {
    const key = /^[^.[]+/.exec(path)?.[0] ?? path
    const label = definitions[key]?.label ?? key
    const missing = /missing the required field '([^']+)'/.test(message)
    const required =
      of === 'field'
        ? `${label} is required, but its mapping gives no value for this event.`
        : `${label} is required. Enter it in the settings.`
    const text = missing ? required : message
    result[key] = result[key] ? `${result[key]} ${text}` : text
  }
  return result
}

/** A mapping-kit validation error ("/event/@path should be a string…") in words about the field's mapping. */
function mappingProblem(error: unknown, key: string): string {
  // mapping-kit throws an AggregateError: iterable over its ValidationErrors, with their stacks as its message.
  const errors = error as Partial<Iterable<unknown>>
  const inner = typeof errors?.[Symbol.iterator] === 'function' ? [...(errors as Iterable<unknown>)] : [error]
  const messages = inner.map((item) => (item instanceof Error ? item.message : String(item)).trim())
  const prefix = `/${key}`
  const described = messages.map((message) => {
    if (!message.startsWith(prefix)) return message
    const rest = message.slice(prefix.length)
    return rest.startsWith('/') ? `In this mapping, ${rest.slice(1)}` : `This mapping${rest}`
  })
  return described.join(' ')
}

/** Maps the event field by field, so that a broken mapping is reported beside its own field. */
export function mapFields(
  mapping: JSONObject,
  event: JSONObject
): { mapped: JSONObject; errors: Record<string, string> } {
  const mapped: JSONObject = {}
  const errors: Record<string, string> = {}
  for (const [key, value] of Object.entries(mapping)) {
    try {
      Object.assign(mapped, transform({ [key]: value }, event))
    } catch (error) {
      errors[key] = mappingProblem(error, key)
    }
  }
  return { mapped, errors }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The field or setting an error message names (by its label, as the destination's messages do), so that the page
 * can show the message beside it. The earliest mention wins; at the same place, the longest label.
 */
export function namedInMessage(
  message: string,
  candidates: Array<{ key: string; label: string; scope: 'field' | 'setting' }>
): { key: string; scope: 'field' | 'setting' } | undefined {
  let best: { index: number; length: number; key: string; scope: 'field' | 'setting' } | undefined
  for (const { key, label, scope } of candidates) {
    if (!label) continue
    const match = new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(label)}(?![A-Za-z0-9])`).exec(message)
    if (!match) continue
    const index = match.index + match[1].length
    if (!best || index < best.index || (index === best.index && label.length > best.length)) {
      best = { index, length: label.length, key, scope }
    }
  }
  return best && { key: best.key, scope: best.scope }
}

/**
 * A copy of the definition that records every HTTP call (of the actions, onDelete and the audience functions) and
 * hands the payload an action's `perform` receives to `onPayload`.
 */
export function instrumented(
  definition: AnyDestination,
  responses: DecoratedResponse[],
  actionKey: string | undefined,
  onPayload: (payload: unknown) => void
): AnyDestination {
  const record = (request: Request, options: unknown, response: Response) => {
    const decorated = response as unknown as DecoratedResponse
    decorated.request = request
    decorated.options = options as DecoratedResponse['options']
    responses.push(decorated)
    return response
  }
  // The request options accept `afterResponse` hooks, although the type of extendRequest's answer does not say so.
  const extendRequest: AnyDestination['extendRequest'] = (data) => {
    const options = (definition.extendRequest?.(data) ?? {}) as { afterResponse?: unknown[] }
    return { ...options, afterResponse: [...(options.afterResponse ?? []), record] } as ReturnType<
      NonNullable<AnyDestination['extendRequest']>
    >
  }
  const actions = { ...definition.actions }
  if (actionKey) {
    const action = actions[actionKey]
    actions[actionKey] = {
      ...action,
      perform: (request, data) => {
        onPayload(JSON.parse(JSON.stringify(data.payload ?? null)))
        return action.perform(request, data) as unknown
      }
    }
  }
  return { ...definition, extendRequest, actions }
}

/** Runs the action (or onDelete) and records its outcome in `result`. */
async function execute(
  definition: AnyDestination,
  request: RunRequest,
  settings: JSONObject,
  result: RunResult
): Promise<void> {
  const actionKey = request.kind === 'action' ? request.action : undefined
  const fields = (actionKey ? definition.actions[actionKey].fields ?? {} : {}) as Record<string, InputField>
  const responses: DecoratedResponse[] = []
  const destination = new Destination(
    instrumented(definition, responses, actionKey, (payload) => {
      result.payload = payload as JSONObject
      result.payloadValidated = true
    })
  )
  try {
    if (actionKey) {
      rejectMalformedEvent(request.event)
      const bundle = { data: request.event, mapping: request.mapping, settings, auth: undefined, features: {} }
      await destination.actions[actionKey].execute(bundle)
    } else {
      await destination.onDelete?.(request.event as unknown as SegmentEvent, settings)
    }
    result.ok = true
  } catch (error) {
    const output = errorOutput(error)
    result.error = { statusCode: output.statusCode, message: output.message }
    if (output.fields) {
      result.fieldErrors = friendlyFields(output.fields, fields, 'field')
      result.error.message =
        'The mapped payload did not pass validation, so nothing was sent. See the problems beside the fields.'
    } else {
      const settingFields = definition.authentication?.fields ?? {}
      const named = namedInMessage(output.message, [
        ...Object.entries(fields).map(([key, field]) => ({ key, label: field.label, scope: 'field' as const })),
        ...Object.entries(settingFields).map(([key, field]) => ({ key, label: field.label, scope: 'setting' as const }))
      ])
      if (named?.scope === 'field') result.fieldErrors[named.key] = output.message
      if (named?.scope === 'setting') result.settingsErrors[named.key] = output.message
    }
  }
  result.exchanges = await summariseExchanges(responses)
}

/** Runs one action (or onDelete) the way Segment would, and collects everything the page shows. */
export async function runPlayground(
  definition: AnyDestination,
  request: RunRequest,
  simulator?: SimulatorTarget
): Promise<RunResult> {
  const { settings, target } = settingsForRun(request.settings, simulator)
  const result: RunResult = {
    ok: false,
    payload: null,
    payloadValidated: false,
    fieldErrors: {},
    settingsErrors: settingsProblems(definition, settings),
    exchanges: [],
    target
  }
  if (request.kind === 'action') {
    const { mapped, errors } = mapFields(request.mapping, request.event)
    result.payload = mapped
    result.fieldErrors = errors
  }
  const state = simulator?.state
  const mark = state ? runMark(state()) : undefined
  const stoppedBy = [
    Object.keys(result.fieldErrors).length > 0 ? 'fields' : '',
    Object.keys(result.settingsErrors).length > 0 ? 'settings' : ''
  ].filter(Boolean)
  if (stoppedBy.length > 0) {
    const where = stoppedBy.join(' and ')
    result.error = { statusCode: 400, message: `Nothing was sent. Fix the problems shown beside the ${where} first.` }
  } else {
    await execute(definition, request, settings, result)
  }
  if (state && mark) {
    const isAction = request.kind === 'action'
    const ids = idsOf(isAction ? [result.payload, request.event] : [request.event], !isAction)
    result.holdings = holdingsFor(state(), ids, mark)
  }
  return result
}
