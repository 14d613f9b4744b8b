import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { failure } from '../../__tests__/__helpers__/failure'
import { MAX_USER_IDS_PER_REQUEST, userIdChunks } from '../changes'
import { segmentsFromListAnswer } from '../segment-list'
import { AUDIENCE_CHANGES } from '..'

const testDestination = createTestIntegration(destination)

const API = 'https://api.appcues.com'
const ACCOUNT = '/v2/accounts/123'
const SEGMENTS = `${ACCOUNT}/segments`
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const AUDIENCE = 'trial_invited'

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

const personas = (key = AUDIENCE) => ({
  computation_class: 'audience',
  computation_key: key,
  computation_id: 'aud_2fXk9',
  space_id: 'spa_1'
})

/** An Engage "Audience Entered"/"Audience Exited" track call. */
function audienceTrack(userId: string, entered: boolean, key = AUDIENCE): SegmentEvent {
  return createTestEvent({
    type: 'track',
    userId,
    event: entered ? 'Audience Entered' : 'Audience Exited',
    properties: { audience_key: key, [key]: entered },
    context: { personas: personas(key) },
    timestamp: '2024-05-01T12:00:00.000Z'
  })
}

/** An Engage identify call carrying the membership as a trait. */
function audienceIdentify(userId: string, member: boolean, key = AUDIENCE): SegmentEvent {
  return createTestEvent({
    type: 'identify',
    userId,
    traits: { [key]: member },
    properties: undefined,
    context: { personas: personas(key) },
    timestamp: '2024-05-01T12:00:00.000Z'
  })
}

function run(event: SegmentEvent, mapping: Record<string, unknown> = {}) {
  return testDestination.testAction('syncAudience', {
    event,
    settings,
    useDefaultMappings: true,
    mapping: mapping as never
  })
}

/** Runs a batch; `requests` lists the method and path of every request it made, in order. */
const requests: string[] = []

async function runBatch(events: SegmentEvent[], mapping: Record<string, unknown> = {}): Promise<Outcome[]> {
  requests.length = 0
  const responses = await testDestination.testBatchAction('syncAudience', {
    events,
    settings,
    useDefaultMappings: true,
    mapping: mapping as never
  })
  requests.push(...responses.map((response) => `${response.request.method} ${new URL(response.url).pathname}`))
  const outcomes = testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
  expect(outcomes).toHaveLength(events.length)
  return outcomes
}

