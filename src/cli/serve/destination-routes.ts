import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import type { AnyDestination } from '../load-destination'
import { ajvFields, errorOutput, rejectMalformedEvent } from './errors'
import { summariseExchanges } from './exchanges'
import { HttpError } from './http'

/** What a route answers (before secrets are scrubbed), plus a short note for the log line. */
export interface RouteAnswer {
  status: number
  body: unknown
  note?: string
}

type Body = Record<string, unknown>

function objectOrEmpty(body: Body, key: string): JSONObject {
  const value = body[key]
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `"${key}" must be a JSON object.`)
  }
  return value as JSONObject
}

/** GET /manifest: the definition as JSON (functions drop out), plus the folder name. */
export function manifest(definition: AnyDestination, directoryName: string): RouteAnswer {
  return { status: 200, body: { ...definition, directoryName } }
}

/** POST /authenticate: the body is the settings object. Always 200, with ok true or false. */
export async function authenticate(definition: AnyDestination, body: Body): Promise<RouteAnswer> {
  try {
    await new Destination(definition).testAuthentication(body)
    return { status: 200, body: { ok: true } }
  } catch (error) {
    const message = (error as Error).message
    return { status: 200, body: { ok: false, error: message, fields: ajvFields(error) ?? {} }, note: message }
  }
}

/** POST /delete: body {payload, settings}; runs onDelete. Its calls are not recorded, so exchanges are empty. */
export async function deletion(definition: AnyDestination, body: Body): Promise<RouteAnswer> {
  const destination = new Destination(definition)
  try {
    await destination.onDelete?.(
      objectOrEmpty(body, 'payload') as unknown as SegmentEvent,
      objectOrEmpty(body, 'settings')
    )
    return { status: 200, body: await summariseExchanges(destination.responses) }
  } catch (error) {
    const output = errorOutput(error)
    return { status: 200, body: [output], note: output.message }
  }
}

/** The mapping Segment's serve uses: the fields' defaults overlaid by the request's mapping, or null when empty. */
function requestMapping(definition: AnyDestination, actionKey: string, body: Body): JSONObject | null {
  const defaults: JSONObject = {}
  for (const [key, field] of Object.entries(definition.actions[actionKey].fields ?? {})) {
    if (field.default !== undefined && field.default !== null) defaults[key] = field.default as JSONObject[string]
  }
  const mapping = { ...defaults, ...objectOrEmpty(body, 'mapping') }
  return Object.keys(mapping).length > 0 ? mapping : null
}

/** POST /<actionKey>: runs the action on one payload, or on a batch when `payload` is an array. */
export async function runAction(definition: AnyDestination, actionKey: string, body: Body): Promise<RouteAnswer> {
  const payload = body.payload ?? {}
  if (typeof payload !== 'object' || payload === null) {
    throw new HttpError(400, '"payload" must be a Segment event object, or an array of them for a batch.')
  }
  const mapping = requestMapping(definition, actionKey, body)
  const destination = new Destination(definition)
  const action = destination.actions[actionKey]
  const first = (Array.isArray(payload) ? (payload as unknown[])[0] : payload) as
    | { context?: { personas?: { audience_settings?: unknown } } }
    | undefined
  const common = {
    settings: objectOrEmpty(body, 'settings'),
    // As Segment's serve: the audience settings Engage sends with the (first) event.
    audienceSettings: (first?.context?.personas?.audience_settings ?? {}) as JSONObject,
    auth: objectOrEmpty(body, 'auth') as never,
    features: objectOrEmpty(body, 'features') as Record<string, boolean>,
    subscriptionMetadata: body.subscriptionMetadata as never
  }
  let note: string | undefined
  try {
    if (Array.isArray(payload)) {
      const events = payload as JSONObject[]
      const results = await action.executeBatch({ ...common, data: events, mapping: mapping ?? events[0] ?? {} })
      const failed = results.filter((result) => result.status >= 300).length
      note = `batch of ${events.length}: ${events.length - failed} ok, ${failed} failed`
    } else {
      rejectMalformedEvent(payload as JSONObject)
      await action.execute({ ...common, data: payload as JSONObject, mapping: mapping ?? (payload as JSONObject) })
    }
    return { status: 200, body: await summariseExchanges(destination.responses), note }
  } catch (error) {
    const output = errorOutput(error)
    return { status: 200, body: [output], note: output.message }
  }
}
