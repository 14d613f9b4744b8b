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
import { freezeDate, restoreDate } from '../../__tests__/__helpers__/fixed-clock'
import { closedLoopbackOrigin, startLoopbackServer } from '../../__tests__/__helpers__/loopback-server'

const US_HOST = 'https://api.appcues.com'
const EU_HOST = 'https://api.eu.appcues.com'
const EVENTS_PATH = '/v2/accounts/123/users/u1/events'
const settings: Settings = { apiKey: 'key', apiSecret: 'secret', accountId: 123, region: 'US' }
// base64('key:secret'), computed independently of the code under test.
const BASIC_AUTH = 'Basic a2V5OnNlY3JldA=='
const TIMESTAMP = '2024-05-01T12:00:00.000Z'

const newTestDestination = () => createTestIntegration(destination)
let testDestination: ReturnType<typeof newTestDestination>

// A fresh instance per test: testAction does not clear recorded responses when it throws.
beforeEach(() => {
  testDestination = newTestDestination()
})

function track(overrides: Partial<SegmentEvent> = {}, options: { settings?: Settings; mapping?: JSONObject } = {}) {
  return testDestination.testAction('trackEvent', {
    event: createTestEvent({
      type: 'track',
      event: 'Report Exported',
      userId: 'u1',
      timestamp: TIMESTAMP,
      properties: {},
      ...overrides
    }),
    settings: options.settings ?? settings,
    mapping: options.mapping,
    useDefaultMappings: true
  })
}

function jsonBody(response: { options: { body?: unknown } }): Record<string, unknown> {
  return JSON.parse(String(response.options.body)) as Record<string, unknown>
}