describe('Appcues.syncAudience', () => {
  beforeEach(() => {
    testDestination.responses = []
  })

  describe('default subscription', () => {
    const parsed = parseFql(AUDIENCE_CHANGES)
    const matches = (event: Record<string, unknown>) => validate(parsed, event)
    const engage = { personas: personas() }

    it('matches Engage audience entries, exits and audience identify calls', () => {
      expect(matches({ type: 'track', event: 'Audience Entered', context: engage })).toBe(true)
      expect(matches({ type: 'track', event: 'Audience Exited', context: engage })).toBe(true)
      expect(matches({ type: 'identify', context: engage, traits: { [AUDIENCE]: true } })).toBe(true)
    })

    it('does not match other calls', () => {
      expect(matches({ type: 'identify', traits: { plan: 'pro' } })).toBe(false)
      expect(matches({ type: 'track', event: 'Audience Entered' })).toBe(false)
      expect(
        matches({
          type: 'track',
          event: 'Audience Entered',
          context: { personas: { ...personas(), computation_class: 'trait' } }
        })
      ).toBe(false)
      expect(matches({ type: 'track', event: 'Signed Up', context: engage })).toBe(false)
      expect(matches({ type: 'page', context: engage })).toBe(false)
    })
  })

  describe('one event', () => {
    it('adds a user who entered the audience to the existing segment of the same name', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [
          { id: 'seg-other', name: 'other' },
          { id: 'seg-1', name: AUDIENCE }
        ])
      const add = nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, { ok: true })

      const responses = await run(audienceTrack('u1', true))

      expect(add.isDone()).toBe(true)
      expect(responses.map((response) => `${response.request.method} ${new URL(response.url).pathname}`)).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-1/add_user_ids`
      ])
      expect(responses[1].request.headers.get('authorization')).toBe(
        `Basic ${Buffer.from('key-1:secret-1').toString('base64')}`
      )
    })

    it('removes a user who left the audience', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      const remove = nock(API)
        .post(`${SEGMENTS}/seg-1/remove_user_ids`, { user_ids: ['u1'] })
        .reply(204)

      await run(audienceTrack('u1', false))

      expect(remove.isDone()).toBe(true)
    })

    it('reads the membership of an identify call from the trait named by the audience key', async () => {
      nock(API)
        .get(SEGMENTS)
        .times(2)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      const add = nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, {})
      const remove = nock(API)
        .post(`${SEGMENTS}/seg-1/remove_user_ids`, { user_ids: ['u2'] })
        .reply(200, {})

      await run(audienceIdentify('u1', true))
      await run(audienceIdentify('u2', false))

      expect(add.isDone()).toBe(true)
      expect(remove.isDone()).toBe(true)
    })

    it('creates the segment when none has the name, with a description saying Segment syncs it', async () => {
      nock(API).get(SEGMENTS).reply(200, { data: [] })
      const create = nock(API)
        .post(SEGMENTS, (body: { name: string; description: string }) => {
          return body.name === AUDIENCE && /Segment/.test(body.description) && body.description.includes(AUDIENCE)
        })
        .reply(201, { id: 'seg-new', name: AUDIENCE })
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-new', name: AUDIENCE }])
      const add = nock(API)
        .post(`${SEGMENTS}/seg-new/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, {})

      await run(audienceTrack('u1', true))

      expect(create.isDone()).toBe(true)
      expect(add.isDone()).toBe(true)
    })

    it('makes events delivered in parallel that each created the segment use the first one listed', async () => {
      const created: Array<{ id: string; name: string }> = []
      nock(API)
        .get(SEGMENTS)
        .times(4)
        .reply(200, () => created)
      nock(API)
        .post(SEGMENTS)
        .times(2)
        .reply(201, () => {
          const segment = { id: `seg-${created.length + 1}`, name: AUDIENCE }
          created.push(segment)
          return segment
        })
      const adds: string[] = []
      nock(API)
        .post(/\/segments\/[^/]+\/add_user_ids$/)
        .times(2)
        .reply(200, (uri) => {
          adds.push(uri.split('/')[5])
          return {}
        })

      await Promise.all([run(audienceTrack('u1', true)), run(audienceTrack('u2', true))])

      expect(adds).toEqual(['seg-1', 'seg-1'])
    })

    it('uses the mapped segment name instead of the audience key', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-9', name: 'Trial users who invited a teammate' }])
      const add = nock(API).post(`${SEGMENTS}/seg-9/add_user_ids`).reply(200, {})

      await run(audienceTrack('u1', true), { segmentName: 'Trial users who invited a teammate' })

      expect(add.isDone()).toBe(true)
    })

    it('sends straight to a picked segment, percent-encoding its ID, without listing or creating', async () => {
      const add = nock(API)
        .post(`${SEGMENTS}/a%2Fb%3Fc/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, {})

      const responses = await run(audienceTrack('u1', true), { segmentId: 'a/b?c' })

      expect(add.isDone()).toBe(true)
      expect(responses).toHaveLength(1)
    })

    it('says how to fix a picked segment that Appcues does not know', async () => {
      nock(API).post(`${SEGMENTS}/gone/add_user_ids`).reply(404, { title: 'Not Found', detail: 'segment not found' })

      const error = await failure(run(audienceTrack('u1', true), { segmentId: 'gone' }))

      expect(error.status).toBe(404)
      expect(error.message).toContain('segment not found')
      expect(error.message).toContain('Existing Appcues Segment ("gone")')
    })

    it('creates nothing and sends nothing when a user leaves an audience whose segment does not exist', async () => {
      nock(API).get(SEGMENTS).reply(200, [])

      const responses = await run(audienceTrack('u1', false))

      expect(responses).toHaveLength(1)
      expect(testDestination.results[testDestination.results.length - 1].data).toEqual({
        message: `The Appcues segment "${AUDIENCE}" does not exist, so nobody is in it and there is nobody to remove.`
      })
    })

    it('lets a mapped In Audience value decide the membership', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      const remove = nock(API).post(`${SEGMENTS}/seg-1/remove_user_ids`).reply(200, {})

      await run(audienceTrack('u1', true), { membership: false })

      expect(remove.isDone()).toBe(true)
    })

    it('rejects an event that is not an Engage audience change, naming the audience key and the fix', async () => {
      const event = createTestEvent({ type: 'track', userId: 'u1', event: 'Audience Entered', properties: {} })

      const error = await failure(run(event, { audience: AUDIENCE }))

      expect(error).toBeInstanceOf(PayloadValidationError)
      expect(error.message).toContain('not an Engage audience change')
      expect(error.message).toContain(`"${AUDIENCE}"`)
      expect(error.message).toContain('In Audience')
      expect(testDestination.responses).toHaveLength(0)
    })

    it('rejects an event without a user ID', async () => {
      const event = audienceTrack('', true)

      const error = await failure(run(event, { userId: '   ' }))

      expect(error).toBeInstanceOf(PayloadValidationError)
      expect(error.message).toContain('User ID')
    })

    it('names the API key pair when Appcues answers 401', async () => {
      nock(API).get(SEGMENTS).reply(401, { error: true, status: 401, title: 'Unauthorized', detail: 'bad key' })

      const error = await failure(run(audienceTrack('u1', true)))

      expect(error).toBeInstanceOf(InvalidAuthenticationError)
      expect(error.message).toContain('API Key and API Secret settings')
      expect(error.message).not.toContain('secret-1')
    })

    it.each([429, 500, 503])('makes a %s answer retryable', async (status) => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      nock(API).post(`${SEGMENTS}/seg-1/add_user_ids`).reply(status, { title: 'busy' })

      const error = await failure(run(audienceTrack('u1', true)))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.status).toBe(status)
    })

    it('re-reads the list when the created segment comes back without an ID', async () => {
      nock(API).get(SEGMENTS).reply(200, [])
      nock(API).post(SEGMENTS).reply(201)
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 77, name: AUDIENCE }])
      const add = nock(API).post(`${SEGMENTS}/77/add_user_ids`).reply(200, {})

      await run(audienceTrack('u1', true))

      expect(add.isDone()).toBe(true)
    })

    it('retries later when the created segment has no ID and is not listed yet', async () => {
      nock(API).get(SEGMENTS).times(2).reply(200, [])
      nock(API).post(SEGMENTS).reply(202)

      const error = await failure(run(audienceTrack('u1', true)))

      expect(error).toBeInstanceOf(RetryableError)
      expect(error.message).toContain(`"${AUDIENCE}"`)
    })

    it('refuses a segment list it cannot read instead of creating a duplicate segment', async () => {
      nock(API).get(SEGMENTS).reply(200, { total: 3 })

      const error = await failure(run(audienceTrack('u1', true)))

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error.status).toBe(400)
      expect(error.message).toContain('Existing Appcues Segment')
      expect(testDestination.responses).toHaveLength(1)
    })
  })

  describe('segment list shapes', () => {
    it.each([
      ['a bare array', [{ id: 's1', name: 'a' }]],
      ['an object wrapping the array', { data: [{ id: 's1', name: 'a' }], next: null }],
      ['another wrapper key', { segments: [{ id: 's1', name: 'a' }] }]
    ])('reads %s', (_, body) => {
      expect(segmentsFromListAnswer(body)).toEqual([{ id: 's1', name: 'a' }])
    })

    it.each([
      ['a bare array', [{ id: 'seg-1', name: AUDIENCE }]],
      ['an object wrapping the array', { data: [{ id: 'seg-1', name: AUDIENCE }] }]
    ])('finds the segment in %s answered by Appcues', async (_, body) => {
      nock(API).get(SEGMENTS).reply(200, body)
      const add = nock(API).post(`${SEGMENTS}/seg-1/add_user_ids`).reply(200, {})

      await run(audienceTrack('u1', true))

      expect(add.isDone()).toBe(true)
    })
  })

  describe('batches', () => {
    it('sends a batch of mixed directions and repeats as one add and one remove, the last change of a user winning', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      const add = nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: ['u1', 'u3'] })
        .reply(200, { added: 2 })
      const remove = nock(API)
        .post(`${SEGMENTS}/seg-1/remove_user_ids`, { user_ids: ['u2', 'u4'] })
        .reply(200, { removed: 2 })

      const outcomes = await runBatch([
        audienceTrack('u1', true),
        audienceTrack('u2', true),
        audienceIdentify('u3', true),
        audienceTrack('u2', false),
        audienceTrack('u4', false),
        audienceTrack('u1', false),
        audienceTrack('u1', true)
      ])

      expect(add.isDone()).toBe(true)
      expect(remove.isDone()).toBe(true)
      expect(requests).toHaveLength(3)
      expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 200, 200, 200, 200, 200, 200])
      expect(outcomes[0]).toMatchObject({ sent: { user_ids: ['u1', 'u3'] }, body: { added: 2 } })
      expect(outcomes[1]).toMatchObject({ sent: { user_ids: ['u2', 'u4'] }, body: { removed: 2 } })
    })

    it('re-reads the list once when the created segment comes back without an ID (5 requests)', async () => {
      nock(API).get(SEGMENTS).reply(200, [])
      nock(API).post(SEGMENTS).reply(201)
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 77, name: AUDIENCE }])
      nock(API)
        .post(`${SEGMENTS}/77/add_user_ids`, { user_ids: ['u1', 'u2'] })
        .reply(200, {})
      nock(API)
        .post(`${SEGMENTS}/77/remove_user_ids`, { user_ids: ['u3'] })
        .reply(200, {})

      const outcomes = await runBatch([
        audienceTrack('u1', true),
        audienceTrack('u2', true),
        audienceTrack('u3', false)
      ])

      expect(requests).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}`,
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}/77/add_user_ids`,
        `POST ${SEGMENTS}/77/remove_user_ids`
      ])
      expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 200, 200])
    })

    it('fails the events of a segment whose created ID cannot be found, as retryable, and no others', async () => {
      nock(API)
        .get(SEGMENTS)
        .times(2)
        .reply(200, [{ id: 'seg-9', name: 'other' }])
      nock(API).post(SEGMENTS).reply(202)
      nock(API)
        .post(`${SEGMENTS}/seg-9/add_user_ids`, { user_ids: ['u2'] })
        .reply(200, {})

      const outcomes = await runBatch([audienceTrack('u1', true), audienceTrack('u2', true, 'other')])

      expect(outcomes[0]).toMatchObject({ status: 503, errortype: 'RETRYABLE_ERROR' })
      expect(outcomes[1]).toMatchObject({ status: 200 })
    })

    it('splits the users of one segment into requests of at most MAX_USER_IDS_PER_REQUEST ids, each event getting the result of its own request', async () => {
      const users = Array.from({ length: MAX_USER_IDS_PER_REQUEST + 2 }, (_, i) => `user-${i}`)
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: users.slice(0, MAX_USER_IDS_PER_REQUEST) })
        .reply(200, {})
      nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: users.slice(MAX_USER_IDS_PER_REQUEST) })
        .reply(503, {})

      const outcomes = await runBatch(users.map((user) => audienceTrack(user, true)))

      expect(requests).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-1/add_user_ids`,
        `POST ${SEGMENTS}/seg-1/add_user_ids`
      ])
      expect(outcomes.slice(0, MAX_USER_IDS_PER_REQUEST).every((outcome) => outcome.status === 200)).toBe(true)
      expect(outcomes.slice(MAX_USER_IDS_PER_REQUEST).map((outcome) => outcome.status)).toEqual([503, 503])
    })

    it('takes at most 4 requests for 300 changes to one audience, and lists the segments once', async () => {
      nock(API).get(SEGMENTS).reply(200, [])
      nock(API).post(SEGMENTS).reply(201, { id: 'seg-new', name: AUDIENCE })
      nock(API).post(`${SEGMENTS}/seg-new/add_user_ids`).reply(200, {})
      nock(API).post(`${SEGMENTS}/seg-new/remove_user_ids`).reply(200, {})
      const events = Array.from({ length: 300 }, (_, i) => audienceTrack(`user-${i % 200}`, i % 3 !== 0))

      const outcomes = await runBatch(events)

      expect(requests).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-new/add_user_ids`,
        `POST ${SEGMENTS}/seg-new/remove_user_ids`
      ])
      expect(outcomes.every((outcome) => outcome.status === 200)).toBe(true)
      expect(nock.isDone()).toBe(true)
    })

    it('fails only the events of a segment whose creation failed', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-a', name: 'audience_a' }])
      nock(API)
        .post(SEGMENTS, { name: 'audience_b', description: /audience_b/ as unknown as string })
        .reply(500, { title: 'Internal Server Error', detail: 'could not create' })
      const add = nock(API)
        .post(`${SEGMENTS}/seg-a/add_user_ids`, { user_ids: ['u1', 'u3'] })
        .reply(200, {})

      const outcomes = await runBatch([
        audienceTrack('u1', true, 'audience_a'),
        audienceTrack('u2', true, 'audience_b'),
        audienceTrack('u3', true, 'audience_a'),
        audienceTrack('u4', true, 'audience_b')
      ])

      expect(add.isDone()).toBe(true)
      expect(outcomes[0].status).toBe(200)
      expect(outcomes[2].status).toBe(200)
      for (const failed of [outcomes[1], outcomes[3]]) {
        expect(failed).toMatchObject({ status: 500, errortype: 'RETRYABLE_ERROR' })
        expect(failed.errormessage).toContain('could not create')
      }
    })

    it('fails a non-audience event alone and syncs the others', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`, { user_ids: ['u1'] })
        .reply(200, {})
      const plain = createTestEvent({ type: 'track', userId: 'u2', event: 'Audience Entered', properties: {} })

      const outcomes = await runBatch([audienceTrack('u1', true), { ...plain, context: { personas: personas() } }])

      expect(outcomes[0].status).toBe(200)
      expect(outcomes[1]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
      expect(outcomes[1].errormessage).toContain('not an Engage audience change')
    })

    it('gives every event of a batch the 401 that names the key pair when the list is refused', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized' })

      const outcomes = await runBatch([audienceTrack('u1', true), audienceTrack('u2', false, 'other')])

      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ status: 401, errortype: 'INVALID_AUTHENTICATION' })
        expect(outcome.errormessage).toContain('API Key and API Secret settings')
      }
      expect(requests).toEqual([`GET ${SEGMENTS}`])
    })

    it('marks the events of a rate-limited request retryable and keeps the other direction’s success', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-1', name: AUDIENCE }])
      nock(API)
        .post(`${SEGMENTS}/seg-1/add_user_ids`)
        .reply(429, { title: 'Too Many Requests' }, { 'retry-after': '2' })
      nock(API).post(`${SEGMENTS}/seg-1/remove_user_ids`).reply(200, {})

      const outcomes = await runBatch([audienceTrack('u1', true), audienceTrack('u2', false)])

      expect(outcomes[0]).toMatchObject({ status: 429, errortype: 'RETRYABLE_ERROR' })
      expect(outcomes[1].status).toBe(200)
    })
  })

  describe('chunking', () => {
    it('splits ids by count under one constant, in order', () => {
      const ids = Array.from({ length: MAX_USER_IDS_PER_REQUEST * 2 + 1 }, (_, i) => `u${i}`)
      const chunks = userIdChunks(ids)
      expect(chunks.map((chunk) => chunk.length)).toEqual([MAX_USER_IDS_PER_REQUEST, MAX_USER_IDS_PER_REQUEST, 1])
      expect(chunks.flat()).toEqual(ids)
    })

    it('splits ids so that each body stays under the byte limit', () => {
      const ids = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)]
      const chunks = userIdChunks(ids, 1000, 100)
      for (const chunk of chunks) expect(JSON.stringify({ user_ids: chunk }).length).toBeLessThanOrEqual(100)
      expect(chunks.flat()).toEqual(ids)
      expect(chunks).toHaveLength(2)
    })
  })

  describe('dynamic segment picker', () => {
    it('offers the account’s segments by name', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, {
          data: [
            { id: 'seg-1', name: 'Trial users' },
            { id: 2, name: 'Admins' }
          ]
        })

      const answer = await testDestination.testDynamicField('syncAudience', 'segmentId', { settings, payload: {} })

      expect(answer).toEqual({
        choices: [
          { label: 'Trial users', value: 'seg-1' },
          { label: 'Admins', value: '2' }
        ]
      })
    })

    it('explains a failed list instead of throwing', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized' })

      const answer = await testDestination.testDynamicField('syncAudience', 'segmentId', { settings, payload: {} })

      expect(answer).toMatchObject({
        choices: [],
        error: { message: expect.stringContaining('API Key and API Secret') }
      })
    })
  })
})
