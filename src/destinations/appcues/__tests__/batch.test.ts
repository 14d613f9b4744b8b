import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../index'
import { erasureChunks } from '../deleteUser'

const API = 'https://api.appcues.com'
const ACCOUNT = '/v2/accounts/42'
const settings = { apiKey: 'key', apiSecret: 'secret', accountId: 42, region: 'US', legacyApiKey: 'legacy' }

const testDestination = createTestIntegration(destination)

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

async function runBatch(action: string, events: Partial<SegmentEvent>[]): Promise<Outcome[]> {
  await testDestination.testBatchAction(action, {
    events: events.map((event) => createTestEvent({ timestamp: '2024-05-01T10:00:00.000Z', ...event })),
    settings,
    useDefaultMappings: true
  })
  const outcomes = testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
  expect(outcomes).toHaveLength(events.length)
  return outcomes
}

const identify = (userId: string | undefined, traits: Record<string, unknown>) =>
  ({ type: 'identify', userId, traits } as Partial<SegmentEvent>)

describe('identifyUser batches', () => {
  it('merges the traits of each user in order (later values win) and sends one PATCH per user', async () => {
    const bodies: Record<string, unknown> = {}
    nock(API)
      .patch(/\/v2\/accounts\/42\/users\/[^/]+\/profile/)
      .times(2)
      .reply(200, function (uri, body) {
        bodies[decodeURIComponent(uri.split('/')[5])] = body
        return { ok: true }
      })

    const outcomes = await runBatch('identifyUser', [
      identify('u1', { plan: 'free', seats: 1 }),
      identify('u2', { plan: 'pro' }),
      identify('u1', { seats: 5, company: { name: 'Acme' }, trial: null })
    ])

    expect(bodies).toEqual({
      u1: { plan: 'free', seats: 5, company_name: 'Acme', trial: null },
      u2: { plan: 'pro' }
    })
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200])
    expect(outcomes[0].sent).toEqual(bodies.u1)
    expect(nock.isDone()).toBe(true)
  })

  it('fails an invalid event alone, with a message naming the field, and still sends the others', async () => {
    nock(API).patch(`${ACCOUNT}/users/u1/profile`, { plan: 'pro' }).reply(200, {})

    const outcomes = await runBatch('identifyUser', [
      identify('u1', { plan: 'pro' }),
      identify('u2', { a: { b: 1 }, a_b: 2 }),
      identify(undefined, { plan: 'x' })
    ])

    expect(outcomes[0].status).toBe(200)
    expect(outcomes[1]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
    expect(outcomes[1].errormessage).toContain('User Traits')
    expect(outcomes[1].errormessage).toContain('a_b')
    expect(outcomes[2]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
    expect(outcomes[2].errormessage).toContain('userId')
    expect(nock.isDone()).toBe(true)
  })

  it('gives each user’s events that user’s outcome when Appcues fails some requests', async () => {
    nock(API).patch(`${ACCOUNT}/users/u1/profile`).reply(200, {})
    nock(API)
      .patch(`${ACCOUNT}/users/u2/profile`)
      .reply(500, { error: true, status: 500, title: 'Internal Server Error', detail: 'database busy' })
    nock(API)
      .patch(`${ACCOUNT}/users/u3/profile`)
      .reply(400, { error: true, status: 400, title: 'Bad Request', detail: 'invalid attribute' })

    const outcomes = await runBatch('identifyUser', [
      identify('u1', { a: 1 }),
      identify('u2', { a: 2 }),
      identify('u3', { a: 3 }),
      identify('u2', { b: 2 })
    ])

    expect(outcomes.map((o) => o.status)).toEqual([200, 500, 400, 500])
    expect(outcomes[1]).toMatchObject({ errortype: 'RETRYABLE_ERROR', sent: { a: 2, b: 2 } })
    expect(outcomes[1].errormessage).toContain('database busy')
    expect(outcomes[1].body).toEqual({
      error: true,
      status: 500,
      title: 'Internal Server Error',
      detail: 'database busy'
    })
    expect(outcomes[2]).toMatchObject({ errortype: 'BAD_REQUEST' })
    expect(outcomes[2].errormessage).toContain('invalid attribute')
  })

  it('keeps every event of a batch retryable when Appcues answers 429 to all of it', async () => {
    nock(API)
      .patch(/\/profile$/)
      .times(3)
      .reply(429, { error: true, title: 'rate limited' }, { 'Retry-After': '2' })

    const outcomes = await runBatch('identifyUser', [
      identify('a', { x: 1 }),
      identify('b', { x: 1 }),
      identify('c', {})
    ])

    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 429, errortype: 'RETRYABLE_ERROR' })
      expect(outcome.errormessage).toContain('rate limited')
    }
  })
})

