import {
  getErrorCodeFromHttpStatus,
  IntegrationError,
  InvalidAuthenticationError,
  RetryableError
} from '@segment/actions-core'

/** Which credential a request was made with, so that a 401 or 403 can name the setting to fix. */
export type Credential = 'apiKeyPair' | 'legacyApiKey'

export interface FailedResponse {
  status: number
  statusText?: string
  data?: unknown
  content?: string
  headers?: { get(name: string): string | null }
}

interface FailureDetails {
  body: unknown
  retryAfterSeconds?: number
}

const failureDetails = new WeakMap<object, FailureDetails>()

/** What Appcues answered for an error made by `errorFromResponse`, or undefined for other errors. */
export function appcuesBodyOf(error: unknown): unknown {
  return error && typeof error === 'object' ? failureDetails.get(error)?.body : undefined
}

/** The `Retry-After` of a 429 or 503 answer, in seconds, when Appcues sent a usable one. */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  return error && typeof error === 'object' ? failureDetails.get(error)?.retryAfterSeconds : undefined
}

function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined
}

type RetryableStatus = ConstructorParameters<typeof RetryableError>[1]
const RETRYABLE_STATUSES = new Set<number>([408, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599])
const MAX_DETAIL_LENGTH = 300

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined
}

/** Reads Appcues' error body (`{title, detail}`, the v1 `{message: {title, description}}`, or plain text). */
export function describeAppcuesError(response: FailedResponse): string {
  const body = response.data
  const parts: string[] = []
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>
    const nested =
      record.message && typeof record.message === 'object' ? (record.message as Record<string, unknown>) : {}
    const title = text(record.title) ?? text(nested.title)
    const detail = text(record.detail) ?? text(nested.description) ?? text(record.message) ?? text(record.error)
    const statusText = response.statusText?.toLowerCase()
    for (const part of [title, detail]) {
      if (part && !parts.includes(part) && part.toLowerCase() !== statusText) parts.push(part)
    }
  } else {
    const raw = text(typeof body === 'string' ? body : response.content)
    if (raw && !raw.startsWith('<')) parts.push(raw.replace(/\s+/g, ' '))
  }
  const summary = parts.join(': ').replace(/[.\s]+$/, '')
  const clipped = summary.length > MAX_DETAIL_LENGTH ? `${summary.slice(0, MAX_DETAIL_LENGTH)}…` : summary
  const statusLine = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  return clipped ? `${statusLine}: ${clipped}` : statusLine
}

const CREDENTIAL_FIXES: Record<Credential, { unauthorized: string; forbidden: string; notFound: string }> = {
  apiKeyPair: {
    unauthorized:
      'Check that the API Key and API Secret settings hold one key pair from Appcues Studio (Settings, then API Keys).',
    forbidden:
      'The key in the API Key setting lacks permission for this call. Create a key with the Admin role in Appcues Studio (Settings, then API Keys).',
    notFound:
      'Check that the Account ID setting is your Appcues account ID and that the Region setting is the region where that account is hosted.'
  },
  legacyApiKey: {
    unauthorized:
      'Check the Legacy API Key setting: it must be the Legacy API Key from Appcues Studio (Settings, then API Keys), not the newer API Key.',
    forbidden:
      'The Legacy API Key setting is not allowed to delete users for this account. Check it in Appcues Studio.',
    notFound:
      'Check that the Region setting is the region where your Appcues account is hosted (Appcues has not confirmed the address for deletions in the EU region).'
  }
}

/** Turns a non-2xx Appcues answer into the actions-core error that Segment retries (or not) correctly. */
export function errorFromResponse(response: FailedResponse, credential: Credential): Error {
  const error = classify(response, credential)
  failureDetails.set(error, {
    body: response.data ?? response.content,
    retryAfterSeconds: parseRetryAfter(response.headers?.get('retry-after'))
  })
  return error
}

function classify(response: FailedResponse, credential: Credential): Error {
  const { status } = response
  const described = `Appcues answered ${describeAppcuesError(response)}.`
  if (status === 401) {
    return new InvalidAuthenticationError(`${described} ${CREDENTIAL_FIXES[credential].unauthorized}`)
  }
  if (status === 403) {
    return new IntegrationError(`${described} ${CREDENTIAL_FIXES[credential].forbidden}`, 'FORBIDDEN', 403)
  }
  if (status === 404) {
    return new IntegrationError(`${described} ${CREDENTIAL_FIXES[credential].notFound}`, 'NOT_FOUND', 404)
  }
  if (status === 429) {
    return new RetryableError(`${described} The Appcues rate limit was reached; the event will be retried.`, 429)
  }
  if (isRetryableStatus(status)) {
    const retryStatus = (RETRYABLE_STATUSES.has(status) ? status : 500) as RetryableStatus
    return new RetryableError(`${described} This is a temporary Appcues error; the event will be retried.`, retryStatus)
  }
  return new IntegrationError(
    `${described} Appcues did not accept the data; fix the mapping and send it again.`,
    getErrorCodeFromHttpStatus(status),
    status
  )
}

/** Turns a request that got no answer (timeout, refused or dropped connection) into a retryable error. */
export function errorFromTransport(error: { name?: string; code?: string; message?: string }, url: string): Error {
  const host = new URL(url).host
  if (error.name === 'TimeoutError' || error.name === 'RequestTimeoutError' || error.code === 'ETIMEDOUT') {
    return new RetryableError(`Appcues (${host}) did not answer in time; the event will be retried.`, 408)
  }
  const reason = error.code ?? error.name ?? 'connection error'
  return new RetryableError(
    `Could not reach Appcues at ${host} (${reason}). If you set the Endpoint Override setting, check that it is reachable; otherwise the event will be retried.`,
    503
  )
}

const REDACTED = '<redacted>'

/** The forms in which credentials could come back in an answer: as they are, and as a Basic token. */
export function secretForms(username: string | undefined, password: string | undefined): string[] {
  const forms = [username, password].filter((value): value is string => Boolean(value && value.length >= 4))
  if (username || password) forms.push(Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64'))
  return forms
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join(REDACTED), text)
}

/** Removes credentials from an error and the answer it keeps, for an Appcues (or proxy) answer that echoes them. */
export function redactSecrets<E extends Error>(error: E, secrets: string[]): E {
  error.message = redact(error.message, secrets)
  const details = failureDetails.get(error)
  if (details?.body !== undefined) {
    details.body =
      typeof details.body === 'string'
        ? redact(details.body, secrets)
        : (JSON.parse(redact(JSON.stringify(details.body), secrets)) as unknown)
  }
  return error
}
