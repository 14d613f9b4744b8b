import { IntegrationError, InvalidAuthenticationError, RetryableError } from '@segment/actions-core'
import {
  appcuesBodyOf,
  describeAppcuesError,
  errorFromResponse,
  errorFromTransport,
  isRetryableStatus,
  retryAfterSecondsOf
} from '../errors'
import type { FailedResponse } from '../errors'

type Classified = Error & { status?: number; code?: string }

function classify(response: FailedResponse, credential: 'apiKeyPair' | 'legacyApiKey' = 'apiKeyPair'): Classified {
  return errorFromResponse(response, credential) as Classified
}

function headers(values: Record<string, string>) {
  return { get: (name: string) => values[name.toLowerCase()] ?? null }
}

const v2Body = (status: number, title: string, detail?: string) => ({ error: true, status, title, detail })

describe('errorFromResponse', () => {
  describe('401', () => {
    it('is an InvalidAuthenticationError naming the API Key and API Secret settings', () => {
      const error = classify({ status: 401, statusText: 'Unauthorized', data: v2Body(401, 'Unauthorized') })
      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.status).toBe(401)
      expect(error.code).toBe('INVALID_AUTHENTICATION')
      expect(error.message).toBe(
        'Appcues answered 401 Unauthorized. Check that the API Key and API Secret settings hold one key pair from Appcues Studio (Settings, then API Keys).'
      )
    })

    it('names the Legacy API Key setting for the erasure credential', () => {
      const error = classify(
        { status: 401, statusText: 'Unauthorized', data: { error: 'Unauthorized' } },
        'legacyApiKey'
      )
      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.message).toBe(
        'Appcues answered 401 Unauthorized. Check the Legacy API Key setting: it must be the Legacy API Key from Appcues Studio (Settings, then API Keys), not the newer API Key.'
      )
      expect(error.message).not.toContain('API Secret')
    })
  })

  describe('403', () => {
    it('is a final FORBIDDEN error naming the API Key setting and the Admin role', () => {
      const error = classify({ status: 403, statusText: 'Forbidden', data: v2Body(403, 'Forbidden', 'Publisher key') })
      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(403)
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toBe(
        'Appcues answered 403 Forbidden: Publisher key. The key in the API Key setting lacks permission for this call. Create a key with the Admin role in Appcues Studio (Settings, then API Keys).'
      )
    })

    it('names the Legacy API Key setting for the erasure credential', () => {
      const error = classify({ status: 403, statusText: 'Forbidden' }, 'legacyApiKey')
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toBe(
        'Appcues answered 403 Forbidden. The Legacy API Key setting is not allowed to delete users for this account. Check it in Appcues Studio.'
      )
    })
  })

  it('404 is a final NOT_FOUND error pointing at the Account ID and Region settings', () => {
    const error = classify({ status: 404, statusText: 'Not Found', data: v2Body(404, 'Not Found') })
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).not.toBeInstanceOf(RetryableError)
    expect(error.status).toBe(404)
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toBe(
      'Appcues answered 404 Not Found. Check that the Account ID setting is your Appcues account ID and that the Region setting is the region where that account is hosted.'
    )
  })

  it("400 is a final BAD_REQUEST error carrying Appcues' title and detail", () => {
    const error = classify({
      status: 400,
      statusText: 'Bad Request',
      data: v2Body(400, 'invalid spec', 'attributes.plan must be a string')
    })
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).not.toBeInstanceOf(RetryableError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('BAD_REQUEST')
    expect(error.message).toBe(
      'Appcues answered 400 Bad Request: invalid spec: attributes.plan must be a string. Appcues did not accept the data; fix the mapping and send it again.'
    )
  })

  it.each([
    [402, 'PAYMENT_REQUIRED'],
    [405, 'METHOD_NOT_ALLOWED'],
    [409, 'CONFLICT'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
    [422, 'UNPROCESSABLE_ENTITY'],
    [423, 'LOCKED'],
    [501, 'NOT_IMPLEMENTED']
  ])('%i is final with the code %s', (status, code) => {
    const error = classify({ status })
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error).not.toBeInstanceOf(RetryableError)
    expect(error.status).toBe(status)
    expect(error.code).toBe(code)
    expect(error.message).toBe(
      `Appcues answered ${status}. Appcues did not accept the data; fix the mapping and send it again.`
    )
  })

  it('429 is retryable with status 429 and says the rate limit was reached', () => {
    const error = classify({
      status: 429,
      statusText: 'Too Many Requests',
      data: { error: true, title: 'rate limited' }
    })
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(429)
    expect(error.code).toBe('RETRYABLE_ERROR')
    expect(error.message).toBe(
      'Appcues answered 429 Too Many Requests: rate limited. The Appcues rate limit was reached; the event will be retried.'
    )
  })

  it('408 is retryable with status 408', () => {
    const error = classify({ status: 408, statusText: 'Request Timeout' })
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(408)
  })

  it.each([500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599])(
    '%i is retryable with the same status',
    (status) => {
      const error = classify({ status })
      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(status)
      expect(error.message).toBe(
        `Appcues answered ${status}. This is a temporary Appcues error; the event will be retried.`
      )
    }
  )

  it.each([520, 530, 550])('%i (a 5xx outside the retryable set of Segment) is retried as 500', (status) => {
    const error = classify({ status })
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(500)
    expect(error.message).toContain(`Appcues answered ${status}.`)
  })

  it('remembers the body Appcues answered, for per-event batch results', () => {
    const body = v2Body(400, 'invalid spec')
    expect(appcuesBodyOf(classify({ status: 400, data: body }))).toEqual(body)
    expect(appcuesBodyOf(classify({ status: 502, content: 'Bad gateway' }))).toBe('Bad gateway')
    expect(appcuesBodyOf(new Error('other'))).toBeUndefined()
    expect(appcuesBodyOf(undefined)).toBeUndefined()
    expect(appcuesBodyOf('text')).toBeUndefined()
  })
})

