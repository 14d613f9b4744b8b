import nock from 'nock'
import { createTestEvent, createTestIntegration, defaultValues } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const SEGMENTS = '/v2/accounts/123/segments'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const AUDIENCE = 'trial_invited'
/** The segment Engage created when the audience was connected; it comes with every event. */
const SEGMENT = 'seg-9'

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

interface ChangeOptions {
  type?: 'track' | 'identify'
  event?: string
  computationClass?: string
  key?: string
  /** The segment ID the event carries; null for none. */
  segment?: string | null
}

/**
 * An audience change as Engage audiences, Linked Audiences and Journeys send it: the membership is the property (track
 * call) or trait (identify call) named by the computation key.
 */
function change(userId: string, member: boolean, options: ChangeOptions = {}): SegmentEvent {
  const { type = 'track', key = AUDIENCE, segment = SEGMENT } = options
  const personas = {
    computation_class: options.computationClass ?? 'audience',
    computation_key: key,
    computation_id: 'aud_1',
    ...(segment === null ? {} : { external_audience_id: segment })
  }
  const membership =
    type === 'track'
      ? {
          event: options.event ?? (member ? 'Audience Entered' : 'Audience Exited'),
          properties: { audience_key: key, [key]: member }
        }
      : { traits: { [key]: member } }
  return createTestEvent({ type, userId, ...membership, context: { personas } })
}

const byName = (userId: string, member: boolean, key = AUDIENCE) => change(userId, member, { key, segment: null })

/** A Reverse ETL row: a track call named after the change of the model's row. */
const row = (userId: string, event: 'new' | 'updated' | 'deleted') =>
  createTestEvent({ type: 'track', userId, event, properties: { plan: 'pro' }, context: {} })

/** A Reverse ETL mapping: the segment its hook saved, and its sync mode (none when not given). */
const retlMapping = (mode?: string): JSONObject => ({
  ...(mode ? { __segment_internal_sync_mode: mode } : {}),
  retlOnMappingSave: { inputs: {}, outputs: { segmentId: 'seg-r', segmentName: 'Model users' } }
})

const run = (event: SegmentEvent, mapping: JSONObject = {}) =>
  testDestination.testAction('syncAudience', { event, settings, useDefaultMappings: true, mapping })

const paths = (responses: Array<{ request: Request; url: string }>) =>
  responses.map((response) => `${response.request.method} ${new URL(response.url).pathname}`)

async function runBatch(events: SegmentEvent[], mapping: JSONObject = {}) {
  const responses = await testDestination.testBatchAction('syncAudience', {
    events,
    settings,
    useDefaultMappings: true,
    mapping
  })
  const outcomes = testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
  expect(outcomes).toHaveLength(events.length)
  return { outcomes, requests: paths(responses) }
}

const listed = (...segments: Array<{ id: string | number; name: string }>) =>
  nock(API).get(SEGMENTS).reply(200, segments)

const members = (segment: string, direction: 'add' | 'remove', userIds?: string[]) =>
  nock(API).post(`${SEGMENTS}/${segment}/${direction}_user_ids`, userIds ? { user_ids: userIds } : undefined)

