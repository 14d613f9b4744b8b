import nock from 'nock'
import { createTestEvent, createTestIntegration, HTTPError, PayloadValidationError } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const US = 'https://segment.appcues.com'
const PATH = '/v2/accounts/123/segment/direct'
const TIMESTAMP = '2024-05-01T12:00:00.000Z'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

const context = { ip: '8.8.8.8', library: { name: 'analytics.js', version: '2.11.1' } }
const integrations = { All: true, Mixpanel: false }
/** What every call carries when the event has it. */
const common = {
  userId: 'user-1',
  anonymousId: 'anon-1',
  context,
  integrations,
  timestamp: TIMESTAMP,
  messageId: 'msg-1'
}

const event = (overrides: Partial<SegmentEvent>) =>
  createTestEvent({ ...common, traits: {}, properties: {}, ...overrides })

function run(segmentEvent: SegmentEvent, mapping?: Record<string, unknown>, withSettings: Settings = settings) {
  return testDestination.testAction('send', {
    event: segmentEvent,
    settings: withSettings,
    useDefaultMappings: true,
    mapping: mapping as never
  })
}

/** Accepts every call posted to the Segment endpoint and records the bodies. */
function acceptAll(host = US, path = PATH) {
  const bodies: unknown[] = []
  nock(host)
    .persist()
    .post(path, (body: unknown) => bodies.push(body) > 0)
    .matchHeader('authorization', BASIC_AUTH)
    .matchHeader('content-type', 'application/json')
    .reply(200, { success: true })
  return bodies
}

