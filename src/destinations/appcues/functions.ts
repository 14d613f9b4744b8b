import {
  ErrorCodes,
  getErrorCodeFromHttpStatus,
  HTTPError,
  IntegrationError,
  InvalidAuthenticationError,
  MultiStatusResponse,
  PayloadValidationError
} from '@segment/actions-core'
import type { JSONLikeObject, ModifiedResponse, RequestClient, RequestOptions } from '@segment/actions-core'
import type { Settings } from './generated-types'
import type { AppcuesEvent, AttributeValue, Attributes, SettingHints } from './types'
import { API_HOSTS } from './constants'
import { APPCUES_PUBLIC_API_VERSION } from './versioning-info'

/** The Region setting, which must be US or EU. */
export function regionOf(settings: Settings): 'US' | 'EU' {
  const region = settings.region ?? 'US'
  if (region === 'US' || region === 'EU') return region
  throw new InvalidAuthenticationError(
    `Invalid region "${String(
      region
    )}": the Region setting must be US or EU, the region where your Appcues account is hosted.`
  )
}

/**
 * The Account ID as it goes into URL paths. The setting is a number, but settings stored by older setups may hold it
 * as text: a positive whole number and a string of digits (spaces around it ignored) give the same path.
 */
function accountIdOf(settings: Settings): string {
  const raw: unknown = settings.accountId
  const digits =
    typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  if (!/^\d+$/.test(digits) || /^0+$/.test(digits)) {
    throw new InvalidAuthenticationError(
      'The Account ID setting must be your numeric Appcues account ID: a whole number, found in Appcues Studio under Settings, then Account.'
    )
  }
  return digits.replace(/^0+/, '')
}

/** The address of an account's Public API resource; `path` starts with a slash and holds encoded ids only. */
export function apiUrl(settings: Settings, path: string): string {
  return `${API_HOSTS[regionOf(settings)]}/${APPCUES_PUBLIC_API_VERSION}/accounts/${accountIdOf(settings)}${path}`
}

/** Refuses an empty or blank id (field validation lets `[null]` through as an empty string). */
export function requireId(id: string, fieldLabel: string): string {
  if (!id.trim()) {
    throw new PayloadValidationError(`The ${fieldLabel} is empty. Map a field that holds the ${fieldLabel}.`)
  }
  return id
}

/** Percent-encodes one id for a URL path; refuses ids that URL normalisation would turn into path navigation. */
export function encodeId(id: string, fieldLabel: string): string {
  requireId(id, fieldLabel)
  if (id === '.' || id === '..') {
    throw new PayloadValidationError(`The ${fieldLabel} "${id}" cannot be sent to Appcues. Map a real identifier.`)
  }
  try {
    return encodeURIComponent(id)
  } catch {
    throw new PayloadValidationError(
      `The ${fieldLabel} contains a broken character that cannot be put in a web address, often half of an emoji or another special character left by text cut short. Map a field that holds the complete identifier, or fix the identifier where it is created.`
    )
  }
}

const ACCOUNT_CHECK =
  'Check that the Account ID setting is your Appcues account ID and that the Region setting is the region where that account is hosted.'

/** The hints for most calls: for them a 404 means a wrong account or region (Appcues creates missing profiles). */
export const KEY_PAIR_HINTS: SettingHints = {
  401: 'Check that the API Key and API Secret settings hold one key pair from Appcues Studio (Settings, then API Keys).',
  403: 'The key in the API Key setting lacks permission for this call. Create a key with the Admin role, which can write profiles, events, groups and segments, in Appcues Studio (Settings, then API Keys).',
  404: ACCOUNT_CHECK
}

/** The hints for a call that names a user, group or segment (`named`), which may not exist: a 404 can mean that too. */
export function hintsNaming(named: string): SettingHints {
  return { ...KEY_PAIR_HINTS, 404: `${ACCOUNT_CHECK} If both are right, ${named} may not exist in Appcues.` }
}

const MAX_WORDS_LENGTH = 300

/** A plain key-value object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined
}

/** The credentials a request carried, in every form an answer could repeat them in. */
function credentialsOf(error: HTTPError): string[] {
  const token = /^Basic\s+(\S+)$/i.exec(error.request?.headers?.get('authorization') ?? '')?.[1]
  if (!token) return []
  const pair = Buffer.from(token, 'base64').toString('utf8')
  const separator = pair.indexOf(':')
  return [token, pair, pair.slice(0, separator), pair.slice(separator + 1)].filter((form) => form.length >= 4)
}

/**
 * The status of an Appcues error answer and its own words: `title` and `detail`, or v1's `message`. Credentials the
 * answer repeats are left out.
 */
