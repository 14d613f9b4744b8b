import { account, basic, call, closeSimulators, keyPair, legacy, simulator } from './helpers'

afterEach(closeSimulators)

describe('HTTP Basic authentication and the account check', () => {
  it('answers 401 with WWW-Authenticate when credentials are missing or wrong, storing nothing', async () => {
    const sim = await simulator()
    const path = `${account(sim)}/users/u1/profile`
    const missing = await call(sim, 'PATCH', path, { a: 1 }, { auth: null })
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="Appcues"')
    expect(missing.body).toMatchObject({ error: true, status: 401, title: 'Unauthorized' })
    const wrong = await call(sim, 'PATCH', path, { a: 1 }, { auth: basic(sim.credentials.apiKey, 'not-the-secret') })
    expect(wrong.body.detail).toContain('do not match')
    const legacyKey = await call(sim, 'PATCH', path, { a: 1 }, { auth: legacy(sim) })
    expect(legacyKey.body.detail).toContain('Legacy API key does not work here')
    expect(sim.state().counts.profileUpdates).toBe(0)
  })

  it('takes the Legacy API key with an empty password for GDPR deletion, and refuses the key pair there', async () => {
    const sim = await simulator({ credentials: { legacyApiKey: 'legacy-123' } })
    const pair = await call(sim, 'POST', '/v1/gdpr/delete', { users: ['u1'] }, { auth: keyPair(sim) })
    expect(pair.status).toBe(401)
    expect(pair.body.detail).toContain('takes the Legacy API key')
    const withPassword = await call(
      sim,
      'POST',
      '/v1/gdpr/delete',
      { users: ['u1'] },
      { auth: basic('legacy-123', 'x') }
    )
    expect(withPassword.status).toBe(401)
    expect(
      (await call(sim, 'POST', '/v1/gdpr/delete', { users: ['u1'] }, { auth: basic('legacy-123', '') })).status
    ).toBe(200)
    expect(sim.state().deletions).toHaveLength(1)
  })

  it('checks the key pair on the Segment endpoint and the tags call too', async () => {
    const sim = await simulator()
    expect((await call(sim, 'GET', `${account(sim)}/tags`, undefined, { auth: null })).status).toBe(401)
    expect(
      (await call(sim, 'POST', `${account(sim)}/segment/direct`, { type: 'identify', userId: 'u' }, { auth: null }))
        .status
    ).toBe(401)
  })

  it('answers 404 for an account the key does not belong to', async () => {
    const sim = await simulator({ credentials: { accountId: 777 } })
    const reply = await call(sim, 'PATCH', '/v2/accounts/778/users/u1/profile', { a: 1 })
    expect(reply.status).toBe(404)
    expect(reply.body).toMatchObject({
      error: true,
      status: 404,
      title: 'Not Found',
      detail: expect.stringContaining('"778"')
    })
    expect((await call(sim, 'PATCH', '/v2/accounts/777/users/u1/profile', { a: 1 })).status).toBe(200)
  })
})
