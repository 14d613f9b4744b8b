import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { closedLoopbackOrigin, startLoopbackServer } from '../../__tests__/__helpers__/loopback-server'

const US_HOST = 'https://api.appcues.com'
const EU_HOST = 'https://api.eu.appcues.com'
const settings: Settings = { apiKey: 'key', apiSecret: 'secret', accountId: 123, region: 'US' }
// base64('key:secret'), computed independently of the code under test.
const BASIC_AUTH = 'Basic a2V5OnNlY3JldA=='

const newTestDestination = () => createTestIntegration(destination)
let testDestination: ReturnType<typeof newTestDestination>

// A fresh instance per test: testAction does not clear recorded responses when it throws.
beforeEach(() => {
  testDestination = newTestDestination()
})

function identify(overrides: Partial<SegmentEvent> = {}, options: { settings?: Settings; mapping?: JSONObject } = {}) {
  return testDestination.testAction('identifyUser', {
    event: createTestEvent({
      type: 'identify',
      userId: 'u1',
      timestamp: '2024-05-01T12:00:00.000Z',
      traits: {},
      ...overrides
    }),
    settings: options.settings ?? settings,
    mapping: options.mapping,
    useDefaultMappings: true
  })
}

function jsonBody(response: { options: { body?: unknown } }): unknown {
  return JSON.parse(String(response.options.body))
}