describe('identifyGroup batches', () => {
  const group = (groupId: string, userId: string | undefined, traits: Record<string, unknown>) =>
    ({ type: 'group', groupId, userId, traits } as Partial<SegmentEvent>)

  it('sends one PATCH per group and one association call per group with all its users', async () => {
    nock(API).patch(`${ACCOUNT}/groups/g1/profile`, { name: 'Acme', plan: 'pro', size: 10 }).reply(200, {})
    nock(API)
      .post(`${ACCOUNT}/groups/g1/users`, { user_ids: ['u1', 'u2'] })
      .reply(204)
    nock(API).patch(`${ACCOUNT}/groups/g2/profile`, { name: 'Globex' }).reply(200, {})

    const outcomes = await runBatch('identifyGroup', [
      group('g1', 'u1', { name: 'Acme', plan: 'free' }),
      group('g2', undefined, { name: 'Globex' }),
      group('g1', 'u2', { plan: 'pro' }),
      group('g1', 'u1', { size: 10 })
    ])

    expect(outcomes.map((o) => o.status)).toEqual([204, 200, 204, 204])
    expect(nock.isDone()).toBe(true)
  })

  it('fails only the events that carried a user when the association call fails', async () => {
    nock(API).patch(`${ACCOUNT}/groups/g1/profile`).reply(200, {})
    nock(API).post(`${ACCOUNT}/groups/g1/users`).reply(404, { error: true, title: 'Not Found', detail: 'no such user' })

    const outcomes = await runBatch('identifyGroup', [group('g1', undefined, { a: 1 }), group('g1', 'u1', { b: 1 })])

    expect(outcomes[0].status).toBe(200)
    expect(outcomes[1]).toMatchObject({ status: 404, sent: { user_ids: ['u1'] } })
    expect(outcomes[1].errormessage).toContain('no such user')
  })

  it('does not associate users when the group update fails, and reports the update error for every event', async () => {
    nock(API).patch(`${ACCOUNT}/groups/g1/profile`).reply(503, 'upstream unavailable')

    const outcomes = await runBatch('identifyGroup', [group('g1', 'u1', {}), group('g1', undefined, {})])

    expect(outcomes.map((o) => o.status)).toEqual([503, 503])
    expect(outcomes[0].errormessage).toContain('upstream unavailable')
    expect(nock.isDone()).toBe(true)
  })
})

describe('deleteUser batches', () => {
  const del = (userId: string) => ({ type: 'track', event: 'User Deleted', userId } as Partial<SegmentEvent>)

  it('erases all ids of a batch in one call, each id once, and gives every event the outcome', async () => {
    nock(API)
      .post('/v1/gdpr/delete', { users: ['a', 'b/../c', 'd'] })
      .basicAuth({ user: 'legacy', pass: '' })
      .reply(200, { ok: true, message: 'accepted 3 users for deletion' })

    const outcomes = await runBatch('deleteUser', [del('a'), del('b/../c'), del('a'), del('d')])

    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200])
    expect(nock.isDone()).toBe(true)
  })

  it('splits ids into calls that stay under the size limit, in order', () => {
    const ids = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']
    const bodyBytes = (chunk: string[]) => Buffer.byteLength(JSON.stringify({ users: chunk }))
    const chunks = erasureChunks(ids, bodyBytes(['aaaa', 'bbbb']))
    expect(chunks).toEqual([['aaaa', 'bbbb'], ['cccc', 'dddd'], ['eeee']])
    for (const chunk of chunks) expect(bodyBytes(chunk)).toBeLessThanOrEqual(bodyBytes(['aaaa', 'bbbb']))
    expect(erasureChunks(['x'.repeat(100)], 10)).toEqual([['x'.repeat(100)]])
  })

  it('reports each chunk’s outcome on its own events when the batch is split', async () => {
    const big = (letter: string) => letter.repeat(400 * 1024)
    const sentChunks: string[][] = []
    nock(API)
      .post('/v1/gdpr/delete')
      .reply(200, (_uri, body) => {
        sentChunks.push((body as { users: string[] }).users.map((id) => id[0]))
        return { ok: true }
      })
    nock(API).post('/v1/gdpr/delete').reply(500, { title: 'Internal Server Error' })

    const outcomes = await runBatch('deleteUser', [del(big('a')), del(big('b')), del(big('c'))])

    expect(sentChunks).toEqual([['a', 'b']])
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 500])
  })
})

describe('trackEvent and pageView batches', () => {
  it('sends one request per event and fails an over-long event name alone', async () => {
    const names: string[] = []
    nock(API)
      .post(/\/users\/[^/]+\/events$/)
      .times(2)
      .reply(202, (_uri, body) => {
        names.push((body as { name: string }).name)
        return {}
      })

    const outcomes = await runBatch('trackEvent', [
      { type: 'track', userId: 'u1', event: 'Signed Up' },
      { type: 'track', userId: 'u1', event: 'x'.repeat(128) },
      { type: 'track', userId: 'u2', event: 'Plan Changed' }
    ])

    expect(names.sort()).toEqual(['Plan Changed', 'Signed Up'])
    expect(outcomes[0].status).toBe(202)
    expect(outcomes[1]).toMatchObject({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED' })
    expect(outcomes[1].errormessage).toContain('Event Name')
    expect(outcomes[2].status).toBe(202)
  })

  it('reports a dropped connection for one page view as retryable without touching the others', async () => {
    nock(API).post(`${ACCOUNT}/users/u1/events`).reply(202, {})
    nock(API).post(`${ACCOUNT}/users/u2/events`).replyWithError({ code: 'ECONNRESET' })

    const outcomes = await runBatch('pageView', [
      { type: 'page', userId: 'u1', name: 'Home' },
      { type: 'page', userId: 'u2', name: 'Pricing' }
    ])

    expect(outcomes[0].status).toBe(202)
    expect(outcomes[1]).toMatchObject({ status: 503, errortype: 'RETRYABLE_ERROR' })
    expect(outcomes[1].errormessage).toContain('ECONNRESET')
  })
})
