import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
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
const settings: Settings = {
  apiKey: 'key-1',
  apiSecret: 'secret-1',
  accountId: 123,
  region: 'US',
  legacyApiKey: 'legacy-1'
}
// base64('legacy-1:'): the Legacy API key as user name and an empty password.
const LEGACY_AUTH = 'Basic bGVnYWN5LTE6'
// base64('key-1:secret-1'): must never be used for erasure.
const KEY_PAIR_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

function deleteEvent(overrides: Partial<SegmentEvent> = {}) {
  return createTestEvent({
    type: 'track',
    event: 'User Deleted',
    userId: 'user-1',
    timestamp: TIMESTAMP,
    messageId: 'msg-1',
    ...overrides
  })
}

function run(event: SegmentEvent, actionSettings: Settings = settings, mapping?: Record<string, unknown>) {
  return testDestination.testAction('deleteUser', {
    event,
    settings: actionSettings,
    useDefaultMappings: true,
    mapping: mapping as never
  })
}

describe('Appcues.deleteUser', () => {
  beforeEach(() => {
    testDestination.responses = []
  })

  describe('requests', () => {
    it('posts the user ID to the GDPR erasure endpoint with the Legacy API key', async () => {
      const scope = nock(US)
        .post('/v1/gdpr/delete', { users: ['user-1'] })
        .matchHeader('authorization', LEGACY_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(200, { ok: true, message: 'accepted 1 users for deletion' })

      const responses = await run(deleteEvent())

      expect(scope.isDone()).toBe(true)
      expect(responses).toHaveLength(1)
      expect(responses[0].request.method).toBe('POST')
      expect(responses[0].url).toBe('https://api.appcues.com/v1/gdpr/delete')
      expect(responses[0].status).toBe(200)
      expect(responses[0].options.json).toEqual({ users: ['user-1'] })
      expect(await responses[0].request.text()).toBe('{"users":["user-1"]}')
      expect(responses[0].request.headers.get('authorization')).toBe(LEGACY_AUTH)
      expect(responses[0].request.headers.get('authorization')).not.toBe(KEY_PAIR_AUTH)
      expect(responses[0].request.headers.get('content-type')).toBe('application/json')
      expect(responses[0].request.headers.get('accept')).toBe('application/json')
      expect(testDestination.results[testDestination.results.length - 1]).toMatchObject({
        output: 'Action Executed',
        data: { ok: true, message: 'accepted 1 users for deletion' }
      })
    })

    it('trims spaces around the Legacy API key', async () => {
      const scope = nock(US).post('/v1/gdpr/delete').matchHeader('authorization', LEGACY_AUTH).reply(200, { ok: true })

      await run(deleteEvent(), { ...settings, legacyApiKey: '  legacy-1 ' })

      expect(scope.isDone()).toBe(true)
    })

    it('uses a mapped user ID', async () => {
      nock(US)
        .post('/v1/gdpr/delete', { users: ['person@example.com'] })
        .reply(200, { ok: true })

      const responses = await run(deleteEvent({ properties: { email: 'person@example.com' } }), settings, {
        userId: { '@path': '$.properties.email' }
      })

      expect(responses[0].options.json).toEqual({ users: ['person@example.com'] })
    })

    it.each(['a/b?c#d%e', '../x', '..', 'user 1'])(
      'sends the id %j in the body as it is; the path never changes',
      async (userId) => {
        nock(US)
          .post('/v1/gdpr/delete', { users: [userId] })
          .reply(200, { ok: true })

        const responses = await run(deleteEvent({ userId }))

        expect(responses[0].url).toBe('https://api.appcues.com/v1/gdpr/delete')
        expect(await responses[0].request.text()).toBe(JSON.stringify({ users: [userId] }))
      }
    )

    it('does not need the Account ID: the erasure path has no account', async () => {
      nock(US).post('/v1/gdpr/delete').reply(200, { ok: true })

      const responses = await run(deleteEvent(), { ...settings, accountId: 987654 })

      expect(responses[0].url).toBe('https://api.appcues.com/v1/gdpr/delete')
    })
  })

  describe('without the Legacy API key', () => {
    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['blank', '   ']
    ])(
      'fails with InvalidAuthenticationError telling to set it when it is %s, and makes no request',
      async (_, key) => {
        const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })

        const error = await failure(run(deleteEvent(), { ...settings, legacyApiKey: key }))

        expect(error).toBeInstanceOf(InvalidAuthenticationError)
        expect(error.status).toBe(401)
        expect(error.message).toBe(
          'Deleting users needs the Legacy API Key setting. Copy the Legacy API Key from Appcues Studio (Settings, then API Keys) into the Legacy API Key setting of this destination.'
        )
        expect(scope.isDone()).toBe(false)
        expect(testDestination.responses).toHaveLength(0)
      }
    )
  })

  describe('region and endpoint', () => {
    it('uses the EU host when the region is EU', async () => {
      const scope = nock(EU)
        .post('/v1/gdpr/delete', { users: ['user-1'] })
        .matchHeader('authorization', LEGACY_AUTH)
        .reply(200, { ok: true })

      const responses = await run(deleteEvent(), { ...settings, region: 'EU' })

      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://api.eu.appcues.com/v1/gdpr/delete')
    })

    it('goes through an https proxy, keeping its path prefix', async () => {
      const scope = nock('https://proxy.example.com')
        .post('/appcues/v1/gdpr/delete', { users: ['user-1'] })
        .matchHeader('authorization', LEGACY_AUTH)
        .reply(200, { ok: true })

      const responses = await run(deleteEvent(), { ...settings, endpoint: 'https://proxy.example.com/appcues/' })

      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://proxy.example.com/appcues/v1/gdpr/delete')
    })

    it('accepts plain http on 127.0.0.1', async () => {
      nock('http://127.0.0.1:4010')
        .post('/v1/gdpr/delete', { users: ['user-1'] })
        .reply(200, { ok: true })

      const responses = await run(deleteEvent(), { ...settings, endpoint: 'http://127.0.0.1:4010' })

      expect(responses[0].url).toBe('http://127.0.0.1:4010/v1/gdpr/delete')
    })

    it('rejects a plain http proxy before any request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })

      const error = await failure(run(deleteEvent(), { ...settings, endpoint: 'http://proxy.example.com' }))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain('The Endpoint Override setting must use https')
      expect(scope.isDone()).toBe(false)
    })

    it('rejects a region other than US or EU before any request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })

      const error = await failure(run(deleteEvent(), { ...settings, region: 'eu' }))

      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain('The Region setting must be US or EU')
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('failures', () => {
    it('401: InvalidAuthenticationError naming the Legacy API Key setting', async () => {
      nock(US).post('/v1/gdpr/delete').reply(401, { error: 'Unauthorized' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.status).toBe(401)
      expect(error.message).toBe(
        'Appcues answered 401 Unauthorized. Check the Legacy API Key setting: it must be the Legacy API Key from Appcues Studio (Settings, then API Keys), not the newer API Key.'
      )
      expect(error.message).not.toContain('API Secret')
    })

    it('403: not retried, names the Legacy API Key setting', async () => {
      nock(US).post('/v1/gdpr/delete').reply(403, { error: true, status: 403, title: 'Forbidden' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(403)
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toContain('Appcues answered 403 Forbidden.')
      expect(error.message).toContain('The Legacy API Key setting is not allowed to delete users')
    })

    it('404: not retried, points at the Region setting', async () => {
      nock(US).post('/v1/gdpr/delete').reply(404, { error: true, status: 404, title: 'Not Found' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error).not.toBeInstanceOf(RetryableError)
      expect(error.status).toBe(404)
      expect(error.code).toBe('NOT_FOUND')
      expect(error.message).toContain('Region setting')
    })

    it("400: not retried, carries Appcues' title and detail", async () => {
      nock(US)
        .post('/v1/gdpr/delete')
        .reply(400, { error: true, status: 400, title: 'Invalid request', detail: 'users must be a list of ids' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(400)
      expect(error.code).toBe('BAD_REQUEST')
      expect(error.message).toBe(
        'Appcues answered 400 Bad Request: Invalid request: users must be a list of ids. Appcues did not accept the data; fix the mapping and send it again.'
      )
    })

    it('429: RetryableError with status 429', async () => {
      nock(US).post('/v1/gdpr/delete').reply(429, { error: true, title: 'rate limited' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(429)
      expect(error.message).toContain('rate limited')
    })

    it('500: RetryableError with status 500', async () => {
      nock(US).post('/v1/gdpr/delete').reply(500, '<html><body>Internal Server Error</body></html>')

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(500)
      expect(error.message).toBe(
        'Appcues answered 500 Internal Server Error. This is a temporary Appcues error; the event will be retried.'
      )
    })

    it('timeout: RetryableError', async () => {
      nock(US).post('/v1/gdpr/delete').replyWithError({ code: 'ETIMEDOUT' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(408)
      expect(error.message).toBe('Appcues (api.appcues.com) did not answer in time; the event will be retried.')
    })

    it('dropped connection: RetryableError', async () => {
      nock(US).post('/v1/gdpr/delete').replyWithError({ code: 'ECONNRESET' })

      const error = await failure(run(deleteEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(503)
      expect(error.message).toContain('Could not reach Appcues at api.appcues.com (ECONNRESET)')
    })
  })

  describe('missing required fields', () => {
    it.each([
      ['absent', undefined],
      ['empty', '']
    ])('fails when the user ID is %s, and makes no request', async (_, userId) => {
      const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })

      const error = await failure(run(deleteEvent({ userId })))

      expect(error.message).toBe("The root value is missing the required field 'userId'.")
      expect(scope.isDone()).toBe(false)
      expect(testDestination.responses).toHaveLength(0)
    })
  })
})
