import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  defaultValues,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import destination from '../index'
import type { Settings } from '../generated-types'
import { failure } from './__helpers__/failure'
import { AUDIENCE_CHANGES } from '../syncAudience'

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
// base64('key-1:secret-1') and base64('legacy-1:'), written out so that a change in how they are built fails.
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='
const LEGACY_AUTH = 'Basic bGVnYWN5LTE6'

/** Settings as Segment stores them, for calls that take untyped settings. */
function raw(value: Record<string, unknown>): JSONObject {
  return value as JSONObject
}

describe('Appcues (Actions)', () => {
  beforeEach(() => {
    testDestination.responses = []
  })

  describe('definition', () => {
    it('keeps the name, slug and mode of the live destination', () => {
      expect(destination.name).toBe('Appcues (Actions)')
      expect(destination.slug).toBe('actions-appcues')
      expect(destination.mode).toBe('cloud')
      expect(destination.description).toEqual(expect.stringContaining('Appcues'))
    })

    it('has the actions of the design, including the live send action', () => {
      expect(Object.keys(destination.actions).sort()).toEqual(
        ['deleteUser', 'identifyGroup', 'identifyUser', 'pageView', 'send', 'syncAudience', 'trackEvent'].sort()
      )
    })

    it('keeps the four live settings with their keys, types and required flags', () => {
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
    })

    it('adds only optional settings: legacyApiKey (password) and endpoint (string)', () => {
      const fields = destination.authentication?.fields ?? {}
      expect(Object.keys(fields).sort()).toEqual(
        ['accountId', 'apiKey', 'apiSecret', 'endpoint', 'legacyApiKey', 'region'].sort()
      )
      expect(fields.legacyApiKey.type).toBe('password')
      expect(fields.legacyApiKey.required).toBeFalsy()
      expect(fields.endpoint.type).toBe('string')
      expect(fields.endpoint.required).toBeFalsy()
    })

    it('gives every setting a label and a description', () => {
      for (const [key, field] of Object.entries(destination.authentication?.fields ?? {})) {
        expect([key, field.label.trim().length > 0]).toEqual([key, true])
        expect([key, field.description.trim().length > 0]).toEqual([key, true])
      }
    })

    it('gives every action a title, description and default subscription, and every field a label and description', () => {
      for (const [key, action] of Object.entries(destination.actions)) {
        expect([key, Boolean(action.title), Boolean(action.description), Boolean(action.defaultSubscription)]).toEqual([
          key,
          true,
          true,
          true
        ])
        for (const [fieldKey, field] of Object.entries(action.fields)) {
          expect([key, fieldKey, Boolean(field.label), Boolean(field.description)]).toEqual([key, fieldKey, true, true])
        }
      }
    })

    it('defines onDelete and testAuthentication', () => {
      expect(typeof destination.onDelete).toBe('function')
      expect(typeof destination.authentication?.testAuthentication).toBe('function')
    })
  })

  describe('testAuthentication', () => {
    it('checks the key pair with GET /v2/accounts/{accountId}/tags', async () => {
      const scope = nock(US)
        .get('/v2/accounts/123/tags')
        .matchHeader('authorization', BASIC_AUTH)
        .matchHeader('accept', 'application/json')
        .reply(200, [{ id: 't1', name: 'Onboarding' }])

      await expect(testDestination.testAuthentication(settings)).resolves.toBeUndefined()
      expect(scope.isDone()).toBe(true)
    })

    it('uses the EU host when the region is EU', async () => {
      const scope = nock(EU).get('/v2/accounts/123/tags').matchHeader('authorization', BASIC_AUTH).reply(200, [])

      await testDestination.testAuthentication({ ...settings, region: 'EU' })

      expect(scope.isDone()).toBe(true)
    })

    it('goes to the Endpoint Override when it is set', async () => {
      const proxy = nock('https://proxy.example.com').get('/appcues/v2/accounts/123/tags').reply(200, [])
      await testDestination.testAuthentication({ ...settings, endpoint: 'https://proxy.example.com/appcues/' })
      expect(proxy.isDone()).toBe(true)

      const local = nock('http://127.0.0.1:4010').get('/v2/accounts/123/tags').reply(200, [])
      await testDestination.testAuthentication({ ...settings, endpoint: 'http://127.0.0.1:4010' })
      expect(local.isDone()).toBe(true)
    })

    it('401: names the API Key and API Secret settings', async () => {
      nock(US).get('/v2/accounts/123/tags').reply(401, { error: true, status: 401, title: 'Unauthorized' })

      const error = await failure(testDestination.testAuthentication(settings))

      expect(error.message).toMatch(/^Credentials are invalid: /)
      expect(error.message).toContain('Appcues answered 401 Unauthorized')
      expect(error.message).toContain(
        'Check that the API Key and API Secret settings hold one key pair from Appcues Studio (Settings, then API Keys).'
      )
    })

    it('403: names the API Key setting and the role it needs', async () => {
      nock(US).get('/v2/accounts/123/tags').reply(403, { error: true, status: 403, title: 'Forbidden' })

      const error = await failure(testDestination.testAuthentication(settings))

      expect(error.message).toMatch(/^Credentials are invalid: /)
      expect(error.message).toContain('Appcues answered 403 Forbidden')
      expect(error.message).toContain('The key in the API Key setting lacks permission')
      expect(error.message).toContain('Admin role')
    })

    it('404: names the Account ID and Region settings', async () => {
      nock(US).get('/v2/accounts/123/tags').reply(404, { error: true, status: 404, title: 'Not Found' })

      const error = await failure(testDestination.testAuthentication(settings))

      expect(error.message).toMatch(/^Credentials are invalid: /)
      expect(error.message).toContain('Appcues answered 404 Not Found')
      expect(error.message).toContain('Check that the Account ID setting is your Appcues account ID')
      expect(error.message).toContain('the Region setting')
    })

    it('500: says the error is temporary', async () => {
      nock(US).get('/v2/accounts/123/tags').reply(500)

      const error = await failure(testDestination.testAuthentication(settings))

      expect(error.message).toMatch(/^Credentials are invalid: /)
      expect(error.message).toContain('temporary Appcues error')
    })

    describe('settings validation, before any request', () => {
      let scope: nock.Scope
      beforeEach(() => {
        scope = nock(/.*/).persist().get(/.*/).reply(200, [])
      })
      afterEach(() => {
        expect(scope.isDone()).toBe(false)
        nock.cleanAll()
      })

      it.each(['apiKey', 'apiSecret', 'accountId', 'region'])('rejects settings without %s', async (key) => {
        const incomplete: Record<string, unknown> = { ...settings }
        delete incomplete[key]

        const error = await failure(testDestination.testAuthentication(incomplete as unknown as Settings))

        expect(error.message).toContain(`missing the required field '${key}'`)
      })

      it('rejects a region other than US or EU', async () => {
        const error = await failure(testDestination.testAuthentication({ ...settings, region: 'APAC' }))

        expect(error.message).toContain('Region must be one of: "US" or "EU".')
      })

      it('rejects an account ID that is not a number', async () => {
        const error = await failure(
          testDestination.testAuthentication({ ...settings, accountId: 'acme' } as unknown as Settings)
        )

        expect(error.message).toContain('Account ID')
        expect(error.message).toContain('number')
      })

      it.each([0, -1, 12.5])('rejects the account ID %p', async (accountId) => {
        const error = await failure(testDestination.testAuthentication({ ...settings, accountId }))

        expect(error.message).toContain('The Account ID setting must be your numeric Appcues account ID')
      })

      it.each([
        ['http://proxy.example.com', 'must use https'],
        ['ftp://proxy.example.com', 'must use https'],
        ['https://user:pass@proxy.example.com', 'must not contain a user name or password'],
        ['https://proxy.example.com/#x', 'must not contain a query string or fragment'],
        ['proxy.example.com', 'is not a valid address']
      ])('rejects the Endpoint Override %j', async (endpoint, reason) => {
        const error = await failure(testDestination.testAuthentication({ ...settings, endpoint }))

        expect(error.message).toMatch(/^Credentials are invalid: /)
        expect(error.message).toContain(`The Endpoint Override setting ${reason}`)
      })
    })
  })

  describe('onDelete', () => {
    function deletion(ids: { userId?: string | null; anonymousId?: string | null }) {
      return createTestEvent({ type: 'delete', timestamp: TIMESTAMP, ...ids } as Partial<SegmentEvent>)
    }

    it('erases the user ID and the anonymous ID in one call with the Legacy API key', async () => {
      const scope = nock(US)
        .post('/v1/gdpr/delete', { users: ['user-1', 'anon-1'] })
        .matchHeader('authorization', LEGACY_AUTH)
        .matchHeader('content-type', 'application/json')
        .reply(200, { ok: true, message: 'accepted 2 users for deletion' })

      const result = (await testDestination.onDelete?.(
        deletion({ userId: 'user-1', anonymousId: 'anon-1' }),
        raw({ ...settings })
      )) as { status: number; data: unknown }

      expect(scope.isDone()).toBe(true)
      expect(result.status).toBe(200)
      expect(result.data).toEqual({ ok: true, message: 'accepted 2 users for deletion' })
    })

    it('erases only the user ID when there is no anonymous ID', async () => {
      const scope = nock(US)
        .post('/v1/gdpr/delete', { users: ['user-1'] })
        .reply(200, { ok: true })

      await testDestination.onDelete?.(deletion({ userId: 'user-1', anonymousId: undefined }), raw({ ...settings }))

      expect(scope.isDone()).toBe(true)
    })

    it('erases only the anonymous ID when there is no user ID', async () => {
      const scope = nock(US)
        .post('/v1/gdpr/delete', { users: ['anon-1'] })
        .reply(200, { ok: true })

      await testDestination.onDelete?.(deletion({ userId: null, anonymousId: 'anon-1' }), raw({ ...settings }))

      expect(scope.isDone()).toBe(true)
    })

    it('sends an id once when the user ID and the anonymous ID are equal', async () => {
      const scope = nock(US)
        .post('/v1/gdpr/delete', { users: ['same-1'] })
        .reply(200, { ok: true })

      await testDestination.onDelete?.(deletion({ userId: 'same-1', anonymousId: 'same-1' }), raw({ ...settings }))

      expect(scope.isDone()).toBe(true)
    })

    it('uses the EU host when the region is EU', async () => {
      const scope = nock(EU)
        .post('/v1/gdpr/delete', { users: ['user-1', 'anon-1'] })
        .matchHeader('authorization', LEGACY_AUTH)
        .reply(200, { ok: true })

      await testDestination.onDelete?.(
        deletion({ userId: 'user-1', anonymousId: 'anon-1' }),
        raw({ ...settings, region: 'EU' })
      )

      expect(scope.isDone()).toBe(true)
    })

    it('fails without the Legacy API key, telling to set it, and makes no request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })
      const { legacyApiKey: _omitted, ...withoutLegacyKey } = settings

      const error = await failure(
        Promise.resolve(
          testDestination.onDelete?.(deletion({ userId: 'user-1', anonymousId: 'anon-1' }), raw(withoutLegacyKey))
        )
      )

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.message).toContain('Deleting users needs the Legacy API Key setting')
      expect(scope.isDone()).toBe(false)
    })

    it('fails when the event has neither id, and makes no request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })

      const error = await failure(
        Promise.resolve(testDestination.onDelete?.(deletion({ userId: null, anonymousId: null }), raw({ ...settings })))
      )

      expect(error).toBeInstanceOf(PayloadValidationError)
      expect(error.message).toContain('neither a User ID nor an Anonymous ID')
      expect(scope.isDone()).toBe(false)
    })

    it('401: names the Legacy API Key setting', async () => {
      nock(US).post('/v1/gdpr/delete').reply(401, { error: 'Unauthorized' })

      const error = await failure(
        Promise.resolve(testDestination.onDelete?.(deletion({ userId: 'user-1' }), raw({ ...settings })))
      )

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.message).toContain('Check the Legacy API Key setting')
    })

    it('500: RetryableError', async () => {
      nock(US).post('/v1/gdpr/delete').reply(500)

      const error = await failure(
        Promise.resolve(testDestination.onDelete?.(deletion({ userId: 'user-1' }), raw({ ...settings })))
      )

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(500)
    })

    it('validates the settings before any request', async () => {
      const scope = nock(/.*/).post(/.*/).reply(200, { ok: true })

      const error = await failure(
        Promise.resolve(
          testDestination.onDelete?.(deletion({ userId: 'user-1' }), raw({ ...settings, region: 'Mars' }))
        )
      )

      expect(error.message).toContain('Region must be one of')
      expect(scope.isDone()).toBe(false)
      expect(error).not.toBeInstanceOf(IntegrationError)
    })
  })

  describe('presets', () => {
    const presets = destination.presets ?? []
    const byName = (name: string) => {
      const preset = presets.find((candidate) => candidate.name === name)
      if (!preset || preset.type !== 'automatic') throw new Error(`no automatic preset named ${name}`)
      return preset
    }

    it('has one automatic preset per call type, each pointing at the right action', () => {
      expect(
        presets.map((preset) => [
          preset.name,
          preset.type,
          preset.partnerAction,
          preset.type === 'automatic' ? preset.subscribe : undefined
        ])
      ).toEqual([
        ['Identify Calls', 'automatic', 'identifyUser', 'type = "identify"'],
        ['Track Calls', 'automatic', 'trackEvent', 'type = "track"'],
        ['Page Calls', 'automatic', 'pageView', 'type = "page"'],
        ['Screen Calls', 'automatic', 'pageView', 'type = "screen"'],
        ['Group Calls', 'automatic', 'identifyGroup', 'type = "group"'],
        ['Engage Audience Changes', 'automatic', 'syncAudience', AUDIENCE_CHANGES]
      ])
    })

    it("builds each mapping from the action's field defaults; the Screen preset names its event Screen Viewed", () => {
      const { identifyUser, trackEvent, pageView, identifyGroup } = destination.actions
      expect(byName('Identify Calls').mapping).toEqual(defaultValues(identifyUser.fields))
      expect(byName('Track Calls').mapping).toEqual(defaultValues(trackEvent.fields))
      expect(byName('Page Calls').mapping).toEqual(defaultValues(pageView.fields))
      expect(byName('Page Calls').mapping?.event).toBe('Page Viewed')
      expect(byName('Screen Calls').mapping).toEqual({ ...defaultValues(pageView.fields), event: 'Screen Viewed' })
      expect(byName('Group Calls').mapping).toEqual(defaultValues(identifyGroup.fields))
    })

    it('uses only field keys of the action it points at', () => {
      for (const preset of presets) {
        const fieldKeys = Object.keys(destination.actions[preset.partnerAction].fields)
        expect([preset.name, Object.keys(preset.mapping ?? {}).filter((key) => !fieldKeys.includes(key))]).toEqual([
          preset.name,
          []
        ])
      }
    })

    describe('run on sample events, as Segment runs subscriptions', () => {
      const subscriptions = presets.map((preset) => ({
        name: preset.name,
        partnerAction: preset.partnerAction,
        subscribe: preset.type === 'automatic' ? preset.subscribe : '',
        mapping: preset.mapping ?? {},
        enabled: true
      }))

      async function deliver(event: SegmentEvent) {
        await testDestination.onEvent(event, raw({ ...settings, subscriptions }))
        const sent = testDestination.responses.map((response) => ({
          method: response.request.method,
          url: response.url,
          status: response.status,
          body: response.options.json,
          authorization: response.request.headers.get('authorization')
        }))
        testDestination.responses = []
        return sent
      }

      it('Identify Calls: PATCHes the user profile with flattened traits', async () => {
        nock(US).patch('/v2/accounts/123/users/user-1/profile').reply(200, {})

        const sent = await deliver(
          createTestEvent({
            type: 'identify',
            userId: 'user-1',
            timestamp: TIMESTAMP,
            traits: {
              email: 'ada@example.com',
              name: 'Ada Lovelace',
              company: { name: 'Acme', plan: 'pro' },
              roles: ['admin', 'editor'],
              nickname: '',
              _internal: 'x'
            }
          })
        )

        expect(sent).toEqual([
          {
            method: 'PATCH',
            url: 'https://api.appcues.com/v2/accounts/123/users/user-1/profile',
            status: 200,
            body: {
              email: 'ada@example.com',
              name: 'Ada Lovelace',
              company_name: 'Acme',
              company_plan: 'pro',
              roles: 'admin,editor'
            },
            authorization: BASIC_AUTH
          }
        ])
      })

      it('Track Calls: POSTs an event with properties and the context group ID', async () => {
        nock(US).post('/v2/accounts/123/users/user-1/events').reply(202, {})

        const sent = await deliver(
          createTestEvent({
            type: 'track',
            event: 'Report Exported',
            userId: 'user-1',
            timestamp: TIMESTAMP,
            properties: { format: 'csv', rows: 12, filters: { region: 'EU' } },
            context: { groupId: 'group-1', library: { name: 'analytics-node', version: '6.0.0' } }
          })
        )

        expect(sent).toEqual([
          {
            method: 'POST',
            url: 'https://api.appcues.com/v2/accounts/123/users/user-1/events',
            status: 202,
            body: {
              name: 'Report Exported',
              timestamp: TIMESTAMP,
              attributes: { format: 'csv', rows: 12, filters_region: 'EU' },
              group_id: 'group-1'
            },
            authorization: BASIC_AUTH
          }
        ])
      })

      it('Page Calls: POSTs a Page Viewed event with the page fields from context.page', async () => {
        nock(US).post('/v2/accounts/123/users/user-1/events').reply(202, {})

        const sent = await deliver(
          createTestEvent({
            type: 'page',
            name: 'Pricing',
            userId: 'user-1',
            timestamp: TIMESTAMP,
            properties: { plan: 'pro', title: 'Overridden by context.page' },
            context: {
              page: {
                path: '/pricing',
                referrer: 'https://www.google.com/',
                search: '?utm_source=ad',
                title: 'Pricing | Acme',
                url: 'https://acme.com/pricing?utm_source=ad'
              }
            }
          })
        )

        expect(sent).toEqual([
          {
            method: 'POST',
            url: 'https://api.appcues.com/v2/accounts/123/users/user-1/events',
            status: 202,
            body: {
              name: 'Page Viewed',
              timestamp: TIMESTAMP,
              attributes: {
                plan: 'pro',
                name: 'Pricing',
                url: 'https://acme.com/pricing?utm_source=ad',
                path: '/pricing',
                title: 'Pricing | Acme',
                referrer: 'https://www.google.com/',
                search: '?utm_source=ad'
              }
            },
            authorization: BASIC_AUTH
          }
        ])
      })

      it('Screen Calls: POSTs a Screen Viewed event with the screen name and properties', async () => {
        nock(US).post('/v2/accounts/123/users/user-1/events').reply(202, {})

        const sent = await deliver(
          createTestEvent({
            type: 'screen',
            name: 'Billing Settings',
            userId: 'user-1',
            timestamp: TIMESTAMP,
            properties: { section: 'billing' },
            context: {
              app: { name: 'Acme', version: '1.2.3' },
              device: { type: 'ios', model: 'iPhone15,2' },
              os: { name: 'iOS', version: '17.0' }
            }
          })
        )

        expect(sent).toEqual([
          {
            method: 'POST',
            url: 'https://api.appcues.com/v2/accounts/123/users/user-1/events',
            status: 202,
            body: {
              name: 'Screen Viewed',
              timestamp: TIMESTAMP,
              attributes: { section: 'billing', name: 'Billing Settings' }
            },
            authorization: BASIC_AUTH
          }
        ])
      })

      it('Group Calls: PATCHes the group profile, then adds the user to the group', async () => {
        nock(US).patch('/v2/accounts/123/groups/group-1/profile').reply(200, {})
        nock(US).post('/v2/accounts/123/groups/group-1/users').reply(204)

        const sent = await deliver(
          createTestEvent({
            type: 'group',
            groupId: 'group-1',
            userId: 'user-1',
            timestamp: TIMESTAMP,
            traits: { name: 'Acme', employees: 50, address: { city: 'Paris' } }
          })
        )

        expect(sent).toEqual([
          {
            method: 'PATCH',
            url: 'https://api.appcues.com/v2/accounts/123/groups/group-1/profile',
            status: 200,
            body: { name: 'Acme', employees: 50, address_city: 'Paris' },
            authorization: BASIC_AUTH
          },
          {
            method: 'POST',
            url: 'https://api.appcues.com/v2/accounts/123/groups/group-1/users',
            status: 204,
            body: { user_ids: ['user-1'] },
            authorization: BASIC_AUTH
          }
        ])
      })

      it('sends nothing for an event type no preset subscribes to', async () => {
        const scope = nock(/.*/).persist().post(/.*/).reply(200, {}).patch(/.*/).reply(200, {})

        const sent = await deliver(createTestEvent({ type: 'alias', userId: 'user-1', previousId: 'old-1' }))

        expect(sent).toEqual([])
        expect(scope.isDone()).toBe(false)
        nock.cleanAll()
      })
    })
  })
})
