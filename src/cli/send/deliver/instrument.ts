import { AsyncLocalStorage } from 'async_hooks'
import { Response } from '@segment/actions-core'
import type { DestinationDefinition, ModifiedResponse, RequestClient } from '@segment/actions-core'
import type { RequestOptions } from '@segment/actions-core'
import type { RequestRateLimiter } from './rate-limiter'

/** What the requests of one delivery unit did; it lives across the unit's retries. */
export interface UnitContext {
  /** Answers of requests that succeeded, by method, URL and body: a retry does not send them again. */
  succeeded: Map<string, ModifiedResponse>
  /** Set by a 429 with Retry-After during the current attempt (the longest, when a batch met several). */
  retryAfterMs?: number
  /** The address of the last request sent in the current attempt (unset: no request was sent). */
  lastUrl?: string
  /** The status of the last answer in the current attempt (unset: none came). */
  lastStatus?: number
  /**
   * Set for a batch, whose events share one context: the requests of the current attempt by key. A request joins
   * `succeeded` only after the attempt, and only when every copy of it sent in that attempt succeeded, so that two
   * identical events of one batch (one delivered, one refused) are not taken for one.
   */
  batch?: Map<string, BatchRequest>
  /** With a checkpoint: calls answered before an interruption, not to be sent again, and where to record new ones. */
  journal?: CallJournal
}

interface BatchRequest {
  sent: number
  succeeded: number
  response?: ModifiedResponse
  fingerprint?: string
}

export interface RequestCounters {
  requests: number
}

const MAX_RETRY_AFTER_MS = 60_000

export function newUnitContext(): UnitContext {
  return { succeeded: new Map() }
}

/**
 * The calls a unit or a batch had answered in an earlier, interrupted run (by fingerprint, as often as answered),
 * and a recorder for the calls answered now, so that a resumed run does not send an answered call again.
 */
export class CallJournal {
  private readonly earlier = new Map<string, number>()

  constructor(
    answered: string[],
    readonly record: (fingerprint: string) => void,
    readonly forget: (fingerprint: string) => void = () => undefined
  ) {
    for (const fingerprint of answered) this.earlier.set(fingerprint, (this.earlier.get(fingerprint) ?? 0) + 1)
  }

  /** True (once per earlier answer) when the call was answered before. */
  takeEarlier(fingerprint: string): boolean {
    const count = this.earlier.get(fingerprint) ?? 0
    if (count === 0) return false
    if (count === 1) this.earlier.delete(fingerprint)
    else this.earlier.set(fingerprint, count - 1)
    return true
  }
}

const FNV64_OFFSET = BigInt('0xcbf29ce484222325')
const FNV64_PRIME = BigInt('0x100000001b3')
const MASK64 = BigInt('0xffffffffffffffff')

/** A 64-bit FNV-1a fingerprint of a call (method, path and body), short enough to record every answered call. */
export function callFingerprint(key: string): string {
  let hash = FNV64_OFFSET
  for (const byte of Buffer.from(key)) hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & MASK64
  return hash.toString(36)
}

/** The answer given, on a resumed run, for a call that the interrupted run had sent and seen answered. */
function answeredBefore(): ModifiedResponse {
  return Object.assign(new Response(null, { status: 200, statusText: 'OK' }), {
    content: '',
    data: undefined
  }) as unknown as ModifiedResponse
}

/** The context of a batch and of its retries (the retries send only the events still pending). */
export function newBatchContext(): UnitContext {
  return { succeeded: new Map(), batch: new Map() }
}

/** Caps how many requests are in flight at once (the batch path; one event at a time caps events instead). */
export class InFlightLimit {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.active--
  }
}

/** Reads Retry-After as seconds or as an HTTP date, capped at 60 s. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined
}

function requestKey(url: string, options: RequestOptions | undefined): string {
  const body =
    options?.json !== undefined ? JSON.stringify(options.json) : typeof options?.body === 'string' ? options.body : ''
  return `${(options?.method ?? 'GET').toUpperCase()} ${url} ${body}`
}

/**
 * The key of a call as the checkpoint records it: without the host, which can change between an interrupted run and
 * its resume (each `--simulate` run starts its simulator on a new port), while the account is in the path.
 */
function journalKey(url: string, options: RequestOptions | undefined): string {
  let path = url
  try {
    const parsed = new URL(url)
    path = `${parsed.pathname}${parsed.search}`
  } catch {
    // Not an absolute address: kept as it is.
  }
  return requestKey(path, options)
}

/**
 * Instruments the destination's HTTP requests without changing what the actions do: every request waits for the
 * rate cap, is counted, and reports its status; a request that already succeeded for the same unit is answered
 * from memory on a retry (an action that makes two calls and failed on the second does not repeat the first).
 */
export class RequestInstrument {
  private readonly storage = new AsyncLocalStorage<UnitContext>()

  constructor(
    private readonly limiter: RequestRateLimiter,
    readonly counters: RequestCounters,
    private readonly inFlight?: InFlightLimit
  ) {}