function describeAnswer(error: HTTPError): string {
  const response = error.response as ModifiedResponse
  const body = isRecord(response.data) ? response.data : {}
  const v1 = isRecord(body.message) ? body.message : {}
  const parts: string[] = []
  for (const part of [text(body.title) ?? text(v1.title), text(body.detail) ?? text(v1.description)]) {
    if (part && !parts.includes(part) && part.toLowerCase() !== response.statusText?.toLowerCase()) parts.push(part)
  }
  const words = credentialsOf(error).reduce(
    (redacted, credential) => redacted.split(credential).join('<redacted>'),
    parts.join(': ').replace(/[.\s]+$/, '')
  )
  const clipped = words.length > MAX_WORDS_LENGTH ? `${words.slice(0, MAX_WORDS_LENGTH)}…` : words
  const status = [response.status, response.statusText].filter(Boolean).join(' ')
  return `Appcues answered ${status}${clipped ? `: ${clipped}` : ''}.`
}

/** What went wrong, in words: for an Appcues error answer, its status and Appcues' own words. */
export function errorMessageOf(error: unknown): string {
  return error instanceof HTTPError ? describeAnswer(error) : (error as Error).message
}

/** The HTTP status of a failed request: Appcues' answer, or the one its error class carries. */
export function statusOf(error: unknown): number | undefined {
  const failure = error as { status?: number; response?: { status?: number } }
  return failure.response?.status ?? failure.status
}

/** For a 401, 403 or 404 from Appcues: what Appcues said and which setting to check. Undefined for other errors. */
function settingHintOf(error: unknown, hints: SettingHints): string | undefined {
  if (!(error instanceof HTTPError)) return undefined
  const hint = hints[error.response.status as keyof SettingHints]
  return hint && `${describeAnswer(error)} ${hint}`
}

/** Appcues' answer behind each error that appcuesRequest rethrew with a setting hint. */
const hintedAnswers = new WeakMap<object, ModifiedResponse>()

/** Appcues' answer to a failed request: the HTTPError's, or the one behind an error with a setting hint. */
function answerOf(error: unknown): ModifiedResponse | undefined {
  if (error instanceof HTTPError) return error.response as ModifiedResponse
  return error instanceof Object ? hintedAnswers.get(error) : undefined
}

/**
 * Sends one request to Appcues. actions-core turns an error answer into an HTTPError that Segment retries by status;
 * only the answers a wrong setting causes get a message that names the setting.
 */
export async function appcuesRequest(
  request: RequestClient,
  url: string,
  options: RequestOptions,
  hints: SettingHints = KEY_PAIR_HINTS
): Promise<ModifiedResponse> {
  try {
    // Without it, actions-core reads a clone of the answer and leaves the original unread: an answer larger than
    // the stream buffer (about 16 KB) then never settles.
    return await request(url, { ...options, skipResponseCloning: true })
  } catch (error) {
    const hint = settingHintOf(error, hints)
    if (hint === undefined) throw error
    const answer = (error as HTTPError).response as ModifiedResponse
    const hinted =
      answer.status === 401
        ? new InvalidAuthenticationError(hint)
        : new IntegrationError(hint, getErrorCodeFromHttpStatus(answer.status), answer.status)
    hintedAnswers.set(hinted, answer)
    throw hinted
  }
}

/** The body of an Appcues event, from the fields that Track Event and Page View share (the Event Name field checks the length). */
export function buildEvent(
  fields: { event: string; timestamp?: string | number; groupId?: string },
  attributes: Attributes
): AppcuesEvent {
  const name = fields.event
  if (!name.trim()) {
    throw new PayloadValidationError('The Event Name field is empty. Map a non-empty event name.')
  }
  const event: AppcuesEvent = { name, timestamp: toIsoTimestamp(fields.timestamp, 'The Timestamp field'), attributes }
  if (fields.groupId) event.group_id = fields.groupId
  return event
}

/** Records one event for a user. */
export function createEvent(request: RequestClient, settings: Settings, userId: string, event: AppcuesEvent) {
  return appcuesRequest(request, apiUrl(settings, `/users/${encodeId(userId, 'User ID')}/events`), {
    method: 'POST',
    json: event
  })
}

type Sent = JSONLikeObject | string

function asBody(value: unknown): Sent {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? (value as JSONLikeObject) : String(value)
}

/** `code` when it is one of actions-core's error codes; undefined for any other code (such as a network error's). */
export function errorCodeOf(code: unknown): keyof typeof ErrorCodes | undefined {
  return typeof code === 'string' && code in ErrorCodes ? (code as keyof typeof ErrorCodes) : undefined
}

/** One outcome per event of a batch; events that shared a request share its outcome. */
export class BatchResults {
  readonly response = new MultiStatusResponse()

  /** Records a failure. `sent` is given when the failure is Appcues' answer to a request (or its absence). */
  fail(indices: number[], error: unknown, sent?: Sent): void {
    const answer = answerOf(error)
    const outcome = {
      status: statusOf(error) ?? 500,
      // Left out for a bare answer: actions-core infers it from the status.
      errortype: error instanceof HTTPError ? undefined : errorCodeOf((error as { code?: unknown }).code),
      errormessage: errorMessageOf(error),
      ...(sent === undefined ? {} : { sent, body: asBody(answer?.data ?? answer?.content) })
    }
    for (const index of indices) this.response.setErrorResponseAtIndex(index, outcome)
  }

