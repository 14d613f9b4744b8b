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
import { startLoopbackServer } from '../../__tests__/__helpers__/loopback-server'

const US_HOST = 'https://api.appcues.com'
const EU_HOST = 'https://api.eu.appcues.com'
const EVENTS_PATH = '/v2/accounts/123/users/u1/events'
const settings: Settings = { apiKey: 'key', apiSecret: 'secret', accountId: 123, region: 'US' }
// base64('key:secret'), computed independently of the code under test.
const BASIC_AUTH = 'Basic a2V5OnNlY3JldA=='
const TIMESTAMP = '2024-05-01T12:00:00.000Z'
const PAGE = {
  url: 'https://app.example.com/pricing?plan=pro',
  path: '/pricing',
  title: 'Pricing',
  referrer: 'https://www.google.com/',
  search: '?plan=pro'
}

const newTestDestination = () => createTestIntegration(destination)
let testDestination: ReturnType<typeof newTestDestination>

// A fresh instance per test: testAction does not clear recorded responses when it throws.
beforeEach(() => {
  testDestination = newTestDestination()
})

function page(overrides: Partial<SegmentEvent> = {}, options: { settings?: Settings; mapping?: JSONObject } = {}) {
  return testDestination.testAction('pageView', {
    event: createTestEvent({
      type: 'page',
      name: 'Pricing',
      userId: 'u1',
      timestamp: TIMESTAMP,
      properties: {},
      context: { page: PAGE },
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

function presetMapping(name: string): JSONObject {
  const preset = destination.presets?.find((candidate) => candidate.name === name)
  if (!preset || !('mapping' in preset) || !preset.mapping) throw new Error(`No preset named ${name}`)
  expect(preset.partnerAction).toBe('pageView')
  return preset.mapping
}

describe('Appcues.pageView', () => {
  describe('request', () => {
    it('POSTs a "Page Viewed" event whose attributes carry the page fields and the properties', async () => {
      const expectedBody = {
        name: 'Page Viewed',
        timestamp: TIMESTAMP,
        attributes: { plan: 'pro', name: 'Pricing', ...PAGE }
      }
      const scope = nock(US_HOST)
        .post(EVENTS_PATH, expectedBody)
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(202, { status: 202, title: 'Accepted' })

      const responses = await page({ properties: { plan: 'pro' } })

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

    it('never sends group_id (the action has no group field)', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({ context: { page: PAGE, groupId: 'acme' } })
      expect(Object.keys(jsonBody(responses[0]))).toEqual(['name', 'timestamp', 'attributes'])
    })

    it('sends a mapped event name', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({}, { mapping: { event: 'Docs Viewed' } })
      expect(jsonBody(responses[0]).name).toBe('Docs Viewed')
    })

    it('converts the timestamp to ISO-8601 UTC', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({ timestamp: '2024-05-01T09:30:00-02:30' })
      expect(jsonBody(responses[0]).timestamp).toBe('2024-05-01T12:00:00.000Z')
    })

    it('converts an epoch-millisecond timestamp to ISO-8601 UTC', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page(
        { properties: { at: 1714564800000 } },
        { mapping: { timestamp: { '@path': '$.properties.at' }, properties: {} } }
      )
      expect(jsonBody(responses[0]).timestamp).toBe(TIMESTAMP)
    })

    it('rejects a timestamp that is not a date and sends nothing', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      await expect(page({ timestamp: 'not a date' })).rejects.toThrow(
        'Timestamp must be a valid date-like string but it was not.'
      )
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('page fields', () => {
    it('falls back to the properties when the context has no page', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({ context: {}, properties: { ...PAGE, section: 'billing' } })
      expect(jsonBody(responses[0]).attributes).toStrictEqual({ ...PAGE, section: 'billing', name: 'Pricing' })
    })

    it('takes each page field from the context when present and from the properties otherwise', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({
        context: { page: { url: 'https://ctx.example.com/a', path: '/a' } },
        properties: { title: 'Title from properties', referrer: 'https://ref.example.com/', search: '?q=1' }
      })
      expect(jsonBody(responses[0]).attributes).toStrictEqual({
        name: 'Pricing',
        url: 'https://ctx.example.com/a',
        path: '/a',
        title: 'Title from properties',
        referrer: 'https://ref.example.com/',
        search: '?q=1'
      })
    })

    it('lets the page fields override properties of the same name', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({
        name: 'Page name',
        properties: { url: 'https://prop.example.com', title: 'Prop title', name: 'Prop name', kept: 1 }
      })
      expect(jsonBody(responses[0]).attributes).toStrictEqual({ ...PAGE, name: 'Page name', kept: 1 })
    })

    it('leaves out page fields that are empty everywhere', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({
        name: undefined,
        context: { page: { url: PAGE.url, path: '/pricing', title: '', referrer: '', search: '' } }
      })
      expect(jsonBody(responses[0]).attributes).toStrictEqual({ url: PAGE.url, path: '/pricing' })
    })

    it('applies the attribute rules to the properties', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({
        context: {},
        properties: {
          experiment: { id: 'exp-1', variant: { name: 'B' } },
          tags: ['a', 'b'],
          widgets: [{ id: 1 }],
          none: [],
          _hidden: 'x',
          blank: '',
          cleared: null
        }
      })
      expect(jsonBody(responses[0]).attributes).toStrictEqual({
        experiment_id: 'exp-1',
        experiment_variant_name: 'B',
        tags: 'a,b',
        widgets: '[{"id":1}]',
        cleared: null,
        name: 'Pricing'
      })
    })

    it('rejects properties whose flattened keys collide, naming Page Properties', async () => {
      const attempt = page({ properties: { ab_test: 'x', ab: { test: 'y' } } })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow('Page Properties has two values for the Appcues attribute "ab_test"')
    })
  })

  describe('event name', () => {
    it('accepts a 127-character name', async () => {
      const name = 'p'.repeat(127)
      nock(US_HOST).post(EVENTS_PATH).reply(202, {})
      const responses = await page({}, { mapping: { event: name } })
      expect(jsonBody(responses[0]).name).toBe(name)
    })

    it('rejects a 128-character name with a message naming Event Name, and sends nothing', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      await expect(page({}, { mapping: { event: 'p'.repeat(128) } })).rejects.toThrow(
        'Event Name must be 127 characters or fewer but it was 128 characters.'
      )
      expect(scope.isDone()).toBe(false)
    })

    it('rejects a mapping whose event name resolves to nothing', async () => {
      await expect(page({}, { mapping: { event: { '@path': '$.properties.missing' } } })).rejects.toThrow(
        "The root value is missing the required field 'event'."
      )
    })
  })

  describe('presets', () => {
    it('the Page Calls preset sends "Page Viewed" for a page call', async () => {
      const expectedBody = {
        name: 'Page Viewed',
        timestamp: TIMESTAMP,
        attributes: { category: 'docs', name: 'Getting Started', ...PAGE }
      }
      const scope = nock(US_HOST).post(EVENTS_PATH, expectedBody).reply(202, {})
      await testDestination.testAction('pageView', {
        event: createTestEvent({
          type: 'page',
          userId: 'u1',
          name: 'Getting Started',
          timestamp: TIMESTAMP,
          properties: { category: 'docs' },
          context: { page: PAGE }
        }),
        settings,
        mapping: presetMapping('Page Calls')
      })
      expect(scope.isDone()).toBe(true)
    })

    it('the Screen Calls preset sends "Screen Viewed" with the screen name for a screen call', async () => {
      const expectedBody = {
        name: 'Screen Viewed',
        timestamp: TIMESTAMP,
        attributes: { tab: 'settings', name: 'Settings' }
      }
      const scope = nock(US_HOST).post(EVENTS_PATH, expectedBody).reply(202, {})
      await testDestination.testAction('pageView', {
        event: createTestEvent({
          type: 'screen',
          userId: 'u1',
          name: 'Settings',
          timestamp: TIMESTAMP,
          properties: { tab: 'settings' },
          context: { app: { name: 'Example', version: '1.0' }, os: { name: 'iOS' } }
        }),
        settings,
        mapping: presetMapping('Screen Calls')
      })
      expect(scope.isDone()).toBe(true)
    })
  })

  describe('ids in the path', () => {
    it.each([
      ['a/b?c#d%e', 'a%2Fb%3Fc%23d%25e'],
      ['../x', '..%2Fx']
    ])('percent-encodes the User ID %p as one path segment', async (userId, encoded) => {
      const scope = nock(US_HOST).post(`/v2/accounts/123/users/${encoded}/events`).reply(202, {})
      const responses = await page({ userId })
      expect(scope.isDone()).toBe(true)
      const url = new URL(responses[0].url)
      expect(url.pathname).toBe(`/v2/accounts/123/users/${encoded}/events`)
      expect(url.search).toBe('')
      expect(url.hash).toBe('')
    })

    it.each(['.', '..'])('rejects the User ID %p with a PayloadValidationError and sends nothing', async (userId) => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      const attempt = page({ userId })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow(`The User ID "${userId}" cannot be sent to Appcues.`)
      expect(scope.isDone()).toBe(false)
    })

    it('rejects a blank User ID with a PayloadValidationError', async () => {
      const attempt = page({ userId: '  ' })
      await expect(attempt).rejects.toThrow(PayloadValidationError)
      await expect(attempt).rejects.toThrow('The User ID is empty.')
    })

    it('rejects a page call without a user ID (an anonymous page view)', async () => {
      const scope = nock(US_HOST).post(/.*/).reply(202, {})
      await expect(page({ userId: null })).rejects.toThrow("The root value is missing the required field 'userId'.")
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('regions and the Endpoint Override setting', () => {
    it('sends EU accounts to api.eu.appcues.com', async () => {
      const scope = nock(EU_HOST).post(EVENTS_PATH).matchHeader('authorization', BASIC_AUTH).reply(202, {})
      const responses = await page({}, { settings: { ...settings, region: 'EU' } })
      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://api.eu.appcues.com/v2/accounts/123/users/u1/events')
    })

    it('sends to an https Endpoint Override, keeping its path', async () => {
      const scope = nock('https://proxy.example.com').post(`/appcues${EVENTS_PATH}`).reply(202, {})
      const responses = await page({}, { settings: { ...settings, endpoint: 'https://proxy.example.com/appcues' } })
      expect(scope.isDone()).toBe(true)
      expect(responses[0].url).toBe('https://proxy.example.com/appcues/v2/accounts/123/users/u1/events')
    })

    it('sends to a plain-http loopback Endpoint Override', async () => {
      const server = await startLoopbackServer(202, {})
      try {
        await page({ context: {}, properties: {} }, { settings: { ...settings, endpoint: server.origin } })
        expect(server.requests).toHaveLength(1)
        const [received] = server.requests
        expect(received.method).toBe('POST')
        expect(received.url).toBe(EVENTS_PATH)
        expect(received.headers.authorization).toBe(BASIC_AUTH)
        expect(JSON.parse(received.body)).toStrictEqual({
          name: 'Page Viewed',
          timestamp: TIMESTAMP,
          attributes: { name: 'Pricing' }
        })
      } finally {
        await server.close()
      }
    })

    it('rejects a plain-http Endpoint Override that is not a loopback host, naming the setting', async () => {
      const scope = nock(/.*/).post(/.*/).reply(202, {})
      const attempt = page({}, { settings: { ...settings, endpoint: 'http://example.com' } })
      await expect(attempt).rejects.toMatchObject({ status: 400, code: 'INVALID_SETTINGS' })
      await expect(attempt).rejects.toThrow('The Endpoint Override setting must use https')
      expect(scope.isDone()).toBe(false)
    })
  })

  describe('failures', () => {
    it('turns 401 into an InvalidAuthenticationError that names the API Key and API Secret settings', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(401, { error: true, status: 401, title: 'Unauthorized', detail: 'Nope' })
      const attempt = page()
      await expect(attempt).rejects.toThrow(InvalidAuthenticationError)
      await expect(attempt).rejects.toMatchObject({ status: 401 })
      await expect(attempt).rejects.toThrow('API Key and API Secret settings')
    })

    it('turns 403 into a non-retryable error that says the key lacks permission', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(403, { error: true, status: 403, title: 'Forbidden', detail: 'Role' })
      const attempt = page()
      await expect(attempt).rejects.not.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' })
      await expect(attempt).rejects.toThrow('lacks permission')
    })

    it('turns 404 into an error that names the Account ID and Region settings', async () => {
      nock(US_HOST).post(EVENTS_PATH).reply(404, { error: true, status: 404, title: 'Not Found', detail: 'No such' })
      const attempt = page()
      await expect(attempt).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' })
      await expect(attempt).rejects.toThrow('Account ID setting')
      await expect(attempt).rejects.toThrow('Region setting')
    })

    it("turns 400 into a non-retryable error that carries Appcues' title and detail", async () => {
      nock(US_HOST)
        .post(EVENTS_PATH)
        .reply(400, { error: true, status: 400, title: 'Invalid attributes', detail: 'url must be a string' })
      const attempt = page()
      await expect(attempt).rejects.toThrow(IntegrationError)
      await expect(attempt).rejects.not.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 400 })
      await expect(attempt).rejects.toThrow('Invalid attributes: url must be a string')
    })

    it.each([429, 500])('turns %p into a RetryableError with that status', async (status) => {
      nock(US_HOST).post(EVENTS_PATH).reply(status, { error: true, status, title: 'Busy', detail: 'Try again' })
      const attempt = page()
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status })
      await expect(attempt).rejects.toThrow('Busy: Try again')
    })

    it('turns a timeout (ETIMEDOUT) into a retryable 408', async () => {
      nock(US_HOST).post(EVENTS_PATH).replyWithError({ code: 'ETIMEDOUT', message: 'timed out' })
      const attempt = page()
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 408 })
      await expect(attempt).rejects.toThrow('did not answer in time')
    })

    it('turns a reset connection (ECONNRESET) into a retryable 503', async () => {
      nock(US_HOST).post(EVENTS_PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      const attempt = page()
      await expect(attempt).rejects.toThrow(RetryableError)
      await expect(attempt).rejects.toMatchObject({ status: 503 })
      await expect(attempt).rejects.toThrow('(ECONNRESET)')
    })
  })
})