describe('describeAppcuesError (bodies)', () => {
  it('reads the v2 error body: title and detail', () => {
    expect(
      describeAppcuesError({
        status: 400,
        statusText: 'Bad Request',
        data: v2Body(400, 'invalid spec', 'name is required')
      })
    ).toBe('400 Bad Request: invalid spec: name is required')
  })

  it('reads the v1 error body: message.title and message.description', () => {
    expect(
      describeAppcuesError({
        status: 400,
        statusText: 'Bad Request',
        data: {
          error: true,
          status_code: 400,
          message: { title: 'Bad input', description: 'user id missing', type: 'x' }
        }
      })
    ).toBe('400 Bad Request: Bad input: user id missing')
  })

  it('reads a plain message or error string', () => {
    expect(describeAppcuesError({ status: 400, data: { message: 'plain message' } })).toBe('400: plain message')
    expect(describeAppcuesError({ status: 401, data: { error: 'Unauthorized' } })).toBe('401: Unauthorized')
  })

  it('prefers detail over message and error', () => {
    expect(describeAppcuesError({ status: 400, data: { detail: 'the detail', message: 'm', error: 'e' } })).toBe(
      '400: the detail'
    )
  })

  it('does not repeat a detail equal to the title', () => {
    expect(
      describeAppcuesError({ status: 404, statusText: 'Not Found', data: v2Body(404, 'Not Found', 'Not Found') })
    ).toBe('404 Not Found')
  })

  it('trims the parts and ignores empty or non-text ones', () => {
    expect(describeAppcuesError({ status: 400, data: { title: '  spaced  ', detail: '   ', error: true } })).toBe(
      '400: spaced'
    )
    expect(describeAppcuesError({ status: 400, data: { title: 42, detail: { nested: true } } })).toBe('400')
    expect(describeAppcuesError({ status: 400, data: {} })).toBe('400')
  })

  it('uses a text body, with runs of white space collapsed', () => {
    expect(describeAppcuesError({ status: 502, statusText: 'Bad Gateway', data: '  upstream\n\n  timed   out ' })).toBe(
      '502 Bad Gateway: upstream timed out'
    )
  })

  it('falls back to the raw content when there is no parsed body', () => {
    expect(describeAppcuesError({ status: 503, content: 'Service Unavailable' })).toBe('503: Service Unavailable')
  })

  it('leaves out an HTML body', () => {
    expect(
      describeAppcuesError({
        status: 502,
        statusText: 'Bad Gateway',
        data: '<html><head><title>502</title></head><body>nginx</body></html>'
      })
    ).toBe('502 Bad Gateway')
    expect(describeAppcuesError({ status: 500, content: '  <!DOCTYPE html><html></html>' })).toBe('500')
  })

  it('gives only the status line for an empty body', () => {
    expect(describeAppcuesError({ status: 500, statusText: 'Internal Server Error', data: '' })).toBe(
      '500 Internal Server Error'
    )
    expect(describeAppcuesError({ status: 500 })).toBe('500')
  })

  it('clips a long text body to 300 characters', () => {
    const described = describeAppcuesError({ status: 500, data: 'x'.repeat(1000) })
    expect(described).toBe(`500: ${'x'.repeat(300)}…`)
  })

  it('clips a long JSON detail to 300 characters', () => {
    const described = describeAppcuesError({ status: 400, data: v2Body(400, 'invalid', 'y'.repeat(500)) })
    expect(described).toBe(`400: ${`invalid: ${'y'.repeat(500)}`.slice(0, 300)}…`)
  })

  it('does not clip a body of exactly 300 characters', () => {
    expect(describeAppcuesError({ status: 500, data: 'z'.repeat(300) })).toBe(`500: ${'z'.repeat(300)}`)
  })

  it('keeps a long body out of the error message', () => {
    const error = classify({ status: 400, statusText: 'Bad Request', data: 'q'.repeat(5000) })
    expect(error.message.length).toBeLessThan(500)
    expect(error.message).toContain(`${'q'.repeat(300)}…`)
  })
})

