import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const BASIC_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

const identify = (event: Partial<SegmentEvent>) =>
  createTestEvent({ type: 'identify', userId: 'u1', traits: {}, context: {}, ...event })

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

async function runBatch(events: Partial<SegmentEvent>[]): Promise<Outcome[]> {
  await testDestination.testBatchAction('identifyUser', {
    events: events.map(identify),
    settings,
    useDefaultMappings: true
  })
  return testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
}

describe('Appcues.identifyUser', () => {
  it('PATCHes the user profile with the key pair and the traits as flat attributes', async () => {
    const scope = nock(API)
      .patch('/v2/accounts/123/users/u1/profile', { plan: 'pro', company_name: 'Acme', roles: 'a,b', trial: null })
      .matchHeader('authorization', BASIC_AUTH)
      .matchHeader('content-type', 'application/json')
      .reply(200, { id: 'u1' })
    const traits = { plan: 'pro', company: { name: 'Acme' }, roles: ['a', 'b'], trial: null, _lastPageUrl: 'x' }
    const [response] = await testDestination.testAction('identifyUser', {
      event: identify({ traits }),
      settings,
      useDefaultMappings: true
    })
    expect(response.status).toBe(200)
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    [{ traits: undefined, context: { traits: { email: 'ctx@example.com' } } }, { email: 'ctx@example.com' }],
    [{ traits: { email: 'call@example.com' }, context: { traits: { extra: 'x' } } }, { email: 'call@example.com' }],
    [{ traits: {} }, {}]
  ])('takes the call’s traits, else the context’s: %j', async (event, body) => {
    const scope = nock(API).patch('/v2/accounts/123/users/u1/profile', body).reply(200, {})
    await testDestination.testAction('identifyUser', { event: identify(event), settings, useDefaultMappings: true })
    expect(scope.isDone()).toBe(true)
  })

  it('percent-encodes the User ID and uses the EU host for EU accounts', async () => {
    const scope = nock('https://api.eu.appcues.com').patch('/v2/accounts/123/users/a%2Fb%3Fc/profile').reply(200, {})
    await testDestination.testAction('identifyUser', {
      event: identify({ userId: 'a/b?c' }),
      settings: { ...settings, region: 'EU' },
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    [{ userId: undefined }, "The root value is missing the required field 'userId'."],
    [{ userId: '..' }, 'The User ID ".." cannot be sent to Appcues.'],
    // Field validation turns [null] into an empty string, which must not become /users//profile.
    [{ userId: [null] as unknown as string }, 'The User ID is empty.'],
    [{ traits: { a: { b: 1 }, a_b: 2 } }, 'User Traits has two values for the Appcues attribute "a_b"']
  ])('refuses %j before any request', async (event, message) => {
    const attempt = testDestination.testAction('identifyUser', {
      event: identify(event),
      settings,
      useDefaultMappings: true
    })
    await expect(attempt).rejects.toThrow(message)
  })

  describe('batches', () => {
    it('send one PATCH per user with the batch’s traits merged in order, later ones winning', async () => {
      const scope = nock(API)
        .patch('/v2/accounts/123/users/u1/profile', { plan: 'free', seats: 5, company_name: 'Acme' })
        .reply(200, { ok: 1 })
        .patch('/v2/accounts/123/users/u2/profile', { plan: 'pro' })
        .reply(200, { ok: 2 })
      const outcomes = await runBatch([
        { userId: 'u1', traits: { plan: 'free', seats: 1 } },
        { userId: 'u2', traits: { plan: 'pro' } },
        { userId: 'u1', traits: { seats: 5, company: { name: 'Acme' } } }
      ])
      expect(scope.isDone()).toBe(true)
      const sent = { plan: 'free', seats: 5, company_name: 'Acme' }
      expect(outcomes).toEqual([
        { status: 200, sent, body: { ok: 1 } },
        { status: 200, sent: { plan: 'pro' }, body: { ok: 2 } },
        { status: 200, sent, body: { ok: 1 } }
      ])
    })

    it('give each event its own outcome: a bad event fails alone, each user gets its own answer', async () => {
      nock(API)
        .patch('/v2/accounts/123/users/u1/profile')
        .reply(200, {})
        .patch('/v2/accounts/123/users/u2/profile')
        .reply(503, { error: true, title: 'Unavailable', detail: 'database busy' })
      const outcomes = await runBatch([
        { userId: 'u1', traits: { a: 1 } },
        { userId: 'u2', traits: { a: 2 } },
        { userId: '..', traits: { a: 3 } },
        { userId: 'u4', traits: { a: { b: 1 }, a_b: 2 } }
      ])
      expect(outcomes.map((outcome) => [outcome.status, outcome.errortype])).toEqual([
        [200, undefined],
        [503, 'SERVICE_UNAVAILABLE'],
        [400, 'PAYLOAD_VALIDATION_FAILED'],
        [400, 'PAYLOAD_VALIDATION_FAILED']
      ])
      expect(outcomes[1]).toMatchObject({
        errormessage: 'Appcues answered 503 Service Unavailable: Unavailable: database busy.',
        body: { error: true, title: 'Unavailable', detail: 'database busy' }
      })
      expect(outcomes[3].errormessage).toContain('"a_b"')
    })
  })
})
