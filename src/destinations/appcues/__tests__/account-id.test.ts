import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../index'
import type { Settings } from '../generated-types'

// Settings stored by older setups, or written through Segment's API, may hold the Account ID as text.
const numeric: Settings = {
  apiKey: 'key-1',
  apiSecret: 'secret-1',
  accountId: 12345,
  region: 'US',
  legacyApiKey: 'l-1'
}
const textual = { ...numeric, accountId: '12345' } as unknown as Settings
const padded = { ...numeric, accountId: ' 12345 ' } as unknown as Settings

const events: Record<string, Partial<SegmentEvent>> = {
  identifyUser: { type: 'identify', traits: { plan: 'pro' } },
  trackEvent: { type: 'track', event: 'Invoice Paid', properties: { amount: 3 } },
  pageView: { type: 'page', name: 'Pricing', properties: { url: 'https://example.com/pricing' } },
  identifyGroup: { type: 'group', groupId: 'g-1', traits: { name: 'Acme' } },
  deleteUser: { type: 'delete' },
  send: { type: 'track', event: 'Invoice Paid', properties: { amount: 3 } },
  syncAudience: {
    type: 'track',
    event: 'Audience Entered',
    properties: { trial_users: true },
    context: { personas: { computation_key: 'trial_users', computation_class: 'audience', computation_id: 'aud_1' } }
  }
}

interface Exchange {
  method: string
  url: string
  body: string
}

async function requestsOf(actionKey: string, settings: Settings): Promise<Exchange[]> {
  const exchanges: Exchange[] = []
  const record = (method: string) =>
    function (this: { req: { headers: Record<string, unknown> } }, uri: string, body: unknown) {
      exchanges.push({ method, url: `${String(this.req.headers.host)}${uri}`, body: JSON.stringify(body) })
      return uri.endsWith('/segments') ? [{ id: 'seg-1', name: 'trial_users' }] : {}
    }
  const scope = nock(/appcues\.com/).persist()
  scope.get(/.*/).reply(200, record('GET'))
  scope.post(/.*/).reply(200, record('POST'))
  scope.put(/.*/).reply(200, record('PUT'))
  scope.patch(/.*/).reply(200, record('PATCH'))
  const event = createTestEvent({
    userId: 'user-1',
    anonymousId: 'anon-1',
    messageId: 'msg-1',
    timestamp: '2024-05-01T12:00:00.000Z',
    ...events[actionKey]
  })
  await createTestIntegration(destination).testAction(actionKey, { event, settings, useDefaultMappings: true })
  nock.cleanAll()
  return exchanges
}

describe('Account ID stored as text', () => {
  it('covers every action', () => {
    expect(Object.keys(events).sort()).toEqual(Object.keys(destination.actions).sort())
  })

  it.each(Object.keys(events))('%s makes the same requests for 12345, "12345" and " 12345 "', async (actionKey) => {
    const expected = await requestsOf(actionKey, numeric)
    expect(expected.length).toBeGreaterThan(0)
    expect(await requestsOf(actionKey, textual)).toStrictEqual(expected)
    expect(await requestsOf(actionKey, padded)).toStrictEqual(expected)
  })

  it('checks credentials on the same path for 12345 and "12345"', async () => {
    const paths: string[] = []
    nock('https://api.appcues.com')
      .persist()
      .get(/.*/)
      .reply(200, (uri) => {
        paths.push(uri)
        return []
      })
    const testDestination = createTestIntegration(destination)
    await testDestination.testAuthentication(numeric)
    await testDestination.testAuthentication(textual)
    expect(paths).toStrictEqual(['/v2/accounts/12345/tags', '/v2/accounts/12345/tags'])
  })
})
