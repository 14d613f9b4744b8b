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

const US = 'https://segment.appcues.com'
const EU = 'https://segment.eu.appcues.com'
const PATH = '/v2/accounts/123/segment/direct'
const TIMESTAMP = '2024-05-01T12:00:00.000Z'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
// base64('key-1:secret-1')
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

const context = {
  ip: '8.8.8.8',
  library: { name: 'analytics.js', version: '2.11.1' },
  locale: 'en-US',
  page: { path: '/pricing', title: 'Pricing', url: 'https://example.com/pricing' },
  userAgent: 'Mozilla/5.0'
}
const integrations = { All: true, Mixpanel: false }

function event(overrides: Partial<SegmentEvent>) {
  return createTestEvent({
    userId: 'user-1',
    anonymousId: 'anon-1',
    timestamp: TIMESTAMP,
    messageId: 'msg-1',
    context,
    integrations,
    traits: {},
    properties: {},
    ...overrides
  })
}

/** The fields every message carries when the event has them. */
const common = {
  userId: 'user-1',
  anonymousId: 'anon-1',
  context,
  integrations,
  timestamp: TIMESTAMP,
  messageId: 'msg-1'
}

function run(segmentEvent: SegmentEvent, actionSettings: Settings = settings, mapping?: Record<string, unknown>) {
  return testDestination.testAction('send', {
    event: segmentEvent,
    settings: actionSettings,
    useDefaultMappings: true,
    mapping: mapping as never
  })
}

/** Accepts every message posted to the Segment endpoint and records the bodies in order. */
function acceptAll(base = US, path = PATH) {
  const bodies: unknown[] = []
  nock(base)
    .persist()
    .post(path, (body: unknown) => {
      bodies.push(body)
      return true
    })
    .matchHeader('authorization', BASIC_AUTH)
    .matchHeader('content-type', 'application/json')
    .reply(200, { success: true })
  return bodies
}

