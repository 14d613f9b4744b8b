import type { Result } from '@segment/actions-core'
import type { UnitContext } from './instrument'
import type { AttemptResult } from './outcomes'

interface ThrownError {
  name?: string
  code?: string
  status?: number
  message?: string
  response?: { status?: number; statusText?: string; data?: unknown }
}

const MAX_ANSWER_WORDS = 300

/** What Appcues said in an error answer: its `title` and `detail`, as far as they add to the status. */
function answerWords(data: unknown, statusText: string | undefined): string {
  if (!data || typeof data !== 'object') return ''
  const { title, detail } = data as { title?: unknown; detail?: unknown }
  const words = [title, detail]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '' && part !== statusText)
    .join(': ')
  return words.length > MAX_ANSWER_WORDS ? `${words.slice(0, MAX_ANSWER_WORDS)}…` : words
}

/** Errors of a request that got no answer: a refused, dropped or timed-out connection. Segment retries them. */
const TRANSPORT_ERRORS = new Set(['FetchError', 'AbortError', 'TimeoutError', 'RequestTimeoutError'])

const RETRYABLE_STATUSES = new Set([408, 423, 429])
const EVENT_STATUSES = new Set([400, 413, 422])
/** Answers that mean the settings are wrong for every event: stop rather than fail a million events one by one. */
const FATAL_APPCUES_STATUSES = new Set([401, 403, 404])
/** The erasure endpoint uses its own credential (the Legacy API key): refusing it concerns deletions only. */
const OWN_CREDENTIAL_PATH = /\/gdpr\//

function refusedEverything(context: UnitContext, status: number | undefined): boolean {
  const { lastStatus, lastUrl } = context
  return (
    lastStatus !== undefined &&
    lastStatus === status &&
    FATAL_APPCUES_STATUSES.has(lastStatus) &&
    !OWN_CREDENTIAL_PATH.test(lastUrl ?? '')
  )
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status !== undefined && (RETRYABLE_STATUSES.has(status) || (status >= 500 && status !== 501))
}

function oneLine(message: string | undefined): string {
  return (message ?? 'unknown error').replace(/\s+/g, ' ').trim()
}

/** Sorts an error thrown by the destination into retry, rejected, failed or fatal, the way Segment would. */
export function classifyError(error: ThrownError, context: UnitContext): AttemptResult {
  const status = error.status ?? error.response?.status
  // actions-core's HTTPError says only the status text; the summary says who answered what.
  const answer = error.name === 'HTTPError' ? error.response : undefined
  const words = answer ? answerWords(answer.data, answer.statusText) : ''
  const reason =
    answer?.status !== undefined
      ? oneLine(`Appcues answered ${answer.status} ${answer.statusText ?? ''}${words ? `: ${words}` : ''}`)
      : oneLine(error.message)
  if (
    error.name === 'AggregateAjvError' ||
    error.name === 'ValidationError' ||
    error.code === 'PAYLOAD_VALIDATION_FAILED'
  ) {
    return { kind: 'rejected', reason, status: 400 }
  }
  if (refusedEverything(context, status)) return { kind: 'fatal', reason, status }
  const noAnswer = status === undefined && error.name !== undefined && TRANSPORT_ERRORS.has(error.name)
  if (error.code === 'RETRYABLE_ERROR' || isRetryableStatus(status) || noAnswer) {
    return {
      kind: 'retry',
      reason,
      status,
      ...(context.retryAfterMs !== undefined ? { retryAfterMs: context.retryAfterMs } : {})
    }
  }
  if (status !== undefined && EVENT_STATUSES.has(status)) return { kind: 'rejected', reason, status }
  return { kind: 'failed', reason, ...(status !== undefined ? { status } : {}) }
}

/** One event's entry in the MultiStatus answer of a batch. */
export type MultiStatusEntry = NonNullable<Result['multistatus']>[number]

/** What actions-core answers, in a batch, for an event that the subscription's filter does not match. */
const NOT_SUBSCRIBED = /does not match the subscription/

/**
 * Sorts one event's entry of a batch the way `classifyError` sorts an error of a single event. `context` is the
 * batch's: the address of its requests tells whether a 401, 403 or 404 concerns every event or deletions only.
 */
export function classifyEntry(entry: MultiStatusEntry | undefined, context: UnitContext): AttemptResult {
  if (!entry) return { kind: 'failed', reason: 'The batch returned no result for this event.' }
  if (!('errormessage' in entry)) return { kind: 'delivered' }
  const { status, errortype } = entry
  const reason = oneLine(entry.errormessage)
  if (errortype === 'PAYLOAD_VALIDATION_FAILED') {
    return NOT_SUBSCRIBED.test(reason) ? { kind: 'skipped' } : { kind: 'rejected', reason, status: 400 }
  }
  const answeredByAppcues = entry.sent !== undefined || entry.body !== undefined
  if (answeredByAppcues && FATAL_APPCUES_STATUSES.has(status) && !OWN_CREDENTIAL_PATH.test(context.lastUrl ?? '')) {
    return { kind: 'fatal', reason, status }
  }
  if (errortype === 'RETRYABLE_ERROR' || isRetryableStatus(status)) {
    return {
      kind: 'retry',
      reason,
      status,
      ...(context.retryAfterMs !== undefined ? { retryAfterMs: context.retryAfterMs } : {})
    }
  }
  if (EVENT_STATUSES.has(status)) return { kind: 'rejected', reason, status }
  return { kind: 'failed', reason, status }
}
