import { AsyncLocalStorage } from 'async_hooks'
import type { DestinationDefinition, ModifiedResponse, RequestClient } from '@segment/actions-core'
import type { RequestOptions } from '@segment/actions-core'
import type { RequestRateLimiter } from './rate-limiter'

/** What the requests of one delivery unit did; it lives across the unit's retries. */
export interface UnitContext {
  /** Answers of requests that succeeded, by method, URL and body: a retry does not send them again. */
  succeeded: Map<string, ModifiedResponse>
  /** Set by a 429 with Retry-After during the current attempt. */
  retryAfterMs?: number
  /** The address of the last request sent in the current attempt (unset: no request was sent). */
  lastUrl?: string
  /** The status of the last answer in the current attempt (unset: none came). */
  lastStatus?: number
}

export interface RequestCounters {
  requests: number
}

const MAX_RETRY_AFTER_MS = 60_000

export function newUnitContext(): UnitContext {
  return { succeeded: new Map() }
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
 * Instruments the destination's HTTP requests without changing what the actions do: every request waits for the
 * rate cap, is counted, and reports its status; a request that already succeeded for the same unit is answered
 * from memory on a retry (an action that makes two calls and failed on the second does not repeat the first).
 */
export class RequestInstrument {
  private readonly storage = new AsyncLocalStorage<UnitContext>()

  constructor(private readonly limiter: RequestRateLimiter, readonly counters: RequestCounters) {}

  /** Runs one attempt of a unit with its context; the attempt's own fields are cleared first. */
  attempt<T>(context: UnitContext, run: () => Promise<T>): Promise<T> {
    context.retryAfterMs = undefined
    context.lastStatus = undefined
    context.lastUrl = undefined
    return this.storage.run(context, run)
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
      const earlier = context?.succeeded.get(key)
      if (earlier) return earlier
      await this.limiter.take()
      this.counters.requests++
      if (context) context.lastUrl = url
      const response = await request(url, options)
      if (context) {
        context.lastStatus = response.status
        if (response.status >= 200 && response.status < 300) context.succeeded.set(key, response)
      }
      if (response.status === 429) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'))
        if (retryAfterMs !== undefined) {
          if (context) context.retryAfterMs = retryAfterMs
          this.limiter.pauseFor(retryAfterMs)
        }
      }
      return response
    }
    return wrapped as RequestClient
  }
}
