import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { failure } from '../../__tests__/__helpers__/failure'

const testDestination = createTestIntegration(destination)

const US = 'https://api.appcues.com'
const EU = 'https://api.eu.appcues.com'
const TIMESTAMP = '2024-05-01T12:00:00.000Z'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
// base64('key-1:secret-1'), written out so that a change in how the header is built fails the test.
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

function groupEvent(overrides: Partial<SegmentEvent> = {}) {
  return createTestEvent({
    type: 'group',
    userId: 'user-1',
    groupId: 'group-1',
    traits: { name: 'Acme Inc', plan: 'pro', employees: 42 },
    timestamp: TIMESTAMP,
    messageId: 'msg-1',
    ...overrides
  })
}

function run(event: SegmentEvent, actionSettings: Settings = settings, mapping?: Record<string, unknown>) {
  return testDestination.testAction('identifyGroup', {
    event,
    settings: actionSettings,
    useDefaultMappings: true,
    mapping: mapping as never
  })
}

/** The error testAction rejected with; fails the test when it resolved. */
function headersOf(options: { headers?: unknown }): Record<string, string> {
  const all: Record<string, string> = {}
  ;(options.headers as Headers).forEach((value, name) => {
    all[name] = value
  })
  return all
}

describe('Appcues.identifyGroup', () => {
  beforeEach(() => {
    testDestination.responses = []
  })

  describe('requests', () => {
    it('updates the group profile, then adds the user to the group', async () => {
      const profile = nock(US)
        .patch('/v2/accounts/123/groups/group-1/profile', { name: 'Acme Inc', plan: 'pro', employees: 42 })
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(200, { name: 'Acme Inc' })
      const association = nock(US)
        .post('/v2/accounts/123/groups/group-1/users', { user_ids: ['user-1'] })
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(204)

      const responses = await run(groupEvent())

      expect(profile.isDone()).toBe(true)
      expect(association.isDone()).toBe(true)
      expect(responses).toHaveLength(2)

      expect(responses[0].request.method).toBe('PATCH')
      expect(responses[0].url).toBe('https://api.appcues.com/v2/accounts/123/groups/group-1/profile')
      expect(responses[0].status).toBe(200)
      expect(responses[0].options.json).toEqual({ name: 'Acme Inc', plan: 'pro', employees: 42 })
      expect(headersOf(responses[0].options)).toEqual({
        accept: 'application/json',
        authorization: BASIC_AUTH,
        'user-agent': 'Segment (Actions)'
      })
      expect(responses[0].request.headers.get('content-type')).toBe('application/json')

      expect(responses[1].request.method).toBe('POST')
      expect(responses[1].url).toBe('https://api.appcues.com/v2/accounts/123/groups/group-1/users')
      expect(responses[1].status).toBe(204)
      expect(responses[1].options.json).toEqual({ user_ids: ['user-1'] })
      expect(await responses[1].request.text()).toBe('{"user_ids":["user-1"]}')
      expect(headersOf(responses[1].options)).toEqual({
        accept: 'application/json',
        authorization: BASIC_AUTH,
        'user-agent': 'Segment (Actions)'
      })
    })

    it('returns the association response as the action result', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, { step: 'profile' })
      nock(US).post('/v2/accounts/123/groups/group-1/users').reply(200, { step: 'users' })

      await run(groupEvent())

      expect(testDestination.results[testDestination.results.length - 1]).toMatchObject({
        output: 'Action Executed',
        data: { step: 'users' }
      })
    })

    it('only updates the group profile when the event has no user ID', async () => {
      const profile = nock(US)
        .patch('/v2/accounts/123/groups/group-1/profile', { name: 'Acme Inc', plan: 'pro', employees: 42 })
        .reply(200, { step: 'profile' })
      const association = nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)

      const responses = await run(groupEvent({ userId: undefined }))

      expect(profile.isDone()).toBe(true)
      expect(association.isDone()).toBe(false)
      expect(responses).toHaveLength(1)
      expect(responses[0].request.method).toBe('PATCH')
      expect(testDestination.results[testDestination.results.length - 1]).toMatchObject({ data: { step: 'profile' } })
    })

    it('does not add a user when the user ID is an empty string', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      const association = nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)

      const responses = await run(groupEvent({ userId: '' }))

      expect(association.isDone()).toBe(false)
      expect(responses.map((response) => response.request.method)).toEqual(['PATCH'])
    })

    it('uses a mapped user ID instead of the default', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock(US)
        .post('/v2/accounts/123/groups/group-1/users', { user_ids: ['member-9'] })
        .reply(204)

      const responses = await run(groupEvent({ properties: { member: 'member-9' } }), settings, {
        userId: { '@path': '$.properties.member' }
      })

      expect(responses[1].options.json).toEqual({ user_ids: ['member-9'] })
    })

    it('sends the user ID in the association body as it is, without encoding', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock(US)
        .post('/v2/accounts/123/groups/group-1/users', { user_ids: ['a/b?c#d%e'] })
        .reply(204)

      const responses = await run(groupEvent({ userId: 'a/b?c#d%e' }))

      expect(await responses[1].request.text()).toBe('{"user_ids":["a/b?c#d%e"]}')
    })
  })

  describe('traits', () => {
    it('flattens nested traits, joins arrays, drops _-prefixed keys and empty strings, keeps null', async () => {
      // `company._secret` flattens to `company__secret`, which is not an Appcues-reserved name, so it is sent.
      const expected = {
        name: 'Acme Inc',
        company_address_city: 'Paris',
        company_address_zip: '75001',
        company_size: 'large',
        company__secret: 'x',
        tags: 'b2b,saas,3,true',
        owners: '[{"id":1},{"id":2}]',
        industry: null,
        active: true,
        seats: 0,
        plan_name: 'pro'
      }
      const profile = nock(US).patch('/v2/accounts/123/groups/group-1/profile', expected).reply(200, {})
      nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)

      const responses = await run(
        groupEvent({
          traits: {
            name: 'Acme Inc',
            company: { address: { city: 'Paris', zip: '75001' }, size: 'large', _secret: 'x' },
            tags: ['b2b', 'saas', 3, true],
            owners: [{ id: 1 }, { id: 2 }],
            industry: null,
            active: true,
            seats: 0,
            plan: { name: 'pro', note: '' },
            description: '',
            noTags: [],
            _lastPageUrl: 'https://example.com',
            _appcuesId: 'abc'
          }
        })
      )

      expect(profile.isDone()).toBe(true)
      expect(responses[0].options.json).toEqual(expected)
    })

    it('sends an empty profile update when the group call has no traits', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile', {}).reply(200, {})
      nock(US)
        .post('/v2/accounts/123/groups/group-1/users', { user_ids: ['user-1'] })
        .reply(204)

      const responses = await run(groupEvent({ traits: {} }))

      expect(responses[0].options.json).toEqual({})
      expect(responses[1].options.json).toEqual({ user_ids: ['user-1'] })
    })

    it('sends an empty profile update when every trait is empty or reserved', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile', {}).reply(200, {})

      const responses = await run(groupEvent({ userId: undefined, traits: { _hostname: 'x', empty: '', list: [] } }))

      expect(responses[0].options.json).toEqual({})
    })

    it('rejects traits whose nested and flat keys collide, before any request', async () => {
      const profile = nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})

      const error = await failure(run(groupEvent({ traits: { a_b: 1, a: { b: 2 } } })))

      expect(error).toBeInstanceOf(PayloadValidationError)
      expect(error.message).toContain('Group Traits')
      expect(error.message).toContain('"a_b"')
      expect(profile.isDone()).toBe(false)
      expect(testDestination.responses).toHaveLength(0)
    })
  })

  describe('ids in the path', () => {
    it.each([
      ['a/b?c#d%e', 'a%2Fb%3Fc%23d%25e'],
      ['../../users/x', '..%2F..%2Fusers%2Fx'],
      ['../x', '..%2Fx'],
      ['acme corp', 'acme%20corp'],
      ['üñï', '%C3%BC%C3%B1%C3%AF']
    ])('percent-encodes the group ID %j', async (groupId, encoded) => {
      const profile = nock(US).patch(`/v2/accounts/123/groups/${encoded}/profile`).reply(200, {})
      const association = nock(US).post(`/v2/accounts/123/groups/${encoded}/users`).reply(204)

      const responses = await run(groupEvent({ groupId }))

      expect(profile.isDone()).toBe(true)
      expect(association.isDone()).toBe(true)
      expect(responses[0].url).toBe(`https://api.appcues.com/v2/accounts/123/groups/${encoded}/profile`)
      expect(responses[1].url).toBe(`https://api.appcues.com/v2/accounts/123/groups/${encoded}/users`)
    })

    it.each(['.', '..'])(
      'refuses the group ID %j, which would change the path, before any request',
      async (groupId) => {
        const scope = nock(US).patch(/.*/).reply(200, {})

        const error = await failure(run(groupEvent({ groupId })))

        expect(error).toBeInstanceOf(PayloadValidationError)
        expect(error.message).toBe(`The Group ID "${groupId}" cannot be sent to Appcues. Map a real identifier.`)
        expect(scope.isDone()).toBe(false)
        expect(testDestination.responses).toHaveLength(0)
      }
    )
  })

  describe('region and endpoint', () => {
    it('sends both calls to the EU host when the region is EU', async () => {
      nock(EU).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock(EU).post('/v2/accounts/123/groups/group-1/users').reply(204)

      const responses = await run(groupEvent(), { ...settings, region: 'EU' })

      expect(responses.map((response) => response.url)).toEqual([
        'https://api.eu.appcues.com/v2/accounts/123/groups/group-1/profile',
        'https://api.eu.appcues.com/v2/accounts/123/groups/group-1/users'
      ])
    })

    it('sends both calls through an https proxy, keeping its path prefix', async () => {
      nock('https://proxy.example.com')
        .patch('/appcues/v2/accounts/123/groups/group-1/profile')
        .matchHeader('authorization', BASIC_AUTH)
        .reply(200, {})
      nock('https://proxy.example.com')
        .post('/appcues/v2/accounts/123/groups/group-1/users', { user_ids: ['user-1'] })
        .matchHeader('authorization', BASIC_AUTH)
        .reply(204)

      const responses = await run(groupEvent(), {
        ...settings,
        region: 'EU',
        endpoint: 'https://proxy.example.com/appcues/'
      })

      expect(responses.map((response) => response.url)).toEqual([
        'https://proxy.example.com/appcues/v2/accounts/123/groups/group-1/profile',
        'https://proxy.example.com/appcues/v2/accounts/123/groups/group-1/users'
      ])
    })

    it('accepts plain http on 127.0.0.1', async () => {
      nock('http://127.0.0.1:4010').patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock('http://127.0.0.1:4010').post('/v2/accounts/123/groups/group-1/users').reply(204)

      const responses = await run(groupEvent(), { ...settings, endpoint: 'http://127.0.0.1:4010' })

      expect(responses.map((response) => response.url)).toEqual([
        'http://127.0.0.1:4010/v2/accounts/123/groups/group-1/profile',
        'http://127.0.0.1:4010/v2/accounts/123/groups/group-1/users'
      ])
    })

    it.each([
      ['http://proxy.example.com', 'must use https'],
      ['https://user:pass@proxy.example.com', 'must not contain a user name or password'],
      ['https://proxy.example.com/?token=1', 'must not contain a query string or fragment'],
      ['not a url', 'is not a valid address']
    ])('rejects the Endpoint Override %j before any request', async (endpoint, reason) => {
      const scope = nock(/.*/).patch(/.*/).reply(200, {})

      const error = await failure(run(groupEvent(), { ...settings, endpoint }))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(400)
      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain(`The Endpoint Override setting ${reason}`)
      expect(scope.isDone()).toBe(false)
      expect(testDestination.responses).toHaveLength(0)
    })

    it('rejects a region other than US or EU before any request', async () => {
      const scope = nock(/.*/).patch(/.*/).reply(200, {})

      const error = await failure(run(groupEvent(), { ...settings, region: 'APAC' }))

      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain('The Region setting must be US or EU')
      expect(scope.isDone()).toBe(false)
    })

    it.each([0, -5, 1.5])('rejects the Account ID %p before any request', async (accountId) => {
      const scope = nock(/.*/).patch(/.*/).reply(200, {})

      const error = await failure(run(groupEvent(), { ...settings, accountId }))

      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain('The Account ID setting must be your numeric Appcues account ID')
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('failures of the group profile update', () => {
    function failProfile(status: number, body?: Record<string, unknown> | string) {
      const association = nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(status, body)
      return association
    }

    it('401: InvalidAuthenticationError naming the API Key and API Secret settings; no association', async () => {
      const association = failProfile(401, { error: true, status: 401, title: 'Unauthorized' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.status).toBe(401)
      expect(error.code).toBe('INVALID_AUTHENTICATION')
      expect(error.message).toBe(
        'Appcues answered 401 Unauthorized. Check that the API Key and API Secret settings hold one key pair from Appcues Studio (Settings, then API Keys).'
      )
      expect(association.isDone()).toBe(false)
      expect(testDestination.responses).toHaveLength(1)
    })

    it('403: not retried, tells the key lacks permission', async () => {
      const association = failProfile(403, { error: true, status: 403, title: 'Forbidden', detail: 'read only key' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error).not.toBeInstanceOf(RetryableError)
      expect(error.status).toBe(403)
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toContain('Appcues answered 403 Forbidden: read only key.')
      expect(error.message).toContain('The key in the API Key setting lacks permission')
      expect(association.isDone()).toBe(false)
    })

    it('404: not retried, points at the Account ID and Region settings', async () => {
      const association = failProfile(404, { error: true, status: 404, title: 'Not Found' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(404)
      expect(error.code).toBe('NOT_FOUND')
      expect(error.message).toContain('Appcues answered 404 Not Found.')
      expect(error.message).toContain('Account ID setting')
      expect(error.message).toContain('Region setting')
      expect(association.isDone()).toBe(false)
    })

    it("400: not retried, carries Appcues' title and detail", async () => {
      const association = failProfile(400, {
        error: true,
        status: 400,
        title: 'Invalid attributes',
        detail: 'employees must be a number'
      })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error).not.toBeInstanceOf(RetryableError)
      expect(error.status).toBe(400)
      expect(error.code).toBe('BAD_REQUEST')
      expect(error.message).toBe(
        'Appcues answered 400 Bad Request: Invalid attributes: employees must be a number. Appcues did not accept the data; fix the mapping and send it again.'
      )
      expect(association.isDone()).toBe(false)
    })

    it('429: RetryableError with status 429', async () => {
      const association = failProfile(429, { error: true, title: 'rate limited' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(429)
      expect(error.message).toContain('Appcues answered 429 Too Many Requests: rate limited.')
      expect(association.isDone()).toBe(false)
    })

    it.each([500, 502, 503])('%i: RetryableError with the same status', async (status) => {
      const association = failProfile(status, 'upstream trouble')

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(status)
      expect(error.message).toContain('upstream trouble')
      expect(association.isDone()).toBe(false)
    })

    it('timeout: RetryableError naming the host', async () => {
      const association = nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').replyWithError({ code: 'ETIMEDOUT' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(408)
      expect(error.message).toBe('Appcues (api.appcues.com) did not answer in time; the event will be retried.')
      expect(association.isDone()).toBe(false)
    })

    it('dropped connection: RetryableError naming the cause', async () => {
      const association = nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').replyWithError({ code: 'ECONNRESET' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(503)
      expect(error.message).toContain('Could not reach Appcues at api.appcues.com (ECONNRESET)')
      expect(association.isDone()).toBe(false)
    })
  })

  describe('failures of the association', () => {
    it('fails the event when adding the user fails after the profile update', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock(US)
        .post('/v2/accounts/123/groups/group-1/users')
        .reply(400, { error: true, status: 400, title: 'Invalid user', detail: 'user_ids must not be empty' })

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(400)
      expect(error.message).toContain('Invalid user: user_ids must not be empty')
      expect(testDestination.responses.map((response) => response.request.method)).toEqual(['PATCH', 'POST'])
    })

    it('retries the event when the association answers 500', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock(US).post('/v2/accounts/123/groups/group-1/users').reply(500)

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(500)
    })

    it('401 on the association names the API Key and API Secret settings', async () => {
      nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
      nock(US).post('/v2/accounts/123/groups/group-1/users').reply(401)

      const error = await failure(run(groupEvent()))

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.message).toContain('API Key and API Secret settings')
    })
  })

  describe('missing required fields', () => {
    it('fails without a group ID and makes no request', async () => {
      const scope = nock(/.*/).patch(/.*/).reply(200, {})

      const error = await failure(run(groupEvent({ groupId: undefined })))

      expect(error.message).toBe("The root value is missing the required field 'groupId'.")
      expect(scope.isDone()).toBe(false)
      expect(testDestination.responses).toHaveLength(0)
    })

    it('fails when the group ID is an empty string', async () => {
      const scope = nock(/.*/).patch(/.*/).reply(200, {})

      const error = await failure(run(groupEvent({ groupId: '' })))

      expect(error.message).toBe("The root value is missing the required field 'groupId'.")
      expect(scope.isDone()).toBe(false)
    })
  })
})