describe('Appcues.identifyUser', () => {
  describe('request', () => {
    it('PATCHes the user profile with Basic auth and the traits as a flat JSON object', async () => {
      const traits = { email: 'ada@example.com', name: 'Ada', plan: 'pro', seats: 3, trial: false }
      const scope = nock(US_HOST)
        .patch('/v2/accounts/123/users/u1/profile', traits)
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(200, { id: 'u1' })

      const responses = await identify({ traits })

      expect(scope.isDone()).toBe(true)
      expect(responses).toHaveLength(1)
      const [response] = responses
      expect(response.status).toBe(200)
      expect(response.request.method).toBe('PATCH')
      expect(response.url).toBe('https://api.appcues.com/v2/accounts/123/users/u1/profile')
      expect(response.request.headers.get('authorization')).toBe(BASIC_AUTH)
      expect(response.request.headers.get('content-type')).toBe('application/json')
      expect(response.request.headers.get('accept')).toBe('application/json')
      expect(response.options.json).toStrictEqual(traits)
      expect(jsonBody(response)).toStrictEqual(traits)
    })

    it('returns the Appcues answer as the action result', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, { id: 'u1', plan: 'pro' })
      await identify({ traits: { plan: 'pro' } })
      expect(testDestination.results[testDestination.results.length - 1]).toMatchObject({
        data: { id: 'u1', plan: 'pro' },
        output: 'Action Executed'
      })
    })

    it('falls back to the traits in the event context when the call has none', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, {})
      const responses = await identify({ traits: undefined, context: { traits: { email: 'ctx@example.com' } } })
      expect(responses[0].options.json).toStrictEqual({ email: 'ctx@example.com' })
    })

    it('prefers the call traits over the context traits', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, {})
      const responses = await identify({
        traits: { email: 'call@example.com' },
        context: { traits: { email: 'ctx@example.com', extra: 'x' } }
      })
      expect(responses[0].options.json).toStrictEqual({ email: 'call@example.com' })
    })

    it('sends an empty object when the user has no traits (the PATCH still creates the user)', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile', {}).reply(200, {})
      const responses = await identify({ traits: {} })
      expect(responses[0].options.body).toBe('{}')
    })

    it('uses a mapped User ID and traits object', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/crm-9/profile').reply(200, {})
      const responses = await identify(
        { properties: { crm: { id: 'crm-9', fields: { tier: 'gold' } } } },
        { mapping: { userId: { '@path': '$.properties.crm.id' }, traits: { '@path': '$.properties.crm.fields' } } }
      )
      expect(responses[0].url).toBe('https://api.appcues.com/v2/accounts/123/users/crm-9/profile')
      expect(responses[0].options.json).toStrictEqual({ tier: 'gold' })
    })
  })

  describe('attribute rules', () => {
    it('flattens nested objects with "_"', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, {})
      const responses = await identify({
        traits: { company: { name: 'Acme', plan: { tier: 'enterprise', seats: 50 } }, email: 'a@b.co' }
      })
      expect(responses[0].options.json).toStrictEqual({
        company_name: 'Acme',
        company_plan_tier: 'enterprise',
        company_plan_seats: 50,
        email: 'a@b.co'
      })
    })

    it('joins arrays of plain values with "," and writes other arrays as JSON', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, {})
      const responses = await identify({
        traits: {
          roles: ['admin', 'editor'],
          mixed: [1, 'two', true],
          teams: [{ id: 1, name: 'Core' }, { id: 2 }],
          nested: [
            [1, 2],
            [3, 4]
          ],
          none: []
        }
      })
      expect(responses[0].options.json).toStrictEqual({
        roles: 'admin,editor',
        mixed: '1,two,true',
        teams: '[{"id":1,"name":"Core"},{"id":2}]',
        nested: '[[1,2],[3,4]]'
      })
    })

    it('drops top-level keys that start with "_", and empty strings at any depth', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, {})
      const responses = await identify({
        traits: {
          _lastPageUrl: 'https://x',
          _internal: { a: 1 },
          title: '',
          company: { name: '', size: 10 },
          meta: { _source: 'crm' },
          kept: 'yes'
        }
      })
      expect(responses[0].options.json).toStrictEqual({ company_size: 10, meta__source: 'crm', kept: 'yes' })
    })

    it('keeps null (it clears the attribute in Appcues), false and 0', async () => {
      nock(US_HOST).patch('/v2/accounts/123/users/u1/profile').reply(200, {})
      const responses = await identify({ traits: { plan: null, company: { name: null }, active: false, logins: 0 } })
      expect(responses[0].options.body).toBe('{"plan":null,"company_name":null,"active":false,"logins":0}')
    })

    it('rejects traits whose nested and flat keys collide, naming the attribute, without sending anything', async () => {
      const scope = nock(US_HOST).patch(/.*/).reply(200, {})
      const attempt = identify({ traits: { company_name: 'Flat', company: { name: 'Nested' } } })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(identify({ traits: { company_name: 'Flat', company: { name: 'Nested' } } })).rejects.toThrow(
        'User Traits has two values for the Appcues attribute "company_name"'
      )
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('ids in the path', () => {
    it.each([
      ['a/b?c#d%e', 'a%2Fb%3Fc%23d%25e'],
      ['../admin', '..%2Fadmin'],
      ['../../v1/gdpr/delete', '..%2F..%2Fv1%2Fgdpr%2Fdelete'],
      ['user@example.com', 'user%40example.com'],
      ['100% sure', '100%25%20sure'],
      ['%2e%2e', '%252e%252e'],
      ['ünïcødé', '%C3%BCn%C3%AFc%C3%B8d%C3%A9']
    ])('percent-encodes the User ID %p as one path segment', async (userId, encoded) => {
      const scope = nock(US_HOST).patch(`/v2/accounts/123/users/${encoded}/profile`).reply(200, {})
      const responses = await identify({ userId, traits: { a: 1 } })
      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe(`https://api.appcues.com/v2/accounts/123/users/${encoded}/profile`)
      expect(new URL(responses[0].url).pathname).toBe(`/v2/accounts/123/users/${encoded}/profile`)
      expect(new URL(responses[0].url).search).toBe('')
      expect(new URL(responses[0].url).hash).toBe('')
    })

    it.each(['.', '..'])('rejects the User ID %p with a PayloadValidationError and sends nothing', async (userId) => {
      const scope = nock(US_HOST).patch(/.*/).reply(200, {})
      await expect(identify({ userId, traits: { a: 1 } })).rejects.toThrow(PayloadValidationError)
      await expect(identify({ userId, traits: { a: 1 } })).rejects.toThrow(
        `The User ID "${userId}" cannot be sent to Appcues.`
      )
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('missing required fields', () => {
    it('rejects an event without a user ID and sends nothing', async () => {
      const scope = nock(US_HOST).patch(/.*/).reply(200, {})
      await expect(identify({ userId: undefined, traits: { a: 1 } })).rejects.toThrow(
        "The root value is missing the required field 'userId'."
      )
      expect(scope.isDone()).toBe(false)
    })

    it('rejects a blank user ID with a PayloadValidationError and sends nothing', async () => {
      const scope = nock(US_HOST).patch(/.*/).reply(200, {})
      const attempt = identify({ userId: ' \t ', traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow('The User ID is empty. Map a field that holds the User ID.')
      expect(scope.isDone()).toBe(false)
    })

    it('treats an empty user ID as missing', async () => {
      await expect(identify({ userId: '', traits: { a: 1 } })).rejects.toThrow(
        "The root value is missing the required field 'userId'."
      )
    })
  })

  describe('regions and the Endpoint Override setting', () => {
    it('sends EU accounts to api.eu.appcues.com', async () => {
      const scope = nock(EU_HOST).patch('/v2/accounts/123/users/u1/profile', { a: 1 }).reply(200, {})
      const responses = await identify({ traits: { a: 1 } }, { settings: { ...settings, region: 'EU' } })
      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://api.eu.appcues.com/v2/accounts/123/users/u1/profile')
    })

    it.each(['https://proxy.example.com/appcues', 'https://proxy.example.com/appcues/'])(
      'sends to the Endpoint Override %p instead of the region host, keeping its path',
      async (endpoint) => {
        const scope = nock('https://proxy.example.com')
          .patch('/appcues/v2/accounts/123/users/u1/profile', { a: 1 })
          .matchHeader('authorization', BASIC_AUTH)
          .reply(200, {})
        const responses = await identify({ traits: { a: 1 } }, { settings: { ...settings, region: 'EU', endpoint } })
        expect(scope.isDone()).toBe(true)
        expect(responses[0].url).toBe('https://proxy.example.com/appcues/v2/accounts/123/users/u1/profile')
      }
    )

    it('accepts a plain-http loopback Endpoint Override and sends the same request there', async () => {
      const server = await startLoopbackServer(200, { ok: true })
      try {
        const responses = await identify(
          { userId: 'a/b', traits: { plan: 'pro' } },
          { settings: { ...settings, endpoint: server.origin } }
        )
        expect(responses[0].status).toBe(200)
        expect(server.requests).toHaveLength(1)
        const [received] = server.requests
        expect(received.method).toBe('PATCH')
        expect(received.url).toBe('/v2/accounts/123/users/a%2Fb/profile')
        expect(received.headers.authorization).toBe(BASIC_AUTH)
        expect(received.headers['content-type']).toBe('application/json')
        expect(JSON.parse(received.body)).toStrictEqual({ plan: 'pro' })
      } finally {
        await server.close()
      }
    })

    it.each(['http://example.com', 'http://localhost.example.com', 'ftp://127.0.0.1'])(
      'rejects the Endpoint Override %p, naming the setting, and sends nothing',
      async (endpoint) => {
        const scope = nock(/.*/).patch(/.*/).reply(200, {})
        const attempt = identify({ traits: { a: 1 } }, { settings: { ...settings, endpoint } })
        await expect(attempt).rejects.toThrow(IntegrationError)
        await expect(identify({ traits: { a: 1 } }, { settings: { ...settings, endpoint } })).rejects.toMatchObject({
          status: 400,
          code: 'INVALID_SETTINGS',
          message: expect.stringContaining('The Endpoint Override setting must use https')
        })
        expect(scope.isDone()).toBe(false)
      }
    )
  })

  describe('failures', () => {
    const path = '/v2/accounts/123/users/u1/profile'

    it('turns 401 into an InvalidAuthenticationError that names the API Key and API Secret settings', async () => {
      nock(US_HOST)
        .patch(path)
        .reply(401, { error: true, status: 401, title: 'Unauthorized', detail: 'Bad credentials' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(InvalidAuthenticationError)
      await expect(attempt).rejects.toMatchObject({ status: 401 })
      await expect(attempt).rejects.toThrow('Appcues answered 401 Unauthorized: Bad credentials.')
      await expect(attempt).rejects.toThrow('API Key and API Secret settings')
    })

    it('turns 403 into a non-retryable error that says the key lacks permission', async () => {
      nock(US_HOST).patch(path).reply(403, { error: true, status: 403, title: 'Forbidden', detail: 'Read-only key' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(IntegrationError)
      await expect(attempt).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' })
      await expect(attempt).rejects.toThrow('Forbidden: Read-only key')
      await expect(attempt).rejects.toThrow('The key in the API Key setting lacks permission')
    })

    it('turns 404 into a non-retryable error that names the Account ID and Region settings', async () => {
      nock(US_HOST).patch(path).reply(404, { error: true, status: 404, title: 'Not Found', detail: 'No account' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' })
      await expect(attempt).rejects.toThrow('Account ID setting')
      await expect(attempt).rejects.toThrow('Region setting')
    })

    it("turns 400 into a non-retryable error that carries Appcues' title and detail", async () => {
      nock(US_HOST).patch(path).reply(400, {
        error: true,
        status: 400,
        title: 'Invalid profile',
        detail: 'Attribute "plan" must be a string'
      })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(IntegrationError)
      await expect(attempt).rejects.not.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST' })
      await expect(attempt).rejects.toThrow(
        'Appcues answered 400 Bad Request: Invalid profile: Attribute "plan" must be a string.'
      )
    })

    it.each([429, 500, 502, 503])('turns %p into a RetryableError with that status', async (status) => {
      nock(US_HOST).patch(path).reply(status, { error: true, status, title: 'Try later', detail: 'Busy' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status })
      await expect(attempt).rejects.toThrow('Try later: Busy')
    })

    it('says that a 429 is the Appcues rate limit', async () => {
      nock(US_HOST).patch(path).reply(429, { error: true, status: 429, title: 'Too Many Requests' })
      await expect(identify({ traits: { a: 1 } })).rejects.toThrow(
        'Appcues answered 429 Too Many Requests. The Appcues rate limit was reached; the event will be retried.'
      )
    })

    it('does not retry 501', async () => {
      nock(US_HOST).patch(path).reply(501, { title: 'Not Implemented' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.not.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 501 })
    })

    it('leaves an HTML error page out of the message', async () => {
      nock(US_HOST).patch(path).reply(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toThrow(
        'Appcues answered 502 Bad Gateway. This is a temporary Appcues error; the event will be retried.'
      )
    })

    it('turns a connection timeout (ETIMEDOUT) into a retryable 408', async () => {
      nock(US_HOST).patch(path).replyWithError({ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 408 })
      await expect(attempt).rejects.toThrow('Appcues (api.appcues.com) did not answer in time')
    })

    it('turns the request client timeout (no answer within 10 s) into a retryable 408', async () => {
      // The request client's 10 s timer fires at once; nothing else is faked, so the test does not depend on time.
      const realSetTimeout = global.setTimeout
      const spy = jest
        .spyOn(global, 'setTimeout')
        .mockImplementation(((callback: () => void, ms?: number) =>
          realSetTimeout(callback, ms === 10_000 ? 0 : ms)) as typeof setTimeout)
      try {
        nock(US_HOST).patch(path).delay(60_000).reply(200, {})
        const error = await identify({ traits: { a: 1 } }).then(
          () => undefined,
          (failure: Error) => failure
        )
        expect(error).toBeInstanceOf(RetryableError)
        expect(error).toMatchObject({ status: 408 })
      } finally {
        spy.mockRestore()
        nock.abortPendingRequests()
      }
    })

    it('turns a dropped connection (ECONNRESET) into a retryable 503 that names the host', async () => {
      nock(US_HOST).patch(path).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      const attempt = identify({ traits: { a: 1 } })
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 503 })
      await expect(attempt).rejects.toThrow('Could not reach Appcues at api.appcues.com (ECONNRESET)')
    })

    it('turns a refused connection to the Endpoint Override into a retryable error naming the setting', async () => {
      const endpoint = await closedLoopbackOrigin()
      const attempt = identify({ traits: { a: 1 } }, { settings: { ...settings, endpoint } })
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toThrow(`Could not reach Appcues at ${new URL(endpoint).host} (ECONNREFUSED)`)
      await expect(attempt).rejects.toThrow('Endpoint Override setting')
    })
  })
})
