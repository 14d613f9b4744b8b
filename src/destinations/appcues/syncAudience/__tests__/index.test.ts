import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { userIdChunks } from '../functions'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const SEGMENTS = '/v2/accounts/123/segments'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const AUDIENCE = 'trial_invited'

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

const personas = (key = AUDIENCE) => ({ computation_class: 'audience', computation_key: key, computation_id: 'aud_1' })

/** An Engage "Audience Entered"/"Audience Exited" track call. */
const audienceTrack = (userId: string, entered: boolean, key = AUDIENCE): SegmentEvent =>
  createTestEvent({
    type: 'track',
    userId,
    event: entered ? 'Audience Entered' : 'Audience Exited',
    properties: { audience_key: key, [key]: entered },
    context: { personas: personas(key) }
  })

/** An Engage identify call carrying the membership as a trait. */
const audienceIdentify = (userId: string, member: boolean): SegmentEvent =>
  createTestEvent({ type: 'identify', userId, traits: { [AUDIENCE]: member }, context: { personas: personas() } })

const run = (event: SegmentEvent, mapping: Record<string, unknown> = {}) =>
  testDestination.testAction('syncAudience', { event, settings, useDefaultMappings: true, mapping: mapping as never })

const paths = (responses: Array<{ request: Request; url: string }>) =>
  responses.map((response) => `${response.request.method} ${new URL(response.url).pathname}`)

async function runBatch(events: SegmentEvent[]): Promise<{ outcomes: Outcome[]; requests: string[] }> {
  const responses = await testDestination.testBatchAction('syncAudience', {
    events,
    settings,
    useDefaultMappings: true
  })
  const outcomes = testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
  expect(outcomes).toHaveLength(events.length)
  return { outcomes, requests: paths(responses) }
}

const listed = (...segments: Array<{ id: string | number; name: string }>) =>
  nock(API).get(SEGMENTS).reply(200, segments)