describe('retryAfterSecondsOf', () => {
  it('reads a Retry-After in seconds', () => {
    expect(retryAfterSecondsOf(classify({ status: 429, headers: headers({ 'retry-after': '30' }) }))).toBe(30)
    expect(retryAfterSecondsOf(classify({ status: 503, headers: headers({ 'retry-after': ' 1.5 ' }) }))).toBe(1.5)
  })

  it('reads a Retry-After given as an HTTP date', () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString()
    const seconds = retryAfterSecondsOf(classify({ status: 429, headers: headers({ 'retry-after': inOneMinute }) }))
    expect(seconds).toBeGreaterThan(55)
    expect(seconds).toBeLessThanOrEqual(60)
  })

  it('never returns a negative wait for a date in the past', () => {
    const past = 'Wed, 21 Oct 2015 07:28:00 GMT'
    expect(retryAfterSecondsOf(classify({ status: 429, headers: headers({ 'retry-after': past }) }))).toBe(0)
  })

  it('returns undefined when Retry-After is absent or unusable', () => {
    expect(retryAfterSecondsOf(classify({ status: 429 }))).toBeUndefined()
    expect(retryAfterSecondsOf(classify({ status: 429, headers: headers({}) }))).toBeUndefined()
    expect(retryAfterSecondsOf(classify({ status: 429, headers: headers({ 'retry-after': 'soon' }) }))).toBeUndefined()
    expect(retryAfterSecondsOf(new Error('x'))).toBeUndefined()
  })
})

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504, 520, 599])('%i is retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(true)
  })

  it.each([400, 401, 403, 404, 409, 413, 422, 423, 501])('%i is not retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(false)
  })
})

describe('errorFromTransport', () => {
  it.each([
    [{ name: 'TimeoutError', message: 'timeout' }],
    [{ name: 'RequestTimeoutError' }],
    [{ name: 'FetchError', code: 'ETIMEDOUT' }]
  ])('turns a timeout %j into a retryable 408 naming the host', (cause) => {
    const error = errorFromTransport(cause, 'https://api.appcues.com/v2/accounts/1/tags') as Classified
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(408)
    expect(error.message).toBe('Appcues (api.appcues.com) did not answer in time; the event will be retried.')
  })

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])(
    'turns the connection error %s into a retryable 503 naming the cause',
    (code) => {
      const error = errorFromTransport(
        { name: 'FetchError', code },
        'https://segment.eu.appcues.com/v2/accounts/1/segment/direct'
      ) as Classified
      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(503)
      expect(error.message).toBe(
        `Could not reach Appcues at segment.eu.appcues.com (${code}). If you set the Endpoint Override setting, check that it is reachable; otherwise the event will be retried.`
      )
    }
  )

  it('names the host and port of an Endpoint Override', () => {
    const error = errorFromTransport({ code: 'ECONNREFUSED' }, 'http://127.0.0.1:4010/v2/accounts/1/tags')
    expect(error.message).toContain('Could not reach Appcues at 127.0.0.1:4010 (ECONNREFUSED)')
  })

  it('falls back to the error name, then to a generic reason', () => {
    expect(errorFromTransport({ name: 'AbortError' }, 'https://api.appcues.com/x').message).toContain('(AbortError)')
    expect(errorFromTransport({}, 'https://api.appcues.com/x').message).toContain('(connection error)')
  })

  it('does not put credentials of the URL into the message', () => {
    const error = errorFromTransport({ code: 'ECONNRESET' }, 'https://user:pass@proxy.example.com/v2/accounts/1/tags')
    expect(error.message).not.toContain('pass')
    expect(error.message).toContain('proxy.example.com')
  })
})
