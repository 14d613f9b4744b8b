import nock from 'nock'
import { createTestIntegration } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const SEGMENTS = '/v2/accounts/123/segments'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const NAME = 'Trial users who invited'

const connect = (audienceName: string, segmentName?: string) =>
  testDestination.createAudience({
    settings,
    audienceName,
    audienceSettings: segmentName === undefined ? {} : { segmentName }
  })

const check = (externalId: string) => testDestination.getAudience({ settings, externalId })

const hook = (hookInputs: Record<string, unknown>) =>
  testDestination.actions.syncAudience.executeHook('retlOnMappingSave', { settings, hookInputs, payload: {} })

const picker = () =>
  testDestination.testDynamicField(
    'syncAudience',
    'existingSegmentId',
    { settings, payload: {} },
    destination.actions.syncAudience.hooks?.retlOnMappingSave?.inputFields?.existingSegmentId?.dynamic
  )

describe('Appcues audiences', () => {
  describe('createAudience', () => {
    it('creates the segment when the audience is connected, and reuses it when it is connected again', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-0', name: NAME.toLowerCase() }])
      const create = nock(API)
        .post(SEGMENTS, {
          name: NAME,
          description: `Synced from Segment: the users in the Segment audience "${NAME}". Segment adds and removes them as they enter and leave it.`
        })
        .reply(201, { id: 'seg-5', name: NAME })
      await expect(connect(NAME)).resolves.toEqual({ externalId: 'seg-5' })
      expect(create.isDone()).toBe(true)
      nock(API)
        .get(SEGMENTS)
        .reply(200, {
          data: [
            { id: 'seg-5', name: NAME },
            { id: 'seg-7', name: NAME }
          ]
        })
      await expect(connect(NAME)).resolves.toEqual({ externalId: 'seg-5' })
    })

    it('creates one segment when the audience is connected twice at once', async () => {
      nock(API).get(SEGMENTS).times(2).reply(200, [])
      const create = nock(API)
        .post(SEGMENTS)
        .delay(20)
        .reply(201, { data: { id: 42, name: 'Twice' } })
      const ids = await Promise.all([connect('Twice'), connect('Twice')])
      expect(ids).toEqual([{ externalId: '42' }, { externalId: '42' }])
      expect(create.isDone()).toBe(true)
    })

    it('names the segment after the audience setting when one is given', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-3', name: 'Invited a teammate' }])
      await expect(connect(NAME, ' Invited a teammate ')).resolves.toEqual({ externalId: 'seg-3' })
    })

    it('finds a created segment in the list when the answer has no ID, and says so when it is not there', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [])
        .post(SEGMENTS)
        .reply(201)
        .get(SEGMENTS)
        .reply(200, [{ id: 8, name: 'A' }])
      await expect(connect('A')).resolves.toEqual({ externalId: '8' })
      nock(API).get(SEGMENTS).twice().reply(200, []).post(SEGMENTS).reply(202)
      await expect(connect('B')).rejects.toMatchObject({ code: 'CREATE_AUDIENCE_FAILED', status: 503 })
    })

    it('refuses an audience without a name, naming the setting to fill', async () => {
      await expect(connect('  ')).rejects.toMatchObject({
        code: 'CREATE_AUDIENCE_FAILED',
        message: expect.stringContaining('Enter an Appcues Segment Name in the audience settings')
      })
    })
  })

  describe('getAudience', () => {
    it('confirms that the segment exists', async () => {
      const scope = nock(API).get(`${SEGMENTS}/seg%2F5`).reply(200, { id: 'seg/5', name: NAME })
      await expect(check('seg/5')).resolves.toEqual({ externalId: 'seg/5' })
      expect(scope.isDone()).toBe(true)
    })

    it('says what to do when the segment was deleted in Appcues', async () => {
      nock(API).get(`${SEGMENTS}/seg-5`).reply(404, { title: 'Not Found', detail: 'No such segment' })
      const attempt = check('seg-5')
      await expect(attempt).rejects.toMatchObject({ code: 'GET_AUDIENCE_FAILED', status: 404 })
      await expect(attempt).rejects.toThrow(
        'Appcues answered 404 Not Found: No such segment. Appcues has no segment "seg-5" in this account: it was deleted in Appcues, or the Account ID or Region setting names another account. Remove the audience from Appcues (Actions) in Engage and connect it again: Segment then creates a new segment.'
      )
    })

    it('refuses an audience without a segment ID instead of listing the segments', async () => {
      const missing = testDestination.getAudience({ settings, externalId: undefined as unknown as string })
      await expect(missing).rejects.toMatchObject({ code: 'GET_AUDIENCE_FAILED', status: 400 })
      await expect(missing).rejects.toThrow('The audience has no Appcues segment ID to check.')
    })

    it('names the key pair when Appcues refuses it', async () => {
      nock(API).get(`${SEGMENTS}/seg-5`).reply(401, { title: 'Unauthorized' })
      await expect(check('seg-5')).rejects.toMatchObject({ code: 'INVALID_AUTHENTICATION' })
    })
  })

  describe('retlOnMappingSave', () => {
    it('creates the named segment, or reuses one of that name', async () => {
      nock(API)
        .get(SEGMENTS)
        .reply(200, [])
        .post(SEGMENTS, { name: 'Model users', description: /Reverse ETL/ })
        .reply(201, { id: 'seg-r' })
      await expect(hook({ operation: 'create', segmentName: 'Model users' })).resolves.toEqual({
        successMessage: 'Connected to the Appcues segment "Model users" (ID seg-r).',
        savedData: { segmentId: 'seg-r', segmentName: 'Model users' }
      })
      nock(API)
        .get(SEGMENTS)
        .reply(200, [{ id: 'seg-r', name: 'Model users' }])
      await expect(hook({ segmentName: 'Model users' })).resolves.toMatchObject({ savedData: { segmentId: 'seg-r' } })
    })

    it('connects an existing segment after checking it, and explains a deleted one', async () => {
      nock(API).get(`${SEGMENTS}/seg-2`).reply(200, { id: 'seg-2', name: 'Power users' })
      await expect(hook({ operation: 'existing', existingSegmentId: 'seg-2' })).resolves.toMatchObject({
        savedData: { segmentId: 'seg-2', segmentName: 'Power users' }
      })
      nock(API).get(`${SEGMENTS}/seg-3`).reply(404, {})
      await expect(hook({ operation: 'existing', existingSegmentId: 'seg-3' })).resolves.toEqual({
        error: {
          code: 'RETL_ON_MAPPING_SAVE_FAILED',
          message: expect.stringContaining(
            'Edit the Reverse ETL mapping and save it again to pick or create a segment.'
          )
        }
      })
    })

    it.each([
      [{ operation: 'create', segmentName: ' ' }, 'Enter the name of the Appcues segment to create'],
      [{ operation: 'existing' }, 'Pick the existing Appcues segment']
    ])('asks for the missing input %j', async (inputs, message) => {
      await expect(hook(inputs)).resolves.toEqual({
        error: { code: 'RETL_ON_MAPPING_SAVE_FAILED', message: expect.stringContaining(message) }
      })
    })

    it.each([
      [
        [
          { id: 'seg-1', name: 'Trial users' },
          { id: 2, name: '' }
        ]
      ],
      [{ data: [{ id: 'seg-1', name: 'Trial users' }, { id: 2 }, { name: 'no id' }], next: null }]
    ])('offers the account’s segments to pick from the list %j', async (body) => {
      nock(API).get(SEGMENTS).reply(200, body)
      await expect(picker()).resolves.toEqual({
        choices: [
          { label: 'Trial users', value: 'seg-1' },
          { label: '2', value: '2' }
        ]
      })
    })

    it('explains a list that failed instead of throwing', async () => {
      nock(API).get(SEGMENTS).reply(401, { title: 'Unauthorized' })
      await expect(picker()).resolves.toMatchObject({
        choices: [],
        error: { message: expect.stringContaining('API Key and API Secret'), code: 'INVALID_AUTHENTICATION' }
      })
      nock(API).get(SEGMENTS).reply(500, {})
      await expect(picker()).resolves.toMatchObject({ error: { code: 'INTERNAL_SERVER_ERROR' } })
    })

    it('reports a failure without an actions-core error code as an unknown error', async () => {
      nock(API).get(SEGMENTS).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      await expect(picker()).resolves.toEqual({
        choices: [],
        error: {
          message: expect.stringMatching(
            /^Appcues did not answer \(.*socket hang up\)\. Open the list again in a moment\.$/
          ),
          code: 'UNKNOWN_ERROR'
        }
      })
    })

    it('says that Appcues did not answer when saving the mapping fails for want of a connection', async () => {
      nock(API).get(SEGMENTS).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      await expect(hook({ operation: 'create', segmentName: 'Trial users' })).resolves.toEqual({
        error: {
          code: 'RETL_ON_MAPPING_SAVE_FAILED',
          message: expect.stringMatching(
            /^Appcues did not answer \(.*socket hang up\)\. Save the mapping again in a moment\.$/
          )
        }
      })
    })
  })
})