describe('Appcues.send', () => {
  beforeEach(() => {
    testDestination.responses = []
  })

  afterEach(() => {
    nock.cleanAll()
  })

  describe('definition (compatibility contract with the live action)', () => {
    const { fields } = destination.actions.send

    it('keeps exactly the field keys of the live action', () => {
      expect(Object.keys(fields).sort()).toEqual(
        [
          'type',
          'userId',
          'anonymousId',
          'event',
          'name',
          'properties',
          'user_traits',
          'groupId',
          'group_traits',
          'context',
          'integrations',
          'timestamp',
          'messageId'
        ].sort()
      )
    })

    it('keeps the field types', () => {
      expect(Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.type]))).toEqual({
        type: 'string',
        userId: 'string',
        anonymousId: 'string',
        event: 'string',
        name: 'string',
        properties: 'object',
        user_traits: 'object',
        groupId: 'string',
        group_traits: 'object',
        context: 'object',
        integrations: 'object',
        timestamp: 'string',
        messageId: 'string'
      })
    })

    it('requires only `type`, and `event` when the type is track', () => {
      expect(fields.type.required).toBe(true)
      expect(fields.event.required).toEqual({
        match: 'all',
        conditions: [{ fieldKey: 'type', operator: 'is', value: 'track' }]
      })
      const alwaysOptional = Object.keys(fields).filter((key) => key !== 'type' && key !== 'event')
      expect(alwaysOptional.filter((key) => fields[key].required)).toEqual([])
    })

    it('offers the five Segment call types', () => {
      const values = (fields.type.choices as Array<{ value: string }>).map((choice) => choice.value)
      expect(values).toEqual(['track', 'page', 'screen', 'identify', 'group'])
    })

    it('has no preset pointing at it (new presets use the new actions)', () => {
      expect((destination.presets ?? []).filter((preset) => preset.partnerAction === 'send')).toEqual([])
    })
  })

  describe('track', () => {
    it('posts one track message with Basic key:secret auth', async () => {
      const scope = nock(US)
        .post(PATH, {
          type: 'track',
          event: 'Report Exported',
          properties: { format: 'csv', rows: 12 },
          ...common
        })
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(200, { success: true })

      const responses = await run(
        event({ type: 'track', event: 'Report Exported', properties: { format: 'csv', rows: 12 } })
      )

      expect(scope.isDone()).toBe(true)
      expect(responses).toHaveLength(1)
      expect(responses[0].request.method).toBe('POST')
      expect(responses[0].url).toBe('https://segment.appcues.com/v2/accounts/123/segment/direct')
      expect(responses[0].options.json).toEqual({
        type: 'track',
        event: 'Report Exported',
        properties: { format: 'csv', rows: 12 },
        ...common
      })
      expect(responses[0].request.headers.get('authorization')).toBe(BASIC_AUTH)
      expect(responses[0].request.headers.get('content-type')).toBe('application/json')
      expect(responses[0].request.headers.get('accept')).toBe('application/json')
      expect(testDestination.results[testDestination.results.length - 1]).toMatchObject({
        output: 'Action Executed',
        data: { success: true }
      })
    })

    it('adds an identify message when the event carries user traits', async () => {
      const bodies = acceptAll()
      const traits = { email: 'person@example.com', plan: 'pro' }

      const responses = await run(
        event({ type: 'track', event: 'Signed Up', context: { ...context, traits }, properties: { step: 2 } })
      )

      const withTraits = { ...common, context: { ...context, traits } }
      expect(bodies).toEqual([
        { type: 'track', event: 'Signed Up', properties: { step: 2 }, ...withTraits },
        { type: 'identify', traits, ...withTraits }
      ])
      expect(responses).toHaveLength(2)
    })

    it('falls back to the top-level traits for the identify message', async () => {
      const bodies = acceptAll()

      await run(event({ type: 'track', event: 'Signed Up', traits: { plan: 'free' } }))

      expect(bodies).toEqual([
        { type: 'track', event: 'Signed Up', properties: {}, ...common },
        { type: 'identify', traits: { plan: 'free' }, ...common }
      ])
    })

    it('adds a group message when a group ID is set', async () => {
      const bodies = acceptAll()
      const traits = { email: 'person@example.com' }

      const responses = await run(
        event({
          type: 'track',
          event: 'Report Exported',
          groupId: 'group-1',
          context: { ...context, traits },
          properties: { format: 'pdf' }
        })
      )

      const withTraits = { ...common, context: { ...context, traits } }
      expect(bodies).toEqual([
        { type: 'track', event: 'Report Exported', properties: { format: 'pdf' }, ...withTraits },
        { type: 'identify', traits, ...withTraits },
        { type: 'group', groupId: 'group-1', ...withTraits }
      ])
      expect(responses.map((response) => response.url)).toEqual([`${US}${PATH}`, `${US}${PATH}`, `${US}${PATH}`])
    })

    it('sends the group traits on the group message when they are mapped', async () => {
      const bodies = acceptAll()

      await run(
        event({ type: 'track', event: 'Invited', groupId: 'group-1', properties: { company: { name: 'Acme' } } }),
        settings,
        { group_traits: { '@path': '$.properties.company' } }
      )

      expect(bodies).toEqual([
        { type: 'track', event: 'Invited', properties: { company: { name: 'Acme' } }, ...common },
        { type: 'group', groupId: 'group-1', traits: { name: 'Acme' }, ...common }
      ])
    })

    it('leaves out the ids and fields the event does not have', async () => {
      const bodies = acceptAll()

      await run(
        createTestEvent({
          type: 'track',
          event: 'Anonymous Thing',
          userId: undefined,
          anonymousId: 'anon-1',
          messageId: 'msg-2',
          timestamp: TIMESTAMP,
          context: {},
          properties: {},
          traits: {}
        })
      )

      // Empty objects are forwarded as they are (the live action does not filter them); missing values are left out.
      expect(bodies).toEqual([
        {
          type: 'track',
          event: 'Anonymous Thing',
          properties: {},
          anonymousId: 'anon-1',
          context: {},
          timestamp: TIMESTAMP,
          messageId: 'msg-2'
        }
      ])
    })

    it('fails without an event name and makes no request', async () => {
      const bodies = acceptAll()

      const error = await failure(run(event({ type: 'track', event: undefined })))

      expect(error.message).toContain("The root value is missing the required field 'event'.")
      expect(bodies).toEqual([])
      expect(testDestination.responses).toHaveLength(0)
    })

    it('fails with an empty event name and makes no request', async () => {
      const bodies = acceptAll()

      const error = await failure(run(event({ type: 'track', event: '' })))

      expect(error.message).toContain("The root value is missing the required field 'event'.")
      expect(bodies).toEqual([])
    })
  })

  describe('page and screen', () => {
    it.each(['page', 'screen'] as const)('posts a %s message with name and properties', async (type) => {
      const bodies = acceptAll()

      const responses = await run(event({ type, name: 'Pricing', properties: { plan: 'pro' } }))

      expect(bodies).toEqual([{ type, name: 'Pricing', properties: { plan: 'pro' }, ...common }])
      expect(responses).toHaveLength(1)
    })

    it.each(['page', 'screen'] as const)(
      'adds identify and group messages to a %s call with user traits and a group ID',
      async (type) => {
        const bodies = acceptAll()
        const traits = { name: 'Ada' }

        await run(event({ type, name: 'Home', groupId: 'group-1', context: { ...context, traits } }))

        const withTraits = { ...common, context: { ...context, traits } }
        expect(bodies).toEqual([
          { type, name: 'Home', properties: {}, ...withTraits },
          { type: 'identify', traits, ...withTraits },
          { type: 'group', groupId: 'group-1', ...withTraits }
        ])
      }
    )

    it('does not require a name', async () => {
      const bodies = acceptAll()

      await run(event({ type: 'page', name: undefined }))

      expect(bodies).toEqual([{ type: 'page', properties: {}, ...common }])
    })
  })

  describe('identify', () => {
    it('posts one identify message with the traits', async () => {
      const bodies = acceptAll()
      const traits = { email: 'person@example.com', company: { name: 'Acme' }, roles: ['admin'] }

      const responses = await run(event({ type: 'identify', traits }))

      expect(bodies).toEqual([{ type: 'identify', traits, ...common }])
      expect(responses).toHaveLength(1)
    })

    it('posts the identify message without traits when there are none', async () => {
      const bodies = acceptAll()

      await run(event({ type: 'identify', traits: {} }))

      expect(bodies).toEqual([{ type: 'identify', ...common }])
    })

    it('sends no group message for an identify call (only track, page and screen fan out)', async () => {
      const bodies = acceptAll()

      await run(event({ type: 'identify', traits: { plan: 'pro' }, groupId: 'group-1' }))

      expect(bodies).toEqual([{ type: 'identify', traits: { plan: 'pro' }, ...common }])
    })
  })

  describe('group', () => {
    it('posts one group message with the group ID and the mapped group traits', async () => {
      const bodies = acceptAll()

      const responses = await run(
        event({ type: 'group', groupId: 'group-1', traits: { name: 'Acme', employees: 50 } }),
        settings,
        { group_traits: { '@path': '$.traits' } }
      )

      expect(bodies).toEqual([
        { type: 'group', groupId: 'group-1', traits: { name: 'Acme', employees: 50 }, ...common }
      ])
      expect(responses).toHaveLength(1)
    })

    it('sends no identify message for a group call, even with traits', async () => {
      const bodies = acceptAll()

      await run(event({ type: 'group', groupId: 'group-1', traits: { name: 'Acme' } }))

      expect(bodies).toEqual([{ type: 'group', groupId: 'group-1', ...common }])
    })

    it('sends nothing and raises no error for a group call without a group ID', async () => {
      const bodies = acceptAll()

      const responses = await run(event({ type: 'group', groupId: undefined, traits: { name: 'Acme' } }))

      expect(responses).toHaveLength(0)
      expect(bodies).toEqual([])
    })
  })

  describe('settings', () => {
    it('rejects a type outside the five call types', async () => {
      const bodies = acceptAll()

      const error = await failure(run(event({ type: 'alias' })))

      expect(error.message).toContain('Event Type must be one of')
      expect(bodies).toEqual([])
    })

    it.each(['123', ' 123 '])(
      'keeps the live contract with the Account ID stored as the text %j (older setups)',
      async (accountId) => {
        const textSettings = { ...settings, accountId } as unknown as Settings
        const calls = [
          event({ type: 'track', event: 'Signed Up', groupId: 'group-1', traits: { plan: 'pro' } }),
          event({ type: 'page', name: 'Pricing' }),
          event({ type: 'screen', name: 'Home' }),
          event({ type: 'identify', traits: { plan: 'pro' } }),
          event({ type: 'group', groupId: 'group-1', traits: { name: 'Acme' } })
        ]
        const numericBodies = acceptAll()
        for (const call of calls) await run(call)
        nock.cleanAll()
        const textBodies = acceptAll()
        for (const call of calls) await run(call, textSettings)

        expect(numericBodies).toHaveLength(7)
        expect(textBodies).toStrictEqual(numericBodies)
      }
    )

    it('uses segment.eu.appcues.com when the region is EU', async () => {
      const bodies = acceptAll(EU)

      const responses = await run(event({ type: 'track', event: 'Clicked' }), { ...settings, region: 'EU' })

      expect(responses[0].url).toBe('https://segment.eu.appcues.com/v2/accounts/123/segment/direct')
      expect(bodies).toHaveLength(1)
    })

    it('goes through an https proxy, keeping its path prefix', async () => {
      const bodies = acceptAll('https://proxy.example.com', `/appcues${PATH}`)

      const responses = await run(event({ type: 'track', event: 'Clicked' }), {
        ...settings,
        endpoint: 'https://proxy.example.com/appcues/'
      })

      expect(responses[0].url).toBe('https://proxy.example.com/appcues/v2/accounts/123/segment/direct')
      expect(bodies).toHaveLength(1)
    })

    it('accepts plain http on 127.0.0.1', async () => {
      const bodies = acceptAll('http://127.0.0.1:4010')

      const responses = await run(event({ type: 'track', event: 'Clicked' }), {
        ...settings,
        endpoint: 'http://127.0.0.1:4010'
      })

      expect(responses[0].url).toBe('http://127.0.0.1:4010/v2/accounts/123/segment/direct')
      expect(bodies).toHaveLength(1)
    })

    it('rejects a plain http proxy before any request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, {})

      const error = await failure(
        run(event({ type: 'track', event: 'Clicked' }), { ...settings, endpoint: 'http://proxy.example.com' })
      )

      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain('The Endpoint Override setting must use https')
      expect(scope.isDone()).toBe(false)
    })

    it('rejects a region other than US or EU before any request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, {})

      const error = await failure(run(event({ type: 'track', event: 'Clicked' }), { ...settings, region: 'XX' }))

      expect(error.code).toBe('INVALID_SETTINGS')
      expect(error.message).toContain('The Region setting must be US or EU')
      expect(scope.isDone()).toBe(false)
    })

    it('puts the ids in the body as they are; the path holds only the account', async () => {
      const bodies = acceptAll()

      const responses = await run(
        event({ type: 'track', event: 'Clicked', userId: 'a/b?c#d%e', anonymousId: '../x', groupId: '../../g' })
      )

      expect(responses.map((response) => response.url)).toEqual([`${US}${PATH}`, `${US}${PATH}`])
      expect(bodies).toEqual([
        { type: 'track', event: 'Clicked', properties: {}, ...common, userId: 'a/b?c#d%e', anonymousId: '../x' },
        { type: 'group', groupId: '../../g', ...common, userId: 'a/b?c#d%e', anonymousId: '../x' }
      ])
    })
  })

  describe('failures', () => {
    const trackEvent = () => event({ type: 'track', event: 'Clicked' })

    it('401: InvalidAuthenticationError naming the API Key and API Secret settings', async () => {
      nock(US).post(PATH).reply(401, { error: true, status: 401, title: 'Unauthorized' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.status).toBe(401)
      expect(error.message).toContain('API Key and API Secret settings')
    })

    it('403: not retried, names the API Key setting', async () => {
      nock(US).post(PATH).reply(403, { error: true, status: 403, title: 'Forbidden' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(403)
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toContain('The key in the API Key setting lacks permission')
    })

    it('404: not retried, points at the Account ID and Region settings', async () => {
      nock(US).post(PATH).reply(404, { error: true, status: 404, title: 'Not Found' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(404)
      expect(error.code).toBe('NOT_FOUND')
      expect(error.message).toContain('Account ID setting')
      expect(error.message).toContain('Region setting')
    })

    it("400: not retried, carries Appcues' title and detail", async () => {
      nock(US)
        .post(PATH)
        .reply(400, { error: true, status: 400, title: 'Invalid message', detail: 'type is not supported' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(400)
      expect(error.message).toBe(
        'Appcues answered 400 Bad Request: Invalid message: type is not supported. Appcues did not accept the data; fix the mapping and send it again.'
      )
    })

    it('429: RetryableError', async () => {
      nock(US).post(PATH).reply(429, { error: true, title: 'rate limited' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(429)
    })

    it('500: RetryableError', async () => {
      nock(US).post(PATH).reply(500, { error: true, status: 500, title: 'Internal Server Error' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(500)
    })

    it('timeout: RetryableError', async () => {
      nock(US).post(PATH).replyWithError({ code: 'ETIMEDOUT' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(408)
      expect(error.message).toContain('segment.appcues.com')
    })

    it('dropped connection: RetryableError', async () => {
      nock(US).post(PATH).replyWithError({ code: 'ECONNRESET' })

      const error = await failure(run(trackEvent()))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(503)
      expect(error.message).toContain('ECONNRESET')
    })

    it('fails the whole event when one of its extra messages fails', async () => {
      nock(US)
        .post(PATH, (body: { type: string }) => body.type === 'track')
        .reply(200, { success: true })
      nock(US)
        .post(PATH, (body: { type: string }) => body.type === 'identify')
        .reply(503)

      const error = await failure(run(event({ type: 'track', event: 'Clicked', traits: { plan: 'pro' } })))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(503)
    })
  })
})