describe('Appcues.syncAudience', () => {
  // testAction keeps the responses of a call that failed.
  beforeEach(() => (testDestination.responses = []))

  it('subscribes to Engage audience entries, exits and audience identify calls, and nothing else', () => {
    const matches = (event: Record<string, unknown>) =>
      validate(parseFql(destination.actions.syncAudience.defaultSubscription ?? ''), event)
    const engage = { personas: personas() }
    expect(matches({ type: 'track', event: 'Audience Entered', context: engage })).toBe(true)
    expect(matches({ type: 'track', event: 'Audience Exited', context: engage })).toBe(true)
    expect(matches({ type: 'identify', context: engage })).toBe(true)
    expect(matches({ type: 'track', event: 'Audience Entered' })).toBe(false)
    expect(matches({ type: 'track', event: 'Signed Up', context: engage })).toBe(false)
    expect(matches({ type: 'identify', context: { personas: { ...personas(), computation_class: 'trait' } } })).toBe(
      false
    )
  })

  describe('one event', () => {
    it.each([
      ['entered', audienceTrack('u1', true), 'add'],
      ['left', audienceTrack('u1', false), 'remove'],
      ['is in, by trait', audienceIdentify('u1', true), 'add'],
      ['is out, by trait', audienceIdentify('u1', false), 'remove']
    ])('a user who %s the audience is sent to the segment of its name', async (_, event, direction) => {
      listed({ id: 'seg-0', name: 'other' }, { id: 'seg-1', name: AUDIENCE })
      const change = nock(API)
        .post(`${SEGMENTS}/seg-1/${direction}_user_ids`, { user_ids: ['u1'] })
        .matchHeader('authorization', 'Basic a2V5LTE6c2VjcmV0LTE=')
        .reply(200, {})
      expect(paths(await run(event))).toEqual([`GET ${SEGMENTS}`, `POST ${SEGMENTS}/seg-1/${direction}_user_ids`])
      expect(change.isDone()).toBe(true)
    })

    it('creates a missing segment, described as synced from Segment, and uses the first one listed', async () => {
      nock(API).get(SEGMENTS).reply(200, { data: [] })
      const create = nock(API)
        .post(SEGMENTS, (body: { name: string; description: string }) => {
          return body.name === AUDIENCE && body.description.includes(`Synced from Segment`)
        })
        .reply(201, { id: 'seg-2', name: AUDIENCE })
      listed({ id: 'seg-1', name: AUDIENCE }, { id: 'seg-2', name: AUDIENCE })
      const add = nock(API).post(`${SEGMENTS}/seg-1/add_user_ids`).reply(200, {})
      await run(audienceTrack('u1', true))
      expect(create.isDone() && add.isDone()).toBe(true)
    })

    it('re-reads the list when the created segment comes back without an ID, and retries when it is not there', async () => {
      nock(API).get(SEGMENTS).reply(200, []).post(SEGMENTS).reply(201)
      listed({ id: 77, name: AUDIENCE })
      const add = nock(API).post(`${SEGMENTS}/77/add_user_ids`).reply(200, {})
      await run(audienceTrack('u1', true))
      expect(add.isDone()).toBe(true)
      nock(API).get(SEGMENTS).times(2).reply(200, []).post(SEGMENTS).reply(202)
      await expect(run(audienceTrack('u1', true))).rejects.toMatchObject({ name: 'RetryableError', status: 503 })
    })

    it.each([
      [{ segmentName: 'Invited a teammate' }, 'seg-9', [{ id: 'seg-9', name: 'Invited a teammate' }]],
      [{ membership: false }, 'seg-1', [{ id: 'seg-1', name: AUDIENCE }]]
    ])('follows the mapping %j', async (mapping, id, segments) => {
      listed(...segments)
      const direction = 'membership' in mapping ? 'remove' : 'add'
      const change = nock(API).post(`${SEGMENTS}/${id}/${direction}_user_ids`).reply(200, {})
      await run(audienceTrack('u1', true), mapping)
      expect(change.isDone()).toBe(true)
    })

    it('sends straight to a picked segment, its ID percent-encoded, and says how to fix one Appcues lost', async () => {
      const add = nock(API)
        .post(`${SEGMENTS}/a%2Fb%3Fc/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, {})
      expect(await run(audienceTrack('u1', true), { segmentId: 'a/b?c' })).toHaveLength(1)
      expect(add.isDone()).toBe(true)
      nock(API).post(`${SEGMENTS}/gone/add_user_ids`).reply(404, { title: 'Not Found', detail: 'segment not found' })
      const attempt = run(audienceTrack('u1', true), { segmentId: 'gone' })
      await expect(attempt).rejects.toMatchObject({ status: 404 })
      await expect(attempt).rejects.toThrow(/segment not found\. .*Existing Appcues Segment \("gone"\) was deleted/)
    })

    it('creates nothing and sends nothing when a user leaves an audience whose segment does not exist', async () => {
      listed()
      expect(await run(audienceTrack('u1', false))).toHaveLength(1)
      expect(testDestination.results[testDestination.results.length - 1].data).toEqual({
        message: `The Appcues segment "${AUDIENCE}" does not exist, so nobody is in it and there is nobody to remove.`
      })
    })

    it.each([
      [
        createTestEvent({ type: 'track', userId: 'u1', event: 'Audience Entered', properties: {} }),
        {},
        'not an Engage audience change'
      ],
      [audienceTrack('u1', true), { userId: '   ' }, 'The User ID is empty.'],
      [audienceTrack('u1', true), { audience: ' ' }, 'The Audience Key is empty.']
    ])('refuses %#: an event it cannot sync, before any request', async (event, mapping, message) => {
      await expect(run(event, { audience: AUDIENCE, ...mapping })).rejects.toThrow(message)
    })

    it('names the key pair on a 401, and refuses a list it cannot read instead of creating a duplicate', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized', detail: 'bad key' })
      await expect(run(audienceTrack('u1', true))).rejects.toThrow('API Key and API Secret settings')
      nock(API).get(SEGMENTS).reply(200, { total: 3 })
      await expect(run(audienceTrack('u1', true))).rejects.toMatchObject({
        status: 400,
        code: 'UNKNOWN_ERROR',
        message: expect.stringContaining('Pick the segment in the Existing Appcues Segment field')
      })
    })
  })

  describe('batches', () => {
    it('send each audience as one add and one remove request, the last change of a user winning', async () => {
      listed({ id: 'seg-1', name: AUDIENCE })
      nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: ['u1', 'u3'] })
        .reply(200, { added: 2 })
        .post(`${SEGMENTS}/seg-1/remove_user_ids`, { user_ids: ['u2', 'u4'] })
        .reply(200, { removed: 2 })
      const { outcomes, requests } = await runBatch([
        audienceTrack('u1', true),
        audienceTrack('u2', true),
        audienceIdentify('u3', true),
        audienceTrack('u2', false),
        audienceTrack('u4', false),
        audienceTrack('u1', false),
        audienceTrack('u1', true),
        createTestEvent({ type: 'track', userId: 'u5', event: 'Audience Entered', context: { personas: personas() } })
      ])
      expect(requests).toHaveLength(3)
      expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 400])
      expect(outcomes[0]).toMatchObject({ sent: { user_ids: ['u1', 'u3'] }, body: { added: 2 } })
      expect(outcomes[1]).toMatchObject({ sent: { user_ids: ['u2', 'u4'] }, body: { removed: 2 } })
      expect(outcomes[7].errormessage).toContain('not an Engage audience change')
    })

    it('list the segments once and create a missing one once: 300 changes take 4 requests', async () => {
      nock(API).get(SEGMENTS).reply(200, []).post(SEGMENTS).reply(201, { id: 'seg-new', name: AUDIENCE })
      nock(API).post(`${SEGMENTS}/seg-new/add_user_ids`).reply(200, {})
      nock(API).post(`${SEGMENTS}/seg-new/remove_user_ids`).reply(200, {})
      const { outcomes, requests } = await runBatch(
        Array.from({ length: 300 }, (_, i) => audienceTrack(`user-${i % 200}`, i % 3 !== 0))
      )
      expect(requests).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-new/add_user_ids`,
        `POST ${SEGMENTS}/seg-new/remove_user_ids`
      ])
      expect(outcomes.every((outcome) => outcome.status === 200)).toBe(true)
    })

    it('fail only the events of a segment that could not be created or found, keeping their status', async () => {
      listed({ id: 'seg-a', name: 'audience_a' })
      nock(API)
        .post(SEGMENTS, (body: { name: string }) => body.name === 'audience_b')
        .reply(500, { title: 'Internal Server Error', detail: 'could not create' })
        .post(SEGMENTS, (body: { name: string }) => body.name === 'audience_c')
        .reply(202)
      listed({ id: 'seg-a', name: 'audience_a' })
      nock(API)
        .post(`${SEGMENTS}/seg-a/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, {})
      const { outcomes } = await runBatch([
        audienceTrack('u1', true, 'audience_a'),
        audienceTrack('u2', true, 'audience_b'),
        audienceTrack('u3', true, 'audience_c')
      ])
      expect(outcomes[0].status).toBe(200)
      expect(outcomes[1]).toMatchObject({ status: 500, errortype: 'INTERNAL_SERVER_ERROR' })
      expect(outcomes[1].errormessage).toContain('could not create')
      expect(outcomes[2]).toMatchObject({ status: 503, errortype: 'RETRYABLE_ERROR' })
    })

    it('give every event the 401 naming the key pair when the list is refused, and nothing else is sent', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized' })
      const { outcomes, requests } = await runBatch([audienceTrack('u1', true), audienceTrack('u2', false, 'other')])
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ status: 401, errortype: 'INVALID_AUTHENTICATION' })
        expect(outcome.errormessage).toContain('API Key and API Secret settings')
      }
      expect(requests).toEqual([`GET ${SEGMENTS}`])
    })

    it('give each request’s events its own outcome: a rate-limited direction fails, the other succeeds', async () => {
      listed({ id: 'seg-1', name: AUDIENCE })
      nock(API).post(`${SEGMENTS}/seg-1/add_user_ids`).reply(429, { title: 'Too Many Requests' })
      nock(API).post(`${SEGMENTS}/seg-1/remove_user_ids`).reply(200, {})
      const { outcomes } = await runBatch([audienceTrack('u1', true), audienceTrack('u2', false)])
      expect(outcomes[0]).toMatchObject({ status: 429, errortype: 'TOO_MANY_REQUESTS' })
      expect(outcomes[1].status).toBe(200)
    })

    it('split more than 1000 users of one segment into requests, each event getting its request’s outcome', async () => {
      const users = Array.from({ length: 1002 }, (_, i) => `user-${i}`)
      listed({ id: 'seg-1', name: AUDIENCE })
      nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: users.slice(0, 1000) })
        .reply(200, {})
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: users.slice(1000) })
        .reply(503, {})
      const { outcomes, requests } = await runBatch(users.map((user) => audienceTrack(user, true)))
      expect(requests).toHaveLength(3)
      expect(outcomes.slice(0, 1000).every((outcome) => outcome.status === 200)).toBe(true)
      expect(outcomes.slice(1000).map((outcome) => outcome.status)).toEqual([503, 503])
    })

    it('keep each request body under 1 MB, in order', () => {
      const ids = ['a', 'b', 'c'].map((letter) => letter.repeat(400_000))
      const chunks = userIdChunks(ids)
      expect(chunks.map((chunk) => chunk.length)).toEqual([2, 1])
      for (const chunk of chunks) expect(JSON.stringify({ user_ids: chunk }).length).toBeLessThanOrEqual(1024 * 1024)
    })
  })

  describe('segment picker', () => {
    it.each([
      [
        [
          { id: 'seg-1', name: 'Trial users' },
          { id: 2, name: '' }
        ]
      ],
      [{ data: [{ id: 'seg-1', name: 'Trial users' }, { id: 2 }, { name: 'no id' }], next: null }],
      [
        {
          segments: [
            { id: 'seg-1', name: 'Trial users' },
            { id: 2, name: '' }
          ]
        }
      ]
    ])('offers the account’s segments by name from the list %j', async (body) => {
      nock(API).get(SEGMENTS).reply(200, body)
      const answer = await testDestination.testDynamicField('syncAudience', 'segmentId', { settings, payload: {} })
      expect(answer).toEqual({
        choices: [
          { label: 'Trial users', value: 'seg-1' },
          { label: '2', value: '2' }
        ]
      })
    })

    it('explains a failed list instead of throwing', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized' })
      const answer = await testDestination.testDynamicField('syncAudience', 'segmentId', { settings, payload: {} })
      expect(answer).toMatchObject({
        choices: [],
        error: { message: expect.stringContaining('API Key and API Secret'), code: 'INVALID_AUTHENTICATION' }
      })
      nock(API).get(SEGMENTS).reply(500, {})
      expect(
        await testDestination.testDynamicField('syncAudience', 'segmentId', { settings, payload: {} })
      ).toMatchObject({ error: { code: 'INTERNAL_SERVER_ERROR' } })
    })
  })
})