  /** Sends one request on behalf of the events at `indices` and records its outcome for each. */
  async settle(indices: number[], sent: Sent, send: () => Promise<ModifiedResponse>): Promise<boolean> {
    try {
      const answer = await send()
      const body = asBody(answer.data ?? answer.content)
      for (const index of indices) this.response.setSuccessResponseAtIndex(index, { status: answer.status, sent, body })
      return true
    } catch (error) {
      this.fail(indices, error, sent)
      return false
    }
  }
}

/** Prepares each payload on its own, so that an invalid one fails alone with its own error. */
export function prepareEach<P, T>(
  payloads: P[],
  results: BatchResults,
  prepare: (payload: P) => T
): Array<[number, T]> {
  const prepared: Array<[number, T]> = []
  payloads.forEach((payload, index) => {
    try {
      prepared.push([index, prepare(payload)])
    } catch (error) {
      results.fail([index], error)
    }
  })
  return prepared
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

const SEPARATOR = '_'
const MAX_DEPTH = 16

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

function arrayToAttribute(values: unknown[], path: string, fieldLabel: string): string | undefined {
  if (values.every(isPrimitive)) {
    const joined = values.filter((value) => value !== '').join(',')
    return joined === '' ? undefined : joined
  }
  try {
    return JSON.stringify(values)
  } catch {
    throw new PayloadValidationError(
      `${fieldLabel} has a value at "${path}" that cannot be written as JSON. Map plain data.`
    )
  }
}

/**
 * Appcues stores flat string, number, boolean and date values and ignores anything else, so nested objects become
 * `parent_child` keys, arrays of plain values a comma-separated string, other arrays a JSON string. Empty strings
 * and empty lists are left out, `null` is kept (it clears the attribute), and top-level keys that start with `_` are
 * left out because Appcues reserves them for its own attributes.
 */
export function toAppcuesAttributes(
  source: Record<string, unknown> | undefined | null,
  fieldLabel: string
): Attributes {
  const flat = new Map<string, AttributeValue>()
  const ancestors = new Set<object>()

  const put = (name: string, value: AttributeValue) => {
    if (name === '' || name.startsWith('_')) return
    if (flat.has(name)) {
      throw new PayloadValidationError(
        `${fieldLabel} has two values for the Appcues attribute "${name}" (a nested key and a flat key flatten to the same name). Rename one of them in the mapping.`
      )
    }
    flat.set(name, value)
  }

  const walk = (object: Record<string, unknown>, prefix: string, depth: number) => {
    if (ancestors.has(object)) {
      throw new PayloadValidationError(`${fieldLabel} refers to itself at "${prefix}". Map plain data.`)
    }
    if (depth > MAX_DEPTH) {
      throw new PayloadValidationError(
        `${fieldLabel} is nested more than ${MAX_DEPTH} levels deep at "${prefix}". Map a flatter object.`
      )
    }
    ancestors.add(object)
    for (const [key, value] of Object.entries(object)) {
      const name = prefix ? `${prefix}${SEPARATOR}${key}` : key
      if (value === undefined || value === '') continue
      if (value === null || typeof value === 'string' || typeof value === 'boolean') {
        put(name, value)
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) {
          throw new PayloadValidationError(
            `${fieldLabel} has a number at "${name}" that is not finite. Map a real number.`
          )
        }
        put(name, value)
      } else if (Array.isArray(value)) {
        const joined = arrayToAttribute(value, name, fieldLabel)
        if (joined !== undefined) put(name, joined)
      } else if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new PayloadValidationError(`${fieldLabel} has an invalid date at "${name}". Map a real date.`)
        }
        put(name, value.toISOString())
      } else if (isPlainObject(value)) {
        walk(value, name, depth + 1)
      } else {
        throw new PayloadValidationError(
          `${fieldLabel} has a value of an unsupported type at "${name}". Map plain data.`
        )
      }
    }
    ancestors.delete(object)
  }

  if (source) walk(source, '', 0)
  return Object.fromEntries(flat)
}

/**
 * Event timestamps go to Appcues as ISO-8601. Numbers (also as text) are epoch milliseconds, or seconds when below
 * 1e11 (a date before 1973 in milliseconds). An empty value is the time of sending.
 */
function toIsoTimestamp(value: string | number | undefined, fieldLabel: string): string {
  if (value === undefined || value === '') return new Date().toISOString()
  const epoch = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined
  const date = epoch === undefined ? new Date(value) : new Date(Math.abs(epoch) < 1e11 ? epoch * 1000 : epoch)
  if (Number.isNaN(date.getTime())) {
    throw new PayloadValidationError(
      `${fieldLabel} "${String(
        value
      )}" is not a date. Map a date and time such as 2024-05-01T12:00:00Z, or a number of seconds or milliseconds since 1 January 1970.`
    )
  }
  const year = date.getUTCFullYear()
  if (year < 0 || year > 9999) {
    throw new PayloadValidationError(
      `${fieldLabel} "${String(
        value
      )}" is outside the years 0000 to 9999. Map the date and time when the event happened.`
    )
  }
  return date.toISOString()
}