describe('Appcues.syncAudience', () => {
  // testAction keeps the responses of a call that failed.
  beforeEach(() => (testDestination.responses = []))

  describe('subscription and presets', () => {
    it('subscribes audience, Linked Audience and Journeys calls with a User ID, whatever the event is named', () => {
      const matches = (event: SegmentEvent) =>
        validate(parseFql(destination.actions.syncAudience.defaultSubscription ?? ''), event)
      expect(matches(change('u1', true))).toBe(true)
      expect(matches(change('u1', false, { type: 'identify' }))).toBe(true)
      expect(matches(change('u1', true, { event: 'Invited a Teammate' }))).toBe(true)
      expect(matches(change('u1', true, { computationClass: 'journey_step', event: 'Step Entered' }))).toBe(true)
      expect(matches(change('u1', true, { computationClass: 'trait' }))).toBe(false)
      expect(matches({ ...change('u1', true), userId: undefined })).toBe(false)
      expect(matches(row('u1', 'new'))).toBe(false)
    })

    it('has specificEvent presets for Linked Audiences and Journeys, with the action’s default mapping', () => {
      const presets = (destination.presets ?? []).filter((preset) => preset.partnerAction === 'syncAudience')
      expect(presets.map((preset) => [preset.name, preset.type === 'specificEvent' && preset.eventSlug])).toEqual([
        ['Entities Audience Membership Changed', 'warehouse_audience_membership_changed_identify'],
        ['Entities Audience Entered', 'warehouse_audience_entered_track'],
        ['Entities Audience Exited', 'warehouse_audience_exited_track'],
        ['Journeys Step Entered', 'journeys_step_entered_track']
      ])
      for (const preset of presets) {
        expect(preset.mapping).toEqual(defaultValues(destination.actions.syncAudience.fields))
      }
    })
  })

  describe('with the segment ID the event carries', () => {
    it('1,000 changes for one audience in a batch take one add and one remove request, and no lookup', async () => {
      const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`)
      const entering = users.filter((_, i) => i % 3 !== 0)
      const leaving = users.filter((_, i) => i % 3 === 0)
      const add = members(SEGMENT, 'add', entering).reply(200, { user_count: entering.length })
      const remove = members(SEGMENT, 'remove', leaving).reply(200, {})
      const { outcomes, requests } = await runBatch(users.map((user, i) => change(user, i % 3 !== 0)))
      expect(requests).toEqual([
        `POST ${SEGMENTS}/${SEGMENT}/add_user_ids`,
        `POST ${SEGMENTS}/${SEGMENT}/remove_user_ids`
      ])
      expect(add.isDone() && remove.isDone()).toBe(true)
      expect(outcomes.every((outcome) => outcome.status === 200)).toBe(true)
      expect(outcomes[1]).toMatchObject({ sent: { user_ids: entering }, body: { user_count: 666 } })
    })

    it.each([
      ['an Engage identify call', change('u1', false, { type: 'identify' }), 'remove'],
      ['a renamed audience event', change('u1', true, { event: 'Invited a Teammate' }), 'add'],
      ['a Linked Audience membership change', change('u1', true, { type: 'identify', key: 'la_buyers' }), 'add'],
      ['a Journeys step', change('u1', true, { computationClass: 'journey_step', key: 'step_2' }), 'add'],
      ['a segment ID to encode', change('u1', true, { segment: 'a/b?c' }), 'add']
    ])('sends %s straight to its segment', async (_, event, direction) => {
      const segment = encodeURIComponent(event.context?.personas?.external_audience_id as string)
      const sent = members(segment, direction as 'add', ['u1'])
        .matchHeader('authorization', 'Basic a2V5LTE6c2VjcmV0LTE=')
        .reply(200, {})
      expect(paths(await run(event))).toEqual([`POST ${SEGMENTS}/${segment}/${direction}_user_ids`])
      expect(sent.isDone()).toBe(true)
    })

    it('says what to do when the audience’s segment was deleted in Appcues', async () => {
      members(SEGMENT, 'add').reply(404, { title: 'Not Found', detail: 'segment not found' })
      const attempt = run(change('u1', true))
      await expect(attempt).rejects.toMatchObject({ status: 404 })
      await expect(attempt).rejects.toThrow(/segment not found\. Appcues has no segment "seg-9" in this account/)
      await expect(attempt).rejects.toThrow('Remove the audience from Appcues (Actions) in Engage and connect it again')
    })
  })

  describe('Reverse ETL rows', () => {
    it.each([
      ['mirror', 'new', 'add'],
      ['mirror', 'updated', 'add'],
      ['mirror', 'deleted', 'remove'],
      ['add', 'new', 'add'],
      ['delete', 'deleted', 'remove'],
      [undefined, 'updated', 'add'],
      [undefined, 'deleted', 'remove']
    ] as const)('with the sync mode %s, a row %s goes to the saved segment: %s', async (mode, event, direction) => {
      const sent = members('seg-r', direction, ['u1']).reply(200, {})
      expect(paths(await run(row('u1', event), retlMapping(mode)))).toHaveLength(1)
      expect(sent.isDone()).toBe(true)
    })

    it.each([
      ['add', 'deleted'],
      ['delete', 'new'],
      ['mirror', 'Signed Up']
    ])('with the sync mode %s, refuses a row %s as a membership it cannot determine', async (mode, event) => {
      const attempt = run(createTestEvent({ type: 'track', userId: 'u1', event, context: {} }), retlMapping(mode))
      await expect(attempt).rejects.toMatchObject({ code: 'INVALID_AUDIENCE_MEMBERSHIP', status: 400 })
      await expect(attempt).rejects.toThrow('Segment could not tell whether this user entered or left the audience')
    })

    it('sends a batch of rows as one add and one remove request, with or without a sync mode', async () => {
      for (const mode of ['mirror', undefined]) {
        members('seg-r', 'add', ['u1', 'u2']).reply(200, {})
        members('seg-r', 'remove', ['u3']).reply(200, {})
        const rows = [row('u1', 'new'), row('u2', 'updated'), row('u3', 'deleted')]
        const { outcomes, requests } = await runBatch(rows, retlMapping(mode))
        expect(requests).toHaveLength(2)
        expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 200, 200])
      }
    })
  })

  describe('without a segment ID: by name', () => {
    it('lists the segments once per batch and creates a missing one once: 300 changes take 4 requests', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [])
        .post(SEGMENTS, { name: AUDIENCE, description: /^Synced from Segment/ })
        .reply(201, { id: 'seg-new', name: AUDIENCE })
      members('seg-new', 'add').reply(200, {})
      members('seg-new', 'remove').reply(200, {})
      const { outcomes, requests } = await runBatch(
        Array.from({ length: 300 }, (_, i) => byName(`user-${i % 200}`, i % 3 !== 0))
      )
      expect(requests).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-new/add_user_ids`,
        `POST ${SEGMENTS}/seg-new/remove_user_ids`
      ])
      expect(outcomes.every((outcome) => outcome.status === 200)).toBe(true)
    })

    it('creates one segment when parallel events of this process name a missing one', async () => {
      nock(API).get(SEGMENTS).times(4).reply(200, [])
      const create = nock(API).post(SEGMENTS).delay(20).reply(201, { id: 'seg-one', name: 'parallel' })
      const added = members('seg-one', 'add').times(4).reply(200, {})
      await Promise.all(['u1', 'u2', 'u3', 'u4'].map((user) => run(byName(user, true, 'parallel'))))
      expect(create.isDone() && added.isDone()).toBe(true)
    })

    it('uses a listed segment of that name, and creates nothing when a user leaves a missing one', async () => {
      listed({ id: 'seg-0', name: 'other' }, { id: 'seg-1', name: AUDIENCE })
      members('seg-1', 'remove', ['u1']).reply(200, {})
      expect(paths(await run(byName('u1', false)))).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-1/remove_user_ids`
      ])
      listed()
      await run(byName('u1', false, 'gone'))
      expect(testDestination.results[testDestination.results.length - 1].data).toEqual({
        message: 'The Appcues segment "gone" does not exist, so nobody is in it and there is nobody to remove.'
      })
    })

    it('says on a 404 that the segment found by name may have gone, besides the account settings', async () => {
      listed({ id: 'seg-1', name: AUDIENCE })
      members('seg-1', 'add').reply(404, { title: 'Not Found' })
      await expect(run(byName('u1', true))).rejects.toThrow(
        `Region setting is the region where that account is hosted. If both are right, the segment "${AUDIENCE}" may not exist in Appcues.`
      )
    })

    it('refuses an event that names no segment, before any request', async () => {
      await expect(run(byName('u1', true), { segmentName: '' })).rejects.toThrow('This event names no Appcues segment')
    })

    it('names the key pair on a 401, and refuses a list it cannot read instead of creating a duplicate', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized', detail: 'bad key' })
      await expect(run(byName('u1', true))).rejects.toThrow('API Key and API Secret settings')
      nock(API).get(SEGMENTS).reply(200, { total: 3 })
      await expect(run(byName('u1', true))).rejects.toMatchObject({ status: 400, code: 'UNKNOWN_ERROR' })
    })
  })

  describe('batches', () => {
    it('give each event its own outcome: a bad event alone, each request’s events its status', async () => {
      members(SEGMENT, 'add', ['u1', 'u4']).reply(429, { title: 'Too Many Requests' })
      members(SEGMENT, 'remove', ['u2']).reply(200, {})
      const { outcomes } = await runBatch([
        change('u1', true),
        change('u2', false),
        createTestEvent({ type: 'track', userId: 'u3', event: 'Audience Entered', context: { personas: {} } }),
        change('u4', true),
        change('   ', true)
      ])
      expect(outcomes.map((outcome) => [outcome.status, outcome.errortype])).toEqual([
        [429, 'TOO_MANY_REQUESTS'],
        [200, undefined],
        [400, 'INVALID_AUDIENCE_MEMBERSHIP'],
        [429, 'TOO_MANY_REQUESTS'],
        [400, 'PAYLOAD_VALIDATION_FAILED']
      ])
    })

    it('fail only the events of a segment that could not be created, after one list and one creation each', async () => {
      listed({ id: 'seg-a', name: 'audience_a' })
      nock(API).post(SEGMENTS, { name: 'audience_b', description: /./ }).reply(500, { detail: 'could not create' })
      nock(API).post(SEGMENTS, { name: 'audience_c', description: /./ }).reply(201, { id: 'seg-c' })
      members('seg-a', 'add', ['u1']).reply(200, {})
      members('seg-c', 'add', ['u3']).reply(200, {})
      const events = [
        byName('u1', true, 'audience_a'),
        byName('u2', true, 'audience_b'),
        byName('u3', true, 'audience_c')
      ]
      const { outcomes, requests } = await runBatch(events)
      expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 500, 200])
      expect(outcomes[1]).toMatchObject({ errortype: 'INTERNAL_SERVER_ERROR', errormessage: /could not create/ })
      expect(requests.sort()).toEqual([
        `GET ${SEGMENTS}`,
        `POST ${SEGMENTS}`,
        `POST ${SEGMENTS}`,
        `POST ${SEGMENTS}/seg-a/add_user_ids`,
        `POST ${SEGMENTS}/seg-c/add_user_ids`
      ])
    })
  })
})
