import nock from 'nock'
import type { JSONObject } from '@segment/actions-core'
import { loadDestination } from '../../src/cli/load-destination'
import {
  mapFields,
  namedInMessage,
  parseRunRequest,
  runPlayground,
  sampleEvents,
  settingsProblems
} from '../../src/cli/serve/playground'
import type { SimulatorTarget } from '../../src/cli/serve/playground'
import { inProcessTarget } from '../../src/cli/serve/appcues-target'
import { startRoutedSimulator } from '../../src/simulator'
import type { Simulator } from '../../src/simulator'

const { definition } = loadDestination()
const samples = sampleEvents()

/** The field defaults of an action: the mapping the page starts with. */
function defaults(actionKey: string): JSONObject {
  const mapping: JSONObject = {}
  for (const [key, field] of Object.entries(definition.actions[actionKey].fields)) {
    if (field.default !== undefined) mapping[key] = field.default as JSONObject[string]
  }
  return mapping
}

describe('mapFields', () => {
  it('maps the event field by field', () => {
    const { mapped, errors } = mapFields(
      { userId: { '@path': '$.userId' }, event: 'Renamed', missing: { '@path': '$.nowhere' } },
      samples.track
    )
    expect(errors).toEqual({})
    expect(mapped).toEqual({ userId: 'user-1042', event: 'Renamed' })
  })

  it('reports a broken mapping beside its own field, in words about that mapping', () => {
    const { mapped, errors } = mapFields(
      { userId: { '@path': '$.userId' }, event: { '@pth': '$.event' }, properties: { '@path': 5 } },
      samples.track
    )
    expect(mapped).toEqual({ userId: 'user-1042' })
    expect(errors).toEqual({
      event: 'This mapping has an invalid directive: @pth.',
      properties: 'In this mapping, @path should be a string or a mapping directive but it is a number.'
    })
  })
})

describe('namedInMessage', () => {
  const candidates = [
    { key: 'apiKey', label: 'API Key', scope: 'setting' as const },
    { key: 'legacyApiKey', label: 'Legacy API Key', scope: 'setting' as const },
    { key: 'name', label: 'Name', scope: 'field' as const },
    { key: 'event', label: 'Event Name', scope: 'field' as const }
  ]

  it('finds the earliest label, the longest at the same place', () => {
    expect(namedInMessage('Check the Legacy API Key setting, not the API Key.', candidates)).toEqual({
      key: 'legacyApiKey',
      scope: 'setting'
    })
    expect(namedInMessage('The Event Name field is required.', candidates)).toEqual({ key: 'event', scope: 'field' })
    expect(namedInMessage('Check the API Key and the Legacy API Key.', candidates)).toEqual({
      key: 'apiKey',
      scope: 'setting'
    })
  })

  it('matches whole words only, and nothing when no label is named', () => {
    expect(namedInMessage('Names and APIs', candidates)).toBeUndefined()
    expect(namedInMessage('Appcues answered 500 Internal Server Error.', candidates)).toBeUndefined()
  })
})

describe('settingsProblems', () => {
  it('reports each setting’s problem under its key, in plain words', () => {
    const problems = settingsProblems(definition, { accountId: 'abc', region: 'APAC', apiSecret: 's' })
    expect(problems).toEqual({
      apiKey: 'API Key is required. Enter it in the settings.',
      accountId: 'Account ID must be a number but it was a string.',
      region: 'Region must be one of: "US" or "EU".'
    })
  })

  it('accepts complete settings and coerces a numeric account ID given as text', () => {
    const settings: JSONObject = { apiKey: 'k', apiSecret: 's', accountId: '42', region: 'US' }
    expect(settingsProblems(definition, settings)).toEqual({})
    expect(settings.accountId).toBe(42)
  })
})

describe('parseRunRequest', () => {
  it('accepts an action run and a deletion run', () => {
    expect(parseRunRequest({ action: 'trackEvent', event: samples.track, mapping: {} }, definition)).toMatchObject({
      kind: 'action',
      action: 'trackEvent'
    })
    expect(parseRunRequest({ kind: 'delete', event: samples.delete }, definition)).toMatchObject({ kind: 'delete' })
  })

  it.each([
    [{ kind: 'batch' }, /"kind" must be "action"/],
    [{ action: 'trackEvnt' }, /"action" must be one of the destination's actions: identifyUser, trackEvent/],
    [{ action: 'toString' }, /"action" must be one of/],
    [{ action: 'trackEvent', event: [] }, /"event" must be a JSON object/],
    [{ action: 'trackEvent', mapping: 'x' }, /"mapping" must be a JSON object/]
  ])('answers 400 for %j', (body, message) => {
    expect(() => parseRunRequest(body, definition)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) })
    )
  })
})

