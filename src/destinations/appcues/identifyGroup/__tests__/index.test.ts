import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const GROUP = '/v2/accounts/123/groups/group-1'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

const groupCall = (event: Partial<SegmentEvent> = {}) =>
  createTestEvent({ type: 'group', userId: 'user-1', groupId: 'group-1', traits: { name: 'Acme' }, ...event })

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

async function runBatch(events: Partial<SegmentEvent>[]): Promise<Outcome[]> {
  await testDestination.testBatchAction('identifyGroup', {
    events: events.map(groupCall),
    settings,
    useDefaultMappings: true
  })
  return testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
}

describe('Appcues.identifyGroup', () => {
  it('updates the group profile with flat attributes, then adds the user to the group', async () => {
    const scope = nock(API)
      .patch(`${GROUP}/profile`, { name: 'Acme', address_city: 'Paris', tags: 'b2b,saas' })
      .matchHeader('authorization', BASIC_AUTH)
      .reply(200, { step: 'profile' })
      .post(`${GROUP}/users`, { user_ids: ['a/b?c'] })
      .matchHeader('authorization', BASIC_AUTH)
      .reply(200, { step: 'users' })
    const traits = { name: 'Acme', address: { city: 'Paris' }, tags: ['b2b', 'saas'], _internal: 1 }
    const responses = await testDestination.testAction('identifyGroup', {
      event: groupCall({ traits, userId: 'a/b?c' }),
      settings,
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
    expect(responses.map((response) => response.request.method)).toEqual(['PATCH', 'POST'])
    expect(testDestination.results[testDestination.results.length - 1]).toMatchObject({ data: { step: 'users' } })
  })

  it.each([undefined, '', '  '])('only updates the group profile when the User ID is %p', async (userId) => {
    const scope = nock(API).patch(`${GROUP}/profile`).reply(200, {})
    const responses = await testDestination.testAction('identifyGroup', {
      event: groupCall({ userId }),
      settings,
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
    expect(responses).toHaveLength(1)
  })

  it('percent-encodes the Group ID and uses the EU host for EU accounts', async () => {
    const scope = nock('https://api.eu.appcues.com')
      .patch('/v2/accounts/123/groups/a%2F..%2Fb/profile')
      .reply(200, {})
      .post('/v2/accounts/123/groups/a%2F..%2Fb/users')
      .reply(200, {})
    await testDestination.testAction('identifyGroup', {
      event: groupCall({ groupId: 'a/../b' }),
      settings: { ...settings, region: 'EU' },
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
  })

  it('fails the event when adding the user fails after the profile update', async () => {
    nock(API).patch(`${GROUP}/profile`).reply(200, {}).post(`${GROUP}/users`).reply(500, {})
    const attempt = testDestination.testAction('identifyGroup', {
      event: groupCall(),
      settings,
      useDefaultMappings: true
    })
    await expect(attempt).rejects.toMatchObject({ response: { status: 500 } })
  })

  it.each([
    [{ groupId: undefined }, "The root value is missing the required field 'groupId'."],
    [{ groupId: '.' }, 'The Group ID "." cannot be sent to Appcues.'],
    [{ traits: { a: { b: 1 }, a_b: 2 } }, 'Group Traits has two values for the Appcues attribute "a_b"']
  ])('refuses %j before any request', async (event, message) => {
    const attempt = testDestination.testAction('identifyGroup', {
      event: groupCall(event),
      settings,
      useDefaultMappings: true
    })
    await expect(attempt).rejects.toThrow(message)
  })

  describe('batches', () => {
    it('send one profile update per group, traits merged in order, and one call adding all its users', async () => {
      const scope = nock(API)
        .patch(`${GROUP}/profile`, { name: 'Acme', plan: 'pro', size: 10 })
        .reply(200, {})
        .post(`${GROUP}/users`, { user_ids: ['u1', 'u2'] })
        .reply(204)
        .patch('/v2/accounts/123/groups/g2/profile', { name: 'Globex' })
        .reply(200, {})
      const outcomes = await runBatch([
        { userId: 'u1', traits: { name: 'Acme', plan: 'free' } },
        { groupId: 'g2', userId: undefined, traits: { name: 'Globex' } },
        { userId: 'u2', traits: { plan: 'pro' } },
        { userId: 'u1', traits: { size: 10 } },
        { groupId: '..', traits: {} }
      ])
      expect(scope.isDone()).toBe(true)
      expect(outcomes.map((outcome) => outcome.status)).toEqual([204, 200, 204, 204, 400])
      expect(outcomes[0].sent).toEqual({ user_ids: ['u1', 'u2'] })
    })

    it('fail only the events that carried a user when adding users fails', async () => {
      nock(API)
        .patch(`${GROUP}/profile`)
        .reply(200, {})
        .post(`${GROUP}/users`)
        .reply(404, { error: true, title: 'Not Found', detail: 'no such user' })
      const outcomes = await runBatch([{ userId: undefined }, { userId: 'u1' }])
      expect(outcomes[0].status).toBe(200)
      expect(outcomes[1]).toMatchObject({
        status: 404,
        errortype: 'NOT_FOUND',
        sent: { user_ids: ['u1'] },
        body: { error: true, title: 'Not Found', detail: 'no such user' }
      })
      expect(outcomes[1].errormessage).toContain('no such user')
      expect(outcomes[1].errormessage).toContain('Account ID setting')
      expect(outcomes[1].errormessage).toContain('the group or one of the users added to it may not exist in Appcues')
    })

    it('add nobody when the group update fails, and give every event of the group that failure', async () => {
      const scope = nock(API).patch(`${GROUP}/profile`).reply(503, { title: 'Unavailable' })
      const outcomes = await runBatch([{ userId: 'u1' }, { userId: undefined }])
      expect(outcomes.map((outcome) => outcome.status)).toEqual([503, 503])
      expect(scope.isDone()).toBe(true)
    })
  })
})
