import nock from 'nock'
import { createTestEvent, createTestIntegration, defaultValues } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import destination from '../index'
import type { Settings } from '../generated-types'

const testDestination = createTestIntegration(destination)
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
// base64('key-1:secret-1'), written out so that a change in how it is built fails.
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='
const TIMESTAMP = '2024-05-01T12:00:00.000Z'

describe('Appcues (Actions)', () => {
  describe('definition', () => {
    it('keeps the name, slug and mode of the destination it replaces', () => {
      expect([destination.name, destination.slug, destination.mode]).toEqual([
        'Appcues (Actions)',
        'actions-appcues',
        'cloud'
      ])
      expect(destination.actions.send).toBeDefined()
    })

    it('keeps the four settings with their keys, types and required flags; any other setting is optional', () => {
      const fields = destination.authentication?.fields ?? {}
      expect(destination.authentication?.scheme).toBe('custom')
      expect(fields.apiKey).toMatchObject({ type: 'password', required: true })
      expect(fields.apiSecret).toMatchObject({ type: 'password', required: true })
      expect(fields.accountId).toMatchObject({ type: 'number', required: true })
      expect(fields.region).toMatchObject({ type: 'string', required: true, default: 'US' })
      expect(fields.region.choices).toEqual([
        { label: 'US', value: 'US' },
        { label: 'EU', value: 'EU' }
      ])
      const added = Object.entries(fields).filter(
        ([key]) => !['apiKey', 'apiSecret', 'accountId', 'region'].includes(key)
      )
      for (const [key, field] of added) expect([key, field.required]).toEqual([key, undefined])
    })

    it('adds Basic auth with the key pair and a JSON content type to every request', () => {
      const extended = destination.extendRequest?.({ settings, payload: undefined })
      expect(extended?.headers).toEqual({ Authorization: BASIC_AUTH, 'Content-Type': 'application/json' })
    })
  })

  describe('testAuthentication', () => {
    it('checks the key pair with GET /v2/accounts/{accountId}/tags', async () => {
      const scope = nock('https://api.appcues.com')
        .get('/v2/accounts/123/tags')
        .matchHeader('authorization', BASIC_AUTH)
        .reply(200, [{ id: 't1', name: 'Onboarding' }])
      await expect(testDestination.testAuthentication(settings)).resolves.toBeUndefined()
      expect(scope.isDone()).toBe(true)
    })

    it('uses the EU host for EU accounts, and an Account ID stored as text', async () => {
      const scope = nock('https://api.eu.appcues.com').get('/v2/accounts/123/tags').reply(200, [])
      const textual = { ...settings, region: 'EU', accountId: ' 123 ' } as unknown as Settings
      await expect(testDestination.testAuthentication(textual)).resolves.toBeUndefined()
      expect(scope.isDone()).toBe(true)
    })

    it.each([
      [401, 'API Key and API Secret settings'],
      [403, 'API Key setting lacks permission'],
      [404, 'Account ID setting']
    ])('names the setting to check when Appcues answers %i', async (status, setting) => {
      nock('https://api.appcues.com')
        .get('/v2/accounts/123/tags')
        .reply(status, { error: true, title: 'Refused', detail: 'No such key' })
      const attempt = testDestination.testAuthentication(settings)
      await expect(attempt).rejects.toThrow(`Credentials are invalid:`)
      await expect(attempt).rejects.toThrow(`Appcues answered ${status}`)
      await expect(attempt).rejects.toThrow('Refused: No such key')
      await expect(attempt).rejects.toThrow(setting)
    })

    it.each([0, 12.5])('refuses the Account ID %p before any request, naming the setting', async (accountId) => {
      const attempt = testDestination.testAuthentication({ ...settings, accountId })
      await expect(attempt).rejects.toThrow('The Account ID setting must be your numeric Appcues account ID')
    })
  })

  describe('presets', () => {
    const presets = (destination.presets ?? []).filter((preset) => preset.type === 'automatic')
    const subscribed = (name: string, event: Record<string, unknown>) => {
      const preset = presets.find((candidate) => candidate.name === name)
      return preset?.type === 'automatic' && validate(parseFql(preset.subscribe), event)
    }

    it('are automatic presets for the plain Segment calls, each built from its action’s defaults', () => {
      expect(presets.map((preset) => [preset.name, preset.type, preset.partnerAction])).toEqual([
        ['Identify Calls', 'automatic', 'identifyUser'],
        ['Track Calls', 'automatic', 'trackEvent'],
        ['Page Calls', 'automatic', 'pageView'],
        ['Screen Calls', 'automatic', 'pageView'],
        ['Group Calls', 'automatic', 'identifyGroup']
      ])
      for (const preset of presets) {
        const { fields } = destination.actions[preset.partnerAction]
        const changes = preset.name === 'Screen Calls' ? { event: 'Screen Viewed' } : {}
        expect(preset.mapping).toEqual({ ...defaultValues(fields), ...changes })
      }
    })

    it.each([
      ['Identify Calls', 'identify'],
      ['Track Calls', 'track'],
      ['Page Calls', 'page'],
      ['Screen Calls', 'screen']
    ])('%s take %s calls with a User ID and leave anonymous ones alone', (name, type) => {
      expect(subscribed(name, { type, userId: 'u1', anonymousId: 'a1' })).toBe(true)
      expect(subscribed(name, { type, anonymousId: 'a1' })).toBe(false)
      expect(subscribed(name, { type: type === 'track' ? 'page' : 'track', userId: 'u1' })).toBe(false)
    })

    it('Group Calls take group calls with or without a user', () => {
      expect(subscribed('Group Calls', { type: 'group', groupId: 'g1', anonymousId: 'a1' })).toBe(true)
      expect(subscribed('Group Calls', { type: 'identify', userId: 'u1' })).toBe(false)
    })

    type AppcuesCall = [method: string, path: string, body: nock.DataMatcherMap]
    const EVENTS = '/v2/accounts/123/users/u1/events'

    it.each<[string, Partial<SegmentEvent>, AppcuesCall[]]>([
      [
        'Identify Calls',
        { type: 'identify', traits: { plan: 'pro', company: { size: 10 } } },
        [['PATCH', '/v2/accounts/123/users/u1/profile', { plan: 'pro', company_size: 10 }]]
      ],
      [
        'Track Calls',
        { type: 'track', event: 'Invoice Paid', properties: { amount: 3 }, context: { groupId: 'g1' } },
        [['POST', EVENTS, { name: 'Invoice Paid', timestamp: TIMESTAMP, attributes: { amount: 3 }, group_id: 'g1' }]]
      ],
      [
        'Page Calls',
        { type: 'page', name: 'Pricing', properties: { plan: 'pro' }, context: { page: { url: 'https://a.co/p' } } },
        [
          [
            'POST',
            EVENTS,
            {
              name: 'Page Viewed',
              timestamp: TIMESTAMP,
              attributes: { plan: 'pro', name: 'Pricing', url: 'https://a.co/p' }
            }
          ]
        ]
      ],
      [
        'Screen Calls',
        { type: 'screen', name: 'Settings', properties: { tab: 'billing' } },
        [
          [
            'POST',
            EVENTS,
            { name: 'Screen Viewed', timestamp: TIMESTAMP, attributes: { tab: 'billing', name: 'Settings' } }
          ]
        ]
      ],
      [
        'Group Calls',
        { type: 'group', groupId: 'g1', traits: { name: 'Acme' } },
        [
          ['PATCH', '/v2/accounts/123/groups/g1/profile', { name: 'Acme' }],
          ['POST', '/v2/accounts/123/groups/g1/users', { user_ids: ['u1'] }]
        ]
      ]
    ])('%s send a sample call as exactly the Appcues requests made for it', async (name, call, appcuesCalls) => {
      const preset = presets.find((candidate) => candidate.name === name)
      // Any request not listed here fails the test: nock refuses it and the network is closed.
      const scope = nock('https://api.appcues.com')
      for (const [method, path, body] of appcuesCalls) scope.intercept(path, method, body).reply(200, {})
      const event = createTestEvent({ userId: 'u1', timestamp: TIMESTAMP, properties: {}, context: {}, ...call })
      await testDestination.testAction(preset?.partnerAction ?? '', {
        event,
        settings,
        mapping: preset?.mapping as JSONObject
      })
      expect(scope.isDone()).toBe(true)
    })
  })
})
