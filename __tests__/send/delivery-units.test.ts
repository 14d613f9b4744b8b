import { RequestRateLimiter } from '../../src/cli/send/deliver/rate-limiter'
import type { DeliveryUnit } from '../../src/cli/send/deliver/deliver'
import { backoffMs, deliverWithRetries } from '../../src/cli/send/deliver/retry'
import { parseRetryAfter } from '../../src/cli/send/deliver/instrument'
import { classifyError } from '../../src/cli/send/deliver/classify'
import { newUnitContext } from '../../src/cli/send/deliver/instrument'

describe('retry timing', () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 }

  it('backs off exponentially with jitter, capped, and never sooner than Retry-After', () => {
    expect(backoffMs({ ...policy, random: () => 1 }, 1)).toBe(100)
    expect(backoffMs({ ...policy, random: () => 1 }, 3)).toBe(400)
    expect(backoffMs({ ...policy, random: () => 0 }, 3)).toBe(200)
    expect(backoffMs({ ...policy, random: () => 1 }, 10)).toBe(1000)
    expect(backoffMs({ ...policy, random: () => 1 }, 1, 2000)).toBe(2000)
  })

  it.each([
    ['before the backoff starts', (abort: () => void) => abort()],
    ['during the backoff', (abort: () => void) => setImmediate(abort)]
  ])('ends an hour-long backoff when the run stops %s: the unit fails as stopped, nothing throws', async (_, when) => {
    const controller = new AbortController()
    let stopping = false
    const finals = await deliverWithRetries(
      [{ attempts: 1 } as DeliveryUnit],
      () => Promise.resolve([{ kind: 'retry', reason: 'Appcues answered 503', status: 503 }]),
      { maxRetries: 5, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 },
      {
        onRetry: () =>
          when(() => {
            stopping = true
            controller.abort()
          }),
        stopping: () => stopping,
        signal: controller.signal
      }
    )
    expect(finals).toEqual([
      { kind: 'failed', reason: 'Appcues answered 503 (the run was stopped before a retry)', status: 503 }
    ])
  })

  it('reads Retry-After as seconds or a date, capped at a minute', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(3000)
    expect(parseRetryAfter('3600')).toBe(60_000)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('classifying what the destination throws', () => {
  const context = newUnitContext()

  it('retries retryable errors and statuses, rejects event errors, stops on refused credentials', () => {
    expect(
      classifyError({ name: 'RetryableError', code: 'RETRYABLE_ERROR', status: 503, message: 'x' }, context).kind
    ).toBe('retry')
    expect(classifyError({ name: 'IntegrationError', status: 429, message: 'x' }, context).kind).toBe('retry')
    expect(classifyError({ name: 'AggregateAjvError', message: 'missing userId' }, context)).toEqual({
      kind: 'rejected',
      reason: 'missing userId',
      status: 400
    })
    expect(
      classifyError(
        { name: 'PayloadValidationError', code: 'PAYLOAD_VALIDATION_FAILED', status: 400, message: 'bad' },
        context
      ).kind
    ).toBe('rejected')
    expect(
      classifyError({ name: 'IntegrationError', code: 'BAD_REQUEST', status: 400, message: 'bad' }, context).kind
    ).toBe('rejected')
    expect(classifyError({ name: 'IntegrationError', status: 501, message: 'x' }, context).kind).toBe('failed')
    expect(
      classifyError({ name: 'InvalidAuthenticationError', status: 401, message: 'no legacy key' }, context).kind
    ).toBe('failed')
    expect(
      classifyError({ name: 'InvalidAuthenticationError', status: 401, message: 'x' }, { ...context, lastStatus: 401 })
        .kind
    ).toBe('fatal')
    expect(classifyError({ name: 'FetchError', code: 'ECONNRESET', message: 'socket hang up' }, context).kind).toBe(
      'retry'
    )
    expect(
      classifyError(
        { name: 'HTTPError', message: 'Bad Gateway', response: { status: 502, statusText: 'Bad Gateway' } },
        context
      )
    ).toEqual({ kind: 'retry', reason: 'Appcues answered 502 Bad Gateway', status: 502 })
  })
})

describe('the request-rate limiter', () => {
  it('spaces requests evenly and pauses everyone after pauseFor', async () => {
    const limiter = new RequestRateLimiter(50)
    const started = Date.now()
    const times: number[] = []
    await Promise.all(Array.from({ length: 10 }, () => limiter.take().then(() => times.push(Date.now() - started))))
    expect(times[9]).toBeGreaterThanOrEqual(170) // 9 gaps of 20 ms
    limiter.pauseFor(150)
    const pausedAt = Date.now()
    await limiter.take()
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(140)
  })

  it('does not wait at all without a cap', async () => {
    const limiter = new RequestRateLimiter(0)
    const started = Date.now()
    await Promise.all(Array.from({ length: 100 }, () => limiter.take()))
    expect(Date.now() - started).toBeLessThan(50)
  })
})