describe('Appcues.send', () => {
  afterEach(() => nock.cleanAll())

  it('keeps the field keys, types, required flags, defaults and conditions that saved mappings rely on', () => {
    const fields = destination.actions.send.fields
    const shape = Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [key, [field.type, field.required ?? false, field.default]])
    )
    const onTrack = { match: 'all', conditions: [{ fieldKey: 'type', operator: 'is', value: 'track' }] }
    expect(shape).toEqual({
      type: ['string', true, { '@path': '$.type' }],
      userId: ['string', false, { '@path': '$.userId' }],
      anonymousId: ['string', false, { '@path': '$.anonymousId' }],
      event: ['string', onTrack, { '@path': '$.event' }],
      name: ['string', false, { '@path': '$.name' }],
      properties: ['object', false, { '@path': '$.properties' }],
      user_traits: [
        'object',
        false,
        {
          '@if': {
            exists: { '@path': '$.context.traits' },
            then: { '@path': '$.context.traits' },
            else: { '@path': '$.traits' }
          }
        }
      ],
      groupId: ['string', false, { '@path': '$.groupId' }],
      group_traits: ['object', false, undefined],
      context: ['object', false, { '@path': '$.context' }],
      integrations: ['object', false, { '@path': '$.integrations' }],
      timestamp: ['string', false, { '@path': '$.timestamp' }],
      messageId: ['string', false, { '@path': '$.messageId' }]
    })
    expect(fields.event.depends_on).toEqual(onTrack)
    const on = (...types: string[]) => types.map((value) => ({ fieldKey: 'type', operator: 'is', value }))
    expect(fields.name.depends_on).toEqual({ match: 'any', conditions: on('page', 'screen') })
    expect(fields.properties.depends_on).toEqual({ match: 'any', conditions: on('track', 'page', 'screen') })
    expect(fields.user_traits.depends_on).toEqual({
      match: 'any',
      conditions: on('track', 'page', 'screen', 'identify')
    })
    expect(fields.type.choices?.map((choice) => (choice as { value: string }).value)).toEqual([
      'track',
      'page',
      'screen',
      'identify',
      'group'
    ])
  })

  it('posts a track call, then identify and group calls for its user traits and group, with the key pair', async () => {
    const bodies = acceptAll()
    const traits = { email: 'person@example.com' }
    const responses = await run(
      event({ type: 'track', event: 'Invited', groupId: 'g1', context: { ...context, traits }, properties: { n: 2 } }),
      { group_traits: { company: 'Acme' } }
    )
    const withTraits = { ...common, context: { ...context, traits } }
    expect(bodies).toEqual([
      { type: 'track', event: 'Invited', properties: { n: 2 }, ...withTraits },
      { type: 'identify', traits, ...withTraits },
      { type: 'group', groupId: 'g1', traits: { company: 'Acme' }, ...withTraits }
    ])
    expect(responses).toHaveLength(3)
  })

  it.each([
    [
      { type: 'page', name: 'Pricing', properties: { plan: 'pro' } },
      [{ type: 'page', name: 'Pricing', properties: { plan: 'pro' } }]
    ],
    [
      { type: 'screen', name: undefined, traits: { plan: 'free' } },
      [
        { type: 'screen', properties: {} },
        { type: 'identify', traits: { plan: 'free' } }
      ]
    ],
    [{ type: 'identify', traits: { plan: 'pro' }, groupId: 'g1' }, [{ type: 'identify', traits: { plan: 'pro' } }]],
    [{ type: 'identify', traits: {} }, [{ type: 'identify' }]],
    [{ type: 'group', groupId: 'g1', traits: { name: 'Acme' } }, [{ type: 'group', groupId: 'g1' }]],
    [{ type: 'group', groupId: undefined }, []]
  ])('turns %j into the calls %j', async (call, expected) => {
    const bodies = acceptAll()
    await run(event(call as Partial<SegmentEvent>))
    expect(bodies).toEqual(expected.map((body) => ({ ...body, ...common })))
  })

  it('leaves out what the event does not have', async () => {
    const bodies = acceptAll()
    await run(
      createTestEvent({
        type: 'track',
        event: 'Thing',
        userId: undefined,
        anonymousId: 'a1',
        messageId: 'm1',
        timestamp: TIMESTAMP,
        context: {},
        properties: {},
        traits: {}
      })
    )
    expect(bodies).toEqual([
      {
        type: 'track',
        event: 'Thing',
        properties: {},
        anonymousId: 'a1',
        context: {},
        timestamp: TIMESTAMP,
        messageId: 'm1'
      }
    ])
  })

  it('sends the calls of one event together, not one after another', async () => {
    let identifyArrived: () => void = () => undefined
    const arrived = new Promise<void>((resolve) => (identifyArrived = resolve))
    nock(US)
      .post(PATH, { type: 'track', event: 'Signed Up', properties: {}, ...common, context: { traits: { a: 1 } } })
      .reply((_uri, _body, callback) => {
        void arrived.then(() => callback(null, [200, {}]))
      })
      .post(PATH, (body: { type: string }) => body.type === 'identify')
      .reply(() => {
        identifyArrived()
        return [200, {}]
      })
    const responses = await run(event({ type: 'track', event: 'Signed Up', context: { traits: { a: 1 } } }))
    expect(responses).toHaveLength(2)
  })

  it('fails the event when one of its calls fails, with the status Appcues answered', async () => {
    nock(US).post(PATH).reply(200, {}).post(PATH).reply(503, {})
    const failure = await run(event({ type: 'track', event: 'E', traits: { a: 1 } })).catch((error: HTTPError) => error)
    expect(failure).toBeInstanceOf(HTTPError)
    expect((failure as HTTPError).response.status).toBe(503)
  })

  it('accepts a text Account ID, as the live destination does, and uses the EU host for EU accounts', async () => {
    const bodies = acceptAll('https://segment.eu.appcues.com', '/v2/accounts/test-account-id/segment/direct')
    await run(event({ type: 'identify' }), undefined, {
      ...settings,
      region: 'EU',
      accountId: 'test-account-id' as unknown as number
    })
    expect(bodies).toHaveLength(1)
  })

  it('refuses a region other than US and EU with a payload error, before any request', async () => {
    const bodies = acceptAll()
    const attempt = run(event({ type: 'identify' }), undefined, { ...settings, region: 'INVALID' })
    await expect(attempt).rejects.toBeInstanceOf(PayloadValidationError)
    await expect(attempt).rejects.toThrow('Invalid region "INVALID": the Region setting must be one of US, EU.')
    expect(bodies).toEqual([])
  })

  it('refuses an Event Type outside the five Segment calls, before any request', async () => {
    const bodies = acceptAll()
    await expect(run(event({ type: 'alias' }))).rejects.toThrow('Event Type must be one of')
    expect(bodies).toEqual([])
  })

  it.each([undefined, ''])('refuses a track call whose event name is %p, before any request', async (name) => {
    const bodies = acceptAll()
    await expect(run(event({ type: 'track', event: name }))).rejects.toThrow(
      "The root value is missing the required field 'event'."
    )
    expect(bodies).toEqual([])
  })
})
