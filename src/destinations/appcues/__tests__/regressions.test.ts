import nock from 'nock'
import { createTestEvent, createTestIntegration, PayloadValidationError } from '@segment/actions-core'
import destination from '../index'
import { toAppcuesAttributes } from '../attributes'
import { appcuesBodyOf } from '../errors'

// Bugs found by the hostile-input property tests (__tests__/reliability), each pinned by the event that showed it.
const testDestination = createTestIntegration(destination)
const settings = { apiKey: 'k', apiSecret: 's', accountId: 7, region: 'US', legacyApiKey: 'legacy' }

describe('regressions', () => {
  it.each(['identifyUser', 'trackEvent', 'pageView'])(
    '%s refuses a user id that field validation turns into an empty string ([null]) instead of calling /users//',
    async (action) => {
      const scope = nock('https://api.appcues.com').patch(/.*/).reply(200, {}).post(/.*/).reply(202, {})
      const event = createTestEvent({ type: 'identify', event: 'Signed Up', userId: [null] as unknown as string })
      await expect(testDestination.testAction(action, { event, settings, useDefaultMappings: true })).rejects.toThrow(
        new PayloadValidationError('The User ID is empty. Map a field that holds the User ID.')
      )
      expect(scope.pendingMocks()).toHaveLength(2)
    }
  )

  it('deleteUser refuses an empty user id instead of erasing ""', async () => {
    const scope = nock('https://api.appcues.com').post('/v1/gdpr/delete').reply(200, {})
    const event = createTestEvent({ userId: [null] as unknown as string })
    await expect(
      testDestination.testAction('deleteUser', { event, settings, useDefaultMappings: true })
    ).rejects.toThrow('The User ID is empty')
    expect(scope.isDone()).toBe(false)
  })

  it('leaves out a list made only of empty strings, and empty strings inside a list', () => {
    expect(toAppcuesAttributes({ tags: [''], roles: ['', 'admin', ''], keep: 'x' }, 'User Traits')).toEqual({
      roles: 'admin',
      keep: 'x'
    })
  })
})

describe('regressions found in review', () => {
  it('a failed credential check reads "Credentials are invalid: 401 …" with the status, not a double space', async () => {
    nock('https://api.appcues.com')
      .get('/v2/accounts/7/tags')
      .reply(401, { error: true, status: 401, title: 'Unauthorized', detail: 'bad key' })
    await expect(testDestination.testAuthentication(settings)).rejects.toThrow(
      /^Credentials are invalid: 401 Appcues answered 401 [^ ]/
    )
  })

  it('a 404 from the erasure call points at the Region setting, not the Account ID the call does not use', async () => {
    nock('https://api.appcues.com').post('/v1/gdpr/delete').reply(404, { title: 'Not Found' })
    const event = createTestEvent({ userId: 'u1' })
    const failure = testDestination.testAction('deleteUser', { event, settings, useDefaultMappings: true })
    await expect(failure).rejects.toThrow('Region setting')
    await expect(failure).rejects.not.toThrow('Account ID')
  })
})

describe('regressions found in the documentation review', () => {
  it('does not reject two Appcues-reserved keys that flatten to the same name, since neither is sent', () => {
    expect(toAppcuesAttributes({ _a: { b: 1 }, _a_b: 2, plan: 'pro' }, 'User Traits')).toEqual({ plan: 'pro' })
  })

  it('identifyGroup treats a User ID of spaces as no user, and adds nobody to the group', async () => {
    const scope = nock('https://api.appcues.com').patch('/v2/accounts/7/groups/g1/profile').reply(200, {})
    const event = createTestEvent({ type: 'group', groupId: 'g1', userId: '   ', traits: { name: 'Acme' } })
    const responses = await createTestIntegration(destination).testAction('identifyGroup', {
      event,
      settings,
      useDefaultMappings: true
    })
    expect(responses.map((response) => response.url)).toEqual([
      'https://api.appcues.com/v2/accounts/7/groups/g1/profile'
    ])
    expect(scope.isDone()).toBe(true)
  })
})

describe('regressions found while building the simulator', () => {
  it('does not repeat a title that only restates the status, nor end a sentence with two periods', async () => {
    nock('https://api.appcues.com')
      .patch('/v2/accounts/7/users/u1/profile')
      .reply(401, { error: true, status: 401, title: 'Unauthorized', detail: 'The API key is not valid.' })
    const event = createTestEvent({ type: 'identify', userId: 'u1', traits: {} })
    await expect(
      createTestIntegration(destination).testAction('identifyUser', { event, settings, useDefaultMappings: true })
    ).rejects.toThrow(/^Appcues answered 401 Unauthorized: The API key is not valid\. Check that/)
  })
})

describe('regressions found by the reliability suite', () => {
  it('leaves out an attribute whose key is empty', () => {
    expect(toAppcuesAttributes({ '': 'x', plan: 'pro' }, 'User Traits')).toEqual({ plan: 'pro' })
  })

  it.each(['-000001-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'])(
    'rejects the timestamp %s, which Appcues cannot store, naming the field',
    async (timestamp) => {
      const scope = nock('https://api.appcues.com').post(/.*/).reply(202, {})
      const event = createTestEvent({ type: 'track', event: 'Signed Up', userId: 'u1', timestamp })
      await expect(
        createTestIntegration(destination).testAction('trackEvent', { event, settings, useDefaultMappings: true })
      ).rejects.toThrow(/Timestamp .* is outside the years 0000 to 9999/)
      expect(scope.isDone()).toBe(false)
    }
  )

  it('rejects an id with a lone surrogate with a PayloadValidationError instead of a URIError', async () => {
    const event = createTestEvent({ type: 'group', groupId: '\ud800', userId: 'u1', traits: {} })
    await expect(
      createTestIntegration(destination).testAction('identifyGroup', { event, settings, useDefaultMappings: true })
    ).rejects.toThrow(
      new PayloadValidationError(
        'The Group ID contains a broken character (a lone UTF-16 surrogate). Map a valid identifier.'
      )
    )
  })

  it('removes credentials that an answer echoes from the error message and the kept answer', async () => {
    const secretSettings = { ...settings, apiKey: 'key-SECRET-1', apiSecret: 'secret-SECRET-2' }
    const token = Buffer.from('key-SECRET-1:secret-SECRET-2').toString('base64')
    nock('https://api.appcues.com')
      .patch('/v2/accounts/7/users/u1/profile')
      .reply(401, { title: 'Unauthorized', detail: `key key-SECRET-1 / secret-SECRET-2 / Basic ${token} refused` })
    const event = createTestEvent({ type: 'identify', userId: 'u1', traits: {} })
    const error = await createTestIntegration(destination)
      .testAction('identifyUser', { event, settings: secretSettings, useDefaultMappings: true })
      .catch((caught: Error) => caught)
    expect((error as Error).message).toContain('key <redacted> / <redacted> / Basic <redacted> refused')
    expect(JSON.stringify(appcuesBodyOf(error))).not.toContain('SECRET')
    expect(JSON.stringify(appcuesBodyOf(error))).not.toContain(token)
  })
})
