import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const EVENTS = '/v2/accounts/123/users/u1/events'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const TIMESTAMP = '2024-05-01T12:00:00.000Z'
const PAGE = {
  url: 'https://app.example.com/pricing?plan=pro',
  path: '/pricing',
  title: 'Pricing',
  referrer: 'https://www.google.com/',
  search: '?plan=pro'
}

/** Runs a page call and returns the attributes of the event it sent. */
async function attributesOf(event: Partial<SegmentEvent>, mapping?: JSONObject) {
  let sent: { name?: string; attributes?: unknown } = {}
  nock('https://api.appcues.com')
    .post(EVENTS, (body: typeof sent) => {
      sent = body
      return true
    })
    .reply(202, {})
  await testDestination.testAction('pageView', {
    event: createTestEvent({
      type: 'page',
      name: 'Pricing',
      userId: 'u1',
      timestamp: TIMESTAMP,
      properties: {},
      context: { page: PAGE },
      ...event
    }),
    settings,
    mapping,
    useDefaultMappings: true
  })
  return sent
}

describe('Appcues.pageView', () => {
  it('POSTs a "Page Viewed" event whose attributes carry the page fields and the properties', async () => {
    const scope = nock('https://api.appcues.com')
      .post(EVENTS, {
        name: 'Page Viewed',
        timestamp: TIMESTAMP,
        attributes: { plan: 'pro', name: 'Pricing', ...PAGE }
      })
      .matchHeader('authorization', 'Basic a2V5LTE6c2VjcmV0LTE=')
      .reply(202, {})
    await testDestination.testAction('pageView', {
      event: createTestEvent({
        type: 'page',
        name: 'Pricing',
        userId: 'u1',
        timestamp: TIMESTAMP,
        properties: { plan: 'pro' },
        context: { page: PAGE, groupId: 'g1' }
      }),
      settings,
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
  })

  it('takes each page field from the context when present, else from the properties', async () => {
    const sent = await attributesOf({
      context: { page: { url: 'https://ctx.example.com/a', path: '/a', title: '' } },
      properties: { title: 'From properties', referrer: 'https://ref.example.com/', section: 'billing' }
    })
    expect(sent.attributes).toStrictEqual({
      section: 'billing',
      name: 'Pricing',
      url: 'https://ctx.example.com/a',
      path: '/a',
      title: 'From properties',
      referrer: 'https://ref.example.com/'
    })
  })

  it('lets the page fields win over properties of the same name, which follow the attribute rules', async () => {
    const sent = await attributesOf({
      name: 'Page name',
      properties: { url: 'https://prop.example.com', name: 'Prop name', experiment: { id: 'e1' }, tags: ['a', 'b'] }
    })
    expect(sent.attributes).toStrictEqual({ ...PAGE, name: 'Page name', experiment_id: 'e1', tags: 'a,b' })
  })

  it('sends a mapped event name of up to 127 characters', async () => {
    expect((await attributesOf({}, { event: 'p'.repeat(127) })).name).toBe('p'.repeat(127))
  })

  it.each([
    [{}, { event: 'p'.repeat(128) }, 'Event Name must be 127 characters or fewer but it was 128 characters.'],
    [{}, { event: { '@path': '$.properties.missing' } }, "The root value is missing the required field 'event'."],
    [{ userId: undefined, anonymousId: 'a1' }, {}, "The root value is missing the required field 'userId'."],
    [
      { properties: { ab_test: 'x', ab: { test: 'y' } } },
      {},
      'Page Properties has two values for the Appcues attribute'
    ]
  ])('refuses %j with the mapping %j before any request', async (event, mapping, message) => {
    const attempt = testDestination.testAction('pageView', {
      event: createTestEvent({ type: 'page', userId: 'u1', ...event }),
      settings,
      mapping: mapping as JSONObject,
      useDefaultMappings: true
    })
    await expect(attempt).rejects.toThrow(message)
  })

  it('has no batch handler: Appcues takes events one at a time', () => {
    expect(destination.actions.pageView.performBatch).toBeUndefined()
    expect(Object.keys(destination.actions.pageView.fields)).not.toContain('batch_size')
  })
})
