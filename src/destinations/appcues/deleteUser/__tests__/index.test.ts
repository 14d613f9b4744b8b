import nock from 'nock'
import { createRequestClient, createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { eraseUsers } from '../functions'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const ERASE = '/v1/gdpr/delete'
const settings: Settings = {
  apiKey: 'key-1',
  apiSecret: 'secret-1',
  accountId: 123,
  region: 'US',
  legacyApiKey: ' legacy-1 '
}
// base64('legacy-1:') and base64('key-1:secret-1'), written out so that a change in how they are built fails.
const LEGACY_AUTH = 'Basic bGVnYWN5LTE6'
const KEY_PAIR_AUTH = 'Basic a2V5LTE6c2VjcmV0LTE='

type Outcome = { status: number; errortype?: string; errormessage?: string; sent?: unknown; body?: unknown }

const erase = (event: Partial<SegmentEvent> = {}, withSettings: Settings = settings) =>
  testDestination.testAction('deleteUser', {
    event: createTestEvent({ type: 'track', event: 'Account Closed', userId: 'u1', ...event }),
    settings: withSettings,
    useDefaultMappings: true
  })

/** An erasure interceptor that also checks the request carried the Legacy API key alone, not the key pair. */
function erasure(users: string[]) {
  return nock(API)
    .post(ERASE, { users })
    .reply(200, function () {
      const authorization = this.req.headers.authorization as unknown
      return { authorization }
    })
}

describe('Appcues.deleteUser', () => {
  it('has no default subscription: an erasure runs only on the event a user chooses', () => {
    expect(destination.actions.deleteUser.defaultSubscription).toBeUndefined()
  })

  it('needs a Legacy API Key, an optional password setting', () => {
    expect(destination.authentication?.fields.legacyApiKey).toMatchObject({ type: 'password' })
    expect(destination.authentication?.fields.legacyApiKey.required).toBeUndefined()
  })

  it('posts the user ID to the erasure endpoint with the Legacy API key as user name, replacing the key pair', async () => {
    const scope = erasure(['a/b?c'])
    const [response] = await erase({ userId: 'a/b?c' })
    expect(scope.isDone()).toBe(true)
    expect(response.data).toEqual({ authorization: [LEGACY_AUTH] })
  })

  it.each(['authorization', 'AUTHORIZATION'])('replaces a key-pair header spelt %s as well', async (header) => {
    const scope = erasure(['u1'])
    const request = createRequestClient({ headers: { [header]: KEY_PAIR_AUTH } })
    const response = await eraseUsers(request, 'legacy-1', ['u1'])
    expect(scope.isDone()).toBe(true)
    expect(response.data).toEqual({ authorization: [LEGACY_AUTH] })
  })

  it.each([
    [{ ...settings, legacyApiKey: undefined }, 'Deleting users needs the Legacy API Key setting.'],
    [{ ...settings, legacyApiKey: '  ' }, 'Deleting users needs the Legacy API Key setting.'],
    [{ ...settings, region: 'EU' }, 'Appcues has not confirmed where accounts in the EU region delete users'],
    [{ ...settings, region: 'APAC' }, 'Invalid region "APAC"']
  ])('sends nothing with the settings %j, and says what to do', async (withSettings, message) => {
    const scope = nock(/appcues\.com/)
      .post(/.*/)
      .reply(200, {})
    await expect(erase({}, withSettings)).rejects.toThrow(message)
    expect(scope.isDone()).toBe(false)
  })

  it('makes the EU refusal final: not retried', async () => {
    await expect(erase({}, { ...settings, region: 'EU' })).rejects.toMatchObject({
      status: 501,
      code: 'NOT_IMPLEMENTED'
    })
  })

  it.each([
    [401, 'InvalidAuthenticationError', 'Check the Legacy API Key setting'],
    [403, 'IntegrationError', 'The Legacy API Key setting is not allowed to delete users'],
    [404, 'IntegrationError', 'Check that your Appcues account is hosted in the US region']
  ])('names the Legacy API Key setting when Appcues answers %i', async (status, name, hint) => {
    nock(API)
      .post(ERASE)
      .reply(status, { message: { title: 'Refused', description: 'Unknown key.' } })
    const attempt = erase()
    await expect(attempt).rejects.toMatchObject({ name, status })
    await expect(attempt).rejects.toThrow(`Appcues answered ${status}`)
    await expect(attempt).rejects.toThrow(`Refused: Unknown key. ${hint}`)
  })

  it.each([
    [{ userId: undefined }, "The root value is missing the required field 'userId'."],
    [{ userId: '  ' }, 'The User ID is empty.']
  ])('refuses %j before any request', async (event, message) => {
    await expect(erase(event)).rejects.toThrow(message)
  })

  it('erases all the users of a batch in one request, each once, and gives every event the outcome', async () => {
    const scope = erasure(['u1', 'u2'])
    await testDestination.testBatchAction('deleteUser', {
      events: ['u1', 'u2', 'u1', ' '].map((userId) => createTestEvent({ type: 'track', userId })),
      settings,
      useDefaultMappings: true
    })
    const outcomes = testDestination.results[testDestination.results.length - 1].multistatus as Outcome[]
    expect(scope.isDone()).toBe(true)
    expect(outcomes.map((outcome) => [outcome.status, outcome.sent])).toEqual([
      [200, { users: ['u1', 'u2'] }],
      [200, { users: ['u1', 'u2'] }],
      [200, { users: ['u1', 'u2'] }],
      [400, undefined]
    ])
  })
})

describe('onDelete (Segment privacy deletions)', () => {
  const onDelete = (event: Partial<SegmentEvent>, withSettings: Settings = settings) =>
    testDestination.onDelete?.(
      createTestEvent({ type: 'delete', userId: 'u1', anonymousId: 'a1', ...event }),
      withSettings as unknown as JSONObject
    )

  it.each([
    [{}, ['u1', 'a1']],
    [{ anonymousId: undefined }, ['u1']],
    [{ userId: undefined }, ['a1']],
    [{ anonymousId: 'u1' }, ['u1']]
  ])('erases the user ID and the anonymous ID of %j in one request', async (event, users) => {
    const scope = erasure(users)
    await onDelete(event)
    expect(scope.isDone()).toBe(true)
  })

  it.each([undefined, ''])(
    'does nothing and reports no deletion when the Legacy API Key is %p, as existing connections have it',
    async (legacyApiKey) => {
      const scope = nock(/appcues\.com/)
        .post(/.*/)
        .reply(200, {})
      await expect(onDelete({}, { ...settings, legacyApiKey })).resolves.toEqual({ output: 'no onDelete defined' })
      expect(scope.isDone()).toBe(false)
    }
  )

  it('sends nothing for an EU account, and says so with a final error', async () => {
    const scope = nock(/appcues\.com/)
      .post(/.*/)
      .reply(200, {})
    await expect(onDelete({}, { ...settings, region: 'EU' })).rejects.toMatchObject({
      status: 501,
      message: expect.stringContaining('Delete the user in Appcues Studio')
    })
    expect(scope.isDone()).toBe(false)
  })

  it('refuses a deletion that has neither ID', async () => {
    await expect(onDelete({ userId: undefined, anonymousId: undefined })).rejects.toThrow(
      'The deletion request has neither a User ID nor an Anonymous ID'
    )
  })
})