  /** Runs one attempt of a unit (or a batch) with its context; the attempt's own fields are cleared first. */
  async attempt<T>(context: UnitContext, run: () => Promise<T>): Promise<T> {
    context.retryAfterMs = undefined
    context.lastStatus = undefined
    context.lastUrl = undefined
    context.batch?.clear()
    try {
      return await this.storage.run(context, run)
    } finally {
      for (const [key, request] of context.batch ?? []) {
        if (request.response && request.succeeded === request.sent) {
          context.succeeded.set(key, request.response)
        } else if (request.fingerprint) {
          // Sent more often than answered: the events whose copy failed still need the call. Their neighbours'
          // answers must not make a resumed run skip it.
          for (let i = 0; i < request.succeeded; i++) context.journal?.forget(request.fingerprint)
        }
      }
    }
  }

  wrapDefinition<Settings>(definition: DestinationDefinition<Settings>): DestinationDefinition<Settings> {
    const actions: DestinationDefinition<Settings>['actions'] = {}
    for (const [key, action] of Object.entries(definition.actions)) {
      const { perform, performBatch } = action
      actions[key] = {
        ...action,
        perform: (request, data) => perform(this.wrapClient(request), data) as unknown,
        ...(performBatch ? { performBatch: (request, data) => performBatch(this.wrapClient(request), data) } : {})
      }
    }
    const { authentication } = definition
    const testAuthentication = authentication?.testAuthentication
    return {
      ...definition,
      actions,
      ...(authentication && testAuthentication
        ? {
            authentication: {
              ...authentication,
              testAuthentication: (request, data) => testAuthentication(this.wrapClient(request), data)
            }
          }
        : {})
    }
  }

  private wrapClient(request: RequestClient): RequestClient {
    const wrapped = async (url: string, options?: RequestOptions): Promise<ModifiedResponse> => {
      const context = this.storage.getStore()
      const key = requestKey(url, options)
      if ((options?.method ?? 'GET').toUpperCase() === 'GET') return this.read(request, url, options, context)
      const earlier = context?.succeeded.get(key)
      if (earlier) return earlier
      const fingerprint = context?.journal ? callFingerprint(journalKey(url, options)) : undefined
      if (context && fingerprint && context.journal?.takeEarlier(fingerprint)) {
        // Answered before the interruption: treated as sent and answered now, without a request.
        const response = answeredBefore()
        this.sending(context, key, fingerprint)
        this.answered(context, key, response)
        return response
      }
      await this.inFlight?.acquire()
      try {
        return await this.send(request, url, options, key, context, fingerprint)
      } finally {
        this.inFlight?.release()
      }
    }
    return wrapped as RequestClient
  }

  /**
   * A read changes nothing in Appcues and its answer may change (a segment list after a segment was created), so it is
   * always sent: never answered from memory, nor recorded in the checkpoint.
   */
  private async read(
    request: RequestClient,
    url: string,
    options: RequestOptions | undefined,
    context: UnitContext | undefined
  ): Promise<ModifiedResponse> {
    await this.inFlight?.acquire()
    try {
      return await this.send(request, url, options, undefined, context, undefined)
    } finally {
      this.inFlight?.release()
    }
  }

  private sending(context: UnitContext, key: string, fingerprint: string | undefined): void {
    if (!context.batch) return
    const batched = context.batch.get(key) ?? { sent: 0, succeeded: 0, fingerprint }
    batched.sent++
    context.batch.set(key, batched)
  }

  private answered(context: UnitContext, key: string, response: ModifiedResponse): void {
    const batched = context.batch?.get(key)
    if (batched) {
      batched.succeeded++
      batched.response = response
    } else {
      context.succeeded.set(key, response)
    }
  }

  /** Sends one request; with a `key`, a success is remembered for the unit (reads have none). */
  private async send(
    request: RequestClient,
    url: string,
    options: RequestOptions | undefined,
    key: string | undefined,
    context: UnitContext | undefined,
    fingerprint: string | undefined
  ): Promise<ModifiedResponse> {
    await this.limiter.take()
    this.counters.requests++
    if (context) {
      if (key !== undefined) this.sending(context, key, fingerprint)
      context.lastUrl = url
    }
    let response: ModifiedResponse
    try {
      response = await request(url, options)
    } catch (error) {
      // actions-core throws an HTTPError for an error answer; its status and Retry-After still count.
      const answer = (error as { response?: ModifiedResponse }).response
      if (answer) this.observe(answer, context)
      throw error
    }
    this.observe(response, context)
    if (context && key !== undefined && response.status >= 200 && response.status < 300) {
      this.answered(context, key, response)
      if (fingerprint) context.journal?.record(fingerprint)
    }
    return response
  }

  /** Notes an answer's status for the attempt, and pauses every sender for a 429's Retry-After. */
  private observe(response: ModifiedResponse, context: UnitContext | undefined): void {
    if (context) context.lastStatus = response.status
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'))
      if (retryAfterMs !== undefined) {
        // A batch may meet several: its retry waits for the longest.
        if (context) context.retryAfterMs = Math.max(context.retryAfterMs ?? 0, retryAfterMs)
        this.limiter.pauseFor(retryAfterMs)
      }
    }
  }
}
