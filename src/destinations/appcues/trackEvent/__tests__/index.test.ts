import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { freezeDate, restoreDate } from '../../__tests__/__helpers__/fixed-clock'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const EVENTS = '/v2/accounts/123/users/u1/events'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const TIMESTAMP = '2024-05-01T12:00:00.000Z'

function track(event: Partial<SegmentEvent> = {}, mapping?: JSONObject, withSettings: Settings = settings) {
  return testDestination.testAction('trackEvent', {
    event: createTestEvent({
      type: 'track',
      event: 'Report Exported',
      userId: 'u1',
      timestamp: TIMESTAMP,
      properties: {},
      context: {},
      ...event
    }),
    settings: withSettings,
    mapping,
    useDefaultMappings: true
  })
}

describe('Appcues.trackEvent', () => {
  afterEach(() => restoreDate())

  it('POSTs the event with the key pair: its name, ISO timestamp, flat attributes and the context group', async () => {
    const scope = nock(API)
      .post(EVENTS, {
        name: 'Report Exported',
        timestamp: TIMESTAMP,
        attributes: { format: 'csv', rows: 120, filter_owner: 'me' },
        group_id: 'acme'
      })
      .matchHeader('authorization', 'Basic a2V5LTE6c2VjcmV0LTE=')
      .reply(202, {})
    const [response] = await track({
      properties: { format: 'csv', rows: 120, filter: { owner: 'me' } },
      context: { groupId: 'acme' },
      groupId: 'top-level-is-not-used'
    })
    expect(response.status).toBe(202)
    expect(scope.isDone()).toBe(true)
  })

  it('leaves group_id out when the event has no group, and uses mapped fields instead of the defaults', async () => {
    const scope = nock(API)
      .post(EVENTS, { name: 'Report Exported', timestamp: TIMESTAMP, attributes: {} })
      .reply(202, {})
      .post('/v2/accounts/123/users/crm-1/events', {
        name: 'Invoice Paid',
        timestamp: TIMESTAMP,
        attributes: { amount: 12.5 },
        group_id: 't9'
      })
      .reply(202, {})
    await track()
    await track(
      { properties: { who: 'crm-1', what: 'Invoice Paid', amount: 12.5, team: 't9' } },
      {
        userId: { '@path': '$.properties.who' },
        event: { '@path': '$.properties.what' },
        properties: { amount: { '@path': '$.properties.amount' } },
        groupId: { '@path': '$.properties.team' }
      }
    )
    expect(scope.isDone()).toBe(true)
  })

  it('sends the Account ID stored as text, on the EU host for EU accounts', async () => {
    const scope = nock('https://api.eu.appcues.com').post(EVENTS).reply(202, {})
    await track({}, undefined, { ...settings, region: 'EU', accountId: '123' as unknown as number })
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    ['2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
    [1714564800, '2024-05-01T12:00:00.000Z'],
    ['1714564800', '2024-05-01T12:00:00.000Z']
  ])('sends the timestamp %p as %s', async (value, expected) => {
    const scope = nock(API)
      .post(EVENTS, (body: { timestamp: string }) => body.timestamp === expected)
      .reply(202, {})
    await track({ properties: { at: value } }, { timestamp: { '@path': '$.properties.at' }, properties: {} })
    expect(scope.isDone()).toBe(true)
  })

  it('uses the time of sending when the event has no timestamp', async () => {
    freezeDate('2024-06-30T08:15:00.000Z')
    const scope = nock(API)
      .post(EVENTS, (body: { timestamp: string }) => body.timestamp === '2024-06-30T08:15:00.000Z')
      .reply(202, {})
    await track({ timestamp: undefined })
    expect(scope.isDone()).toBe(true)
  })

  it.each(['e'.repeat(127), '🎉'.repeat(127)])('sends a name of 127 characters: %s', async (name) => {
    const scope = nock(API)
      .post(EVENTS, (body: { name: string }) => body.name === name)
      .reply(202, {})
    await track({ event: name })
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    [{ event: 'e'.repeat(128) }, 'Event Name must be 127 characters or fewer but it was 128 characters.'],
    [{ event: '   ' }, 'The Event Name field is empty.'],
    [{ event: undefined }, "The root value is missing the required field 'event'."],
    [{ timestamp: 'yesterday-ish' }, 'Timestamp must be a valid date-like string but it was not.'],
    [{ userId: undefined }, "The root value is missing the required field 'userId'."],
    [{ userId: ' ' }, 'The User ID is empty.'],
    [{ properties: { a: { b: 1 }, a_b: 2 } }, 'Event Properties has two values for the Appcues attribute "a_b"']
  ])('refuses %j before any request', async (event, message) => {
    await expect(track(event)).rejects.toThrow(message)
  })

  it('has no batch handler: Appcues takes events one at a time', () => {
    expect(destination.actions.trackEvent.performBatch).toBeUndefined()
    expect(Object.keys(destination.actions.trackEvent.fields)).not.toContain('enable_batching')
  })
})