describe('runPlayground against the simulator', () => {
  let simulator: Simulator
  let target: SimulatorTarget
  const settings = () => ({ accountId: 10001, region: 'US' })

  beforeAll(async () => {
    simulator = await startRoutedSimulator({ rateLimit: 0 })
    target = inProcessTarget(simulator)
  })

  afterAll(() => simulator.close())

  beforeEach(() => simulator.reset())

  it('refuses a page event whose context.page is text with the real reason, not a mapping error', async () => {
    const event = { ...samples.page, context: { ...(samples.page.context as JSONObject), page: 'pricing' } }
    const result = await runPlayground(
      definition,
      { kind: 'action', action: 'pageView', event, mapping: defaults('pageView'), settings: settings() },
      target
    )
    expect(result.ok).toBe(false)
    expect(result.error).toEqual({
      statusCode: 400,
      message: 'context.page must be an object, but it is a string. Fix the event\'s "context.page" (or leave it out).'
    })
    expect(result.exchanges).toEqual([])
  })

  it('runs an action with the simulator’s credentials and reports payload, exchange and holdings', async () => {
    const result = await runPlayground(
      definition,
      {
        kind: 'action',
        action: 'trackEvent',
        event: samples.track,
        mapping: defaults('trackEvent'),
        settings: settings()
      },
      target
    )
    expect(result).toMatchObject({
      ok: true,
      payloadValidated: true,
      fieldErrors: {},
      settingsErrors: {},
      target: { kind: 'simulator', where: simulator.url }
    })
    // The payload as perform received it: validated, so the batch fields and the list are as Segment passes them.
    expect(result.payload).toMatchObject({ userId: 'user-1042', event: 'Report Created', groupId: 'acme-inc' })
    expect(result.exchanges).toHaveLength(1)
    expect(result.exchanges[0].request).toMatchObject({
      method: 'POST',
      url: 'https://api.appcues.com/v2/accounts/10001/users/user-1042/events',
      headers: expect.objectContaining({ authorization: '<redacted>' })
    })
    expect(result.exchanges[0].response.statusCode).toBe(202)
    expect(result.holdings?.users).toEqual([
      expect.objectContaining({
        userId: 'user-1042',
        eventCount: 1,
        recentEvents: [expect.objectContaining({ name: 'Report Created', groupId: 'acme-inc' })]
      })
    ])
    expect(result.holdings?.groups).toEqual([
      { groupId: 'acme-inc', attributes: null, changes: null, members: [], earlierUpdates: 0 }
    ])
  })

  it('shows only what this run did, and counts what earlier runs left for the same user', async () => {
    const runAction = (action: string, event: JSONObject) =>
      runPlayground(
        definition,
        { kind: 'action', action, event, mapping: defaults(action), settings: settings() },
        target
      )
    await runAction('trackEvent', samples.track)
    const identify = await runAction('identifyUser', samples.identify)
    const [user] = identify.holdings?.users ?? []
    expect(user).toMatchObject({
      userId: 'user-1042',
      eventCount: 0,
      recentEvents: [],
      earlier: { events: 1, profileUpdates: 0, erasureRequests: 0, segmentMessages: 0 }
    })
    expect(user.changes).toEqual(user.profile)
    expect(user.changes).toMatchObject({ plan: 'pro' })
  })

  it('reports a required field mapped to nothing beside it and sends nothing', async () => {
    const { userId: _dropped, ...mapping } = defaults('trackEvent')
    const result = await runPlayground(
      definition,
      { kind: 'action', action: 'trackEvent', event: samples.track, mapping, settings: settings() },
      target
    )
    expect(result.ok).toBe(false)
    expect(result.fieldErrors).toEqual({
      userId: 'User ID is required, but its mapping gives no value for this event.'
    })
    expect(result.payloadValidated).toBe(false)
    expect(result.exchanges).toEqual([])
    expect(simulator.counts().requests).toBe(0)
  })

  it('reports an event name over 127 characters beside Event Name', async () => {
    const result = await runPlayground(
      definition,
      {
        kind: 'action',
        action: 'trackEvent',
        event: { ...samples.track, event: 'e'.repeat(128) },
        mapping: defaults('trackEvent'),
        settings: settings()
      },
      target
    )
    expect(result.fieldErrors).toEqual({
      event: 'Event Name must be 127 characters or fewer but it was 128 characters.'
    })
    expect(result.error?.statusCode).toBe(400)
    expect(result.payload).toMatchObject({ event: 'e'.repeat(128) })
  })

  it('stops before sending when a mapping or a setting is broken, and says where to look', async () => {
    const result = await runPlayground(
      definition,
      {
        kind: 'action',
        action: 'identifyUser',
        event: samples.identify,
        mapping: { ...defaults('identifyUser'), traits: { '@path': 1 } },
        settings: { ...settings(), accountId: 'abc' }
      },
      target
    )
    expect(Object.keys(result.fieldErrors)).toEqual(['traits'])
    expect(result.settingsErrors).toEqual({ accountId: 'Account ID must be a number but it was a string.' })
    expect(result.error?.message).toBe('Nothing was sent. Fix the problems shown beside the fields and settings first.')
    expect(simulator.counts().requests).toBe(0)
    expect(result.holdings?.users).toEqual([expect.objectContaining({ userId: 'user-1042', profile: null })])
  })

  it('runs an identify whose profile, echoed by the simulator, is 150 KB', async () => {
    const big = 'b'.repeat(150 * 1024)
    const result = await runPlayground(
      definition,
      {
        kind: 'action',
        action: 'identifyUser',
        event: { ...samples.identify, traits: { big } },
        mapping: defaults('identifyUser'),
        settings: settings()
      },
      target
    )
    expect(result.ok).toBe(true)
    expect(result.exchanges.map((exchange) => exchange.response.statusCode)).toEqual([200])
    expect(simulator.state().users['user-1042'].big).toHaveLength(big.length)
  }, 30_000)

  it('shows an error that names a setting beside that setting (typed credentials the simulator refuses)', async () => {
    const result = await runPlayground(
      definition,
      {
        kind: 'action',
        action: 'identifyUser',
        event: samples.identify,
        mapping: defaults('identifyUser'),
        settings: { ...settings(), apiKey: 'typed-key', apiSecret: 'typed-secret' }
      },
      target
    )
    expect(result.ok).toBe(false)
    expect(result.error?.statusCode).toBe(401)
    expect(result.settingsErrors.apiKey).toMatch(/^Appcues answered 401 Unauthorized: .*Check that the API Key/)
    expect(result.exchanges.map((exchange) => exchange.response.statusCode)).toEqual([401])
  })

  it('runs onDelete on a deletion event, recording its call, and shows both IDs as erased', async () => {
    const result = await runPlayground(
      definition,
      { kind: 'delete', event: samples.delete, mapping: {}, settings: settings() },
      target
    )
    expect(result).toMatchObject({ ok: true, payload: null })
    expect(result.exchanges.map((exchange) => [exchange.request.method, exchange.request.url])).toEqual([
      ['POST', 'https://api.appcues.com/v1/gdpr/delete']
    ])
    expect(JSON.parse(result.exchanges[0].request.body)).toEqual({
      users: ['user-1042', '7f3c9a52-2b1e-4c8d-9e0f-5a6b7c8d9e01']
    })
    expect(result.holdings?.users.map((user) => [user.userId, user.erasureRequests])).toEqual([
      ['user-1042', 1],
      ['7f3c9a52-2b1e-4c8d-9e0f-5a6b7c8d9e01', 1]
    ])
  })

  it('without a simulator, sends to Appcues with the credentials entered, and shows no holdings', async () => {
    const scope = nock('https://api.appcues.com')
      .post('/v2/accounts/77/users/user-1042/events')
      .basicAuth({ user: 'my-key', pass: 'my-secret' })
      .reply(202, {})
    const result = await runPlayground(definition, {
      kind: 'action',
      action: 'trackEvent',
      event: samples.track,
      mapping: defaults('trackEvent'),
      settings: { accountId: 77, region: 'US', apiKey: 'my-key', apiSecret: 'my-secret' }
    })
    expect(scope.isDone()).toBe(true)
    expect(result).toMatchObject({ ok: true, target: { kind: 'appcues', where: 'Appcues US' } })
    expect(result.holdings).toBeUndefined()
  })
})