describe('Appcues.trackEvent', () => {
  describe('request', () => {
    it('POSTs the event with Basic auth, its name, ISO timestamp and flat attributes', async () => {
      const expectedBody = {
        name: 'Report Exported',
        timestamp: TIMESTAMP,
        attributes: { format: 'csv', rows: 120, scheduled: false }
      }
      const scope = nock(US_HOST)
        .post(EVENTS_PATH, expectedBody)
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(202, { status: 202, title: 'Accepted' })

      const responses = await track({ properties: { format: 'csv', rows: 120, scheduled: false } })

      expect(scope.isDone()).toBe(true)
      expect(responses).toHaveLength(1)
      const [response] = responses
      expect(response.status).toBe(202)
      expect(response.request.method).toBe('POST')
      expect(response.url).toBe('https://api.appcues.com/v2/accounts/123/users/u1/events')
      expect(response.request.headers.get('authorization')).toBe(BASIC_AUTH)
      expect(response.request.headers.get('content-type')).toBe('application/json')
      expect(response.request.headers.get('accept')).toBe('application/json')
      expect(response.options.json).toStrictEqual(expectedBody)
      expect(jsonBody(response)).toStrictEqual(expectedBody)
    })

    it('sends group_id from context.groupId', async () => {
      const expectedBody = { name: 'Report Exported', timestamp: TIMESTAMP, attributes: {}, group_id: 'acme' }
      const scope = nock(US_HOST).post(EVENTS_PATH, expectedBody).reply(202, {})
      const responses = await track({ context: { groupId: 'acme' } })
      expect(scope.isDone()).toBe(true)
      expect(jsonBody(responses[0])).toStrictEqual(expectedBody)
    })

    it('leaves group_id out when the event has no group', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track({ context: {} })
      expect(jsonBody(responses[0])).not.toHaveProperty('group_id')
      expect(Object.keys(jsonBody(responses[0]))).toEqual(['name', 'timestamp', 'attributes'])
    })

    it('does not take the top-level groupId of the event by default', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track({ groupId: 'top-level', context: {} })
      expect(jsonBody(responses[0])).not.toHaveProperty('group_id')
    })

    it('uses mapped fields instead of the defaults', async () => {
      nock(US_HOST).post('/v2/accounts/123/users/crm-1/events').reply(202, {})
      const responses = await track(
        { properties: { who: 'crm-1', what: 'Invoice Paid', amount: 12.5, team: 't9' } },
        {
          mapping: {
            userId: { '@path': '$.properties.who' },
            event: { '@path': '$.properties.what' },
            properties: { amount: { '@path': '$.properties.amount' } },
            groupId: { '@path': '$.properties.team' }
          }
        }
      )
      expect(jsonBody(responses[0])).toStrictEqual({
        name: 'Invoice Paid',
        timestamp: TIMESTAMP,
        attributes: { amount: 12.5 },
        group_id: 't9'
      })
    })
  })

  describe('timestamps', () => {
    afterEach(() => restoreDate())

    it.each([
      ['an ISO string with an offset', '2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
      ['an ISO string without milliseconds', '2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
      ['epoch milliseconds', 1714564800123, '2024-05-01T12:00:00.123Z'],
      ['epoch seconds', 1714564800, '2024-05-01T12:00:00.000Z']
    ])('converts %s to ISO-8601 UTC', async (_label, value, expected) => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track(
        { properties: { at: value } },
        { mapping: { timestamp: { '@path': '$.properties.at' }, properties: {} } }
      )
      expect(jsonBody(responses[0]).timestamp).toBe(expected)
    })

    it('converts epoch seconds given as text, which the Timestamp field accepts as a date', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track(
        { properties: { at: '1714564800' } },
        { mapping: { timestamp: { '@path': '$.properties.at' }, properties: {} } }
      )
      expect(jsonBody(responses[0]).timestamp).toBe('2024-05-01T12:00:00.000Z')
    })

    it('uses the time of sending when the event has no timestamp', async () => {
      freezeDate('2024-06-30T08:15:00.000Z')
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track({ timestamp: undefined })
      expect(jsonBody(responses[0]).timestamp).toBe('2024-06-30T08:15:00.000Z')
    })

    it('rejects a timestamp that is not a date, naming the Timestamp field, and sends nothing', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      await expect(track({ timestamp: 'yesterday-ish' })).rejects.toThrow(
        'Timestamp must be a valid date-like string but it was not.'
      )
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('event name', () => {
    it('accepts a 127-character name', async () => {
      const name = 'e'.repeat(127)
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track({ event: name })
      expect(jsonBody(responses[0]).name).toBe(name)
    })

    it('rejects a 128-character name with a message naming Event Name, and sends nothing', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      await expect(track({ event: 'e'.repeat(128) })).rejects.toThrow(
        'Event Name must be 127 characters or fewer but it was 128 characters.'
      )
      expect(scope.isDone()).toBe(false)
    })

    it('sends a 127-character name made of emoji, which the Event Name field accepts', async () => {
      const name = '🎉'.repeat(127)
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track({ event: name })
      expect(jsonBody(responses[0]).name).toBe(name)
    })

    it('rejects a name that is only spaces with a PayloadValidationError naming Event Name', async () => {
      const attempt = track({ event: '   ' })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow('The Event Name field is empty.')
    })

    it('rejects an event without a name', async () => {
      await expect(track({ event: undefined })).rejects.toThrow("The root value is missing the required field 'event'.")
      await expect(track({ event: '' })).rejects.toThrow("The root value is missing the required field 'event'.")
    })
  })

  describe('attribute rules', () => {
    it('flattens nested properties, joins primitive arrays, writes object arrays as JSON, drops "_" keys and empty strings, keeps null', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await track({
        properties: {
          report: { id: 'r1', filters: { range: '30d', empty: '' } },
          tags: ['q2', 'finance'],
          mixed: ['a', 1, false],
          items: [{ sku: 'A', qty: 2 }],
          none: [],
          _appcuesInternal: 'x',
          note: '',
          cleared: null
        }
      })
      expect(jsonBody(responses[0]).attributes).toStrictEqual({
        report_id: 'r1',
        report_filters_range: '30d',
        tags: 'q2,finance',
        mixed: 'a,1,false',
        items: '[{"sku":"A","qty":2}]',
        cleared: null
      })
    })

    it('rejects properties whose flattened keys collide, naming Event Properties and the attribute', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      const attempt = track({ properties: { plan: { name: 'pro' }, plan_name: 'basic' } })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow('Event Properties has two values for the Appcues attribute "plan_name"')
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('ids in the path', () => {
    it.each([
      ['a/b?c#d%e', 'a%2Fb%3Fc%23d%25e'],
      ['../x', '..%2Fx'],
      ['../../profile', '..%2F..%2Fprofile']
    ])('percent-encodes the User ID %p as one path segment', async (userId, encoded) => {
      const scope = nock(US_HOST).post(`/v2/accounts/123/users/${encoded}/events`).reply(202, {})
      const responses = await track({ userId })
      expect(scope.isDone()).toBe(true)
      const url = new URL(responses[0].url)
      expect(url.pathname).toBe(`/v2/accounts/123/users/${encoded}/events`)
      expect(url.search).toBe('')
      expect(url.hash).toBe('')
    })

    it.each(['.', '..'])('rejects the User ID %p with a PayloadValidationError and sends nothing', async (userId) => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      const attempt = track({ userId })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow(`The User ID "${userId}" cannot be sent to Appcues.`)
      expect(scope.isDone()).toBe(false)
    })

    it('rejects a blank User ID with a PayloadValidationError and sends nothing', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      const attempt = track({ userId: '   ' })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow('The User ID is empty.')
      expect(scope.isDone()).toBe(false)
    })

    it('rejects an event without a user ID', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      await expect(track({ userId: undefined })).rejects.toThrow(
        "The root value is missing the required field 'userId'."
      )
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('regions and the Endpoint Override setting', () => {
    it('sends EU accounts to api.eu.appcues.com', async () => {
      const scope = nock(EU_HOST).post(EVENTS_PATH).matchHeader('authorization', BASIC_AUTH).reply(202, {})
      const responses = await track({}, { settings: { ...settings, region: 'EU' } })
      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://api.eu.appcues.com/v2/accounts/123/users/u1/events')
    })

    it('sends to an https Endpoint Override, keeping its path', async () => {
      const scope = nock('https://proxy.example.com')
        .post(`/appcues${EVENTS_PATH}`, { name: 'Report Exported', timestamp: TIMESTAMP, attributes: {} })
        .matchHeader('authorization', BASIC_AUTH)
        .reply(202, {})
      const responses = await track({}, { settings: { ...settings, endpoint: 'https://proxy.example.com/appcues' } })
      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://proxy.example.com/appcues/v2/accounts/123/users/u1/events')
    })

    it('sends to a plain-http loopback Endpoint Override', async () => {
      const server = await startLoopbackServer(202, { status: 202 })
      try {
        const responses = await track(
          { context: { groupId: 'g/1' }, properties: { a: 1 } },
          { settings: { ...settings, endpoint: server.origin } }
        )
        expect(responses[0].status).toBe(202)
        expect(server.requests).toHaveLength(1)
        const [received] = server.requests
        expect(received.method).toBe('POST')
        expect(received.url).toBe(EVENTS_PATH)
        expect(received.headers.authorization).toBe(BASIC_AUTH)
        expect(received.headers['content-type']).toBe('application/json')
        expect(JSON.parse(received.body)).toStrictEqual({
          name: 'Report Exported',
          timestamp: TIMESTAMP,
          attributes: { a: 1 },
          group_id: 'g/1'
        })
      } finally {
        await server.close()
      }
    })

    it('rejects a plain-http Endpoint Override that is not a loopback host, naming the setting', async () => {
      const scope = nock(/.*/).post(/.*/).reply(202, {})
      const attempt = track({}, { settings: { ...settings, endpoint: 'http://example.com' } })
      await expect(attempt).rejects.toThrow(IntegrationError)
      await expect(attempt).rejects.toMatchObject({ status: 400, code: 'INVALID_SETTINGS' })
      await expect(attempt).rejects.toThrow('The Endpoint Override setting must use https')
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('failures', () => {
    it('turns 401 into an InvalidAuthenticationError that names the API Key and API Secret settings', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(401, { error: true, status: 401, title: 'Unauthorized', detail: 'Nope' })
      const attempt = track()
      await expect(attempt).rejects.toThrow(InvalidAuthenticationError)
      await expect(attempt).rejects.toMatchObject({ status: 401 })
      await expect(attempt).rejects.toThrow('API Key and API Secret settings')
    })

    it('turns 403 into a non-retryable error that says the key lacks permission', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(403, { error: true, status: 403, title: 'Forbidden', detail: 'Role' })
      const attempt = track()
      await expect(attempt).rejects.not.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' })
      await expect(attempt).rejects.toThrow('lacks permission')
    })

    it('turns 404 into an error that names the Account ID and Region settings', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(404, { error: true, status: 404, title: 'Not Found', detail: 'No such' })
      const attempt = track()
      await expect(attempt).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' })
      await expect(attempt).rejects.toThrow(
        'Check that the Account ID setting is your Appcues account ID and that the Region setting is the region where that account is hosted.'
      )
    })

    it("turns 400 into a non-retryable error that carries Appcues' title and detail", async () => {
      nock(US_HOST)
        .post(EVENTS_PATH)
        .reply(400, { error: true, status: 400, title: 'Invalid event', detail: 'name is too long' })
      const attempt = track()
      await expect(attempt).rejects.toThrow(IntegrationError)
      await expect(attempt).rejects.not.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 400 })
      await expect(attempt).rejects.toThrow('Appcues answered 400 Bad Request: Invalid event: name is too long.')
    })

    it.each([429, 500])('turns %p into a RetryableError with that status', async (status) => {
      nock(US_HOST).post(EVENTS_PATH).reply(status, { error: true, status, title: 'Slow down', detail: 'Later' })
      const attempt = track()
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status })
      await expect(attempt).rejects.toThrow('Slow down: Later')
    })

    it('turns a timeout (ETIMEDOUT) into a retryable 408', async () => {
      nock(US_HOST).post(EVENTS_PATH).replyWithError({ code: 'ETIMEDOUT', message: 'timed out' })
      const attempt = track()
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 408 })
      await expect(attempt).rejects.toThrow('did not answer in time')
    })

    it('turns a reset connection (ECONNRESET) into a retryable 503', async () => {
      nock(US_HOST).post(EVENTS_PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      const attempt = track()
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 503 })
      await expect(attempt).rejects.toThrow('Could not reach Appcues at api.appcues.com (ECONNRESET)')
    })

    it('turns a refused loopback connection into a retryable error naming the Endpoint Override setting', async () => {
      const endpoint = await closedLoopbackOrigin()
      const attempt = track({}, { settings: { ...settings, endpoint } })
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toThrow('(ECONNREFUSED)')
      await expect(attempt).rejects.toThrow('Endpoint Override setting')
    })
  })

  describe('preset', () => {
    it('the Track Calls preset maps a real track event to the same request as the default mappings', async () => {
      const preset = destination.presets?.find((candidate) => candidate.name === 'Track Calls')
      expect(preset).toMatchObject({ type: 'automatic', partnerAction: 'trackEvent', subscribe: 'type = "track"' })
      const expectedBody = {
        name: 'Plan Upgraded',
        timestamp: TIMESTAMP,
        attributes: { from: 'basic', to: 'pro' },
        group_id: 'acme'
      }
      const scope = nock(US_HOST).post(EVENTS_PATH, expectedBody).reply(202, {})
      await testDestination.testAction('trackEvent', {
        event: createTestEvent({
          type: 'track',
          event: 'Plan Upgraded',
          userId: 'u1',
          timestamp: TIMESTAMP,
          properties: { from: 'basic', to: 'pro' },
          context: { groupId: 'acme' }
        }),
        settings,
        mapping: preset && 'mapping' in preset ? preset.mapping : undefined
      })
      expect(scope.isDone()).toBe(true)
    })
  })
})
