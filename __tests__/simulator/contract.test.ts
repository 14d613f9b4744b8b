import http from 'http'
import { account, call, closeSimulators, keyPair, simulator } from './helpers'

/** http.request, since fetch does not let a caller set the Host header. */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end('{"a":1}')
  })
}

afterEach(closeSimulators)

const event = { name: 'Signed Up', timestamp: '2024-05-01T09:00:00.000Z', attributes: { plan: 'pro' } }

describe('the simulator implements every call the destination makes', () => {
  it('answers each route with the success status of the Appcues contract and stores what it received', async () => {
    const sim = await simulator()
    const base = account(sim)
    expect((await call(sim, 'GET', `${base}/tags`)).status).toBe(200)
    expect(await call(sim, 'PATCH', `${base}/users/u1/profile`, { plan: 'pro', seats: 3 })).toMatchObject({
      status: 200,
      body: { plan: 'pro', seats: 3 }
    })
    expect((await call(sim, 'POST', `${base}/users/u1/events`, { ...event, group_id: 'g1' })).status).toBe(202)
    expect(await call(sim, 'PATCH', `${base}/groups/g1/profile`, { name: 'Acme' })).toMatchObject({
      status: 200,
      body: { name: 'Acme' }
    })
    expect((await call(sim, 'POST', `${base}/groups/g1/users`, { user_ids: ['u1'] })).status).toBe(204)
    expect((await call(sim, 'PATCH', `${base}/groups/g1/users`, { user_ids: ['u2'] })).status).toBe(204)
    expect(
      await call(
        sim,
        'POST',
        '/v1/gdpr/delete',
        { users: ['u9'] },
        {
          auth: null,
          headers: { authorization: `Basic ${Buffer.from(`${sim.credentials.legacyApiKey}:`).toString('base64')}` }
        }
      )
    ).toMatchObject({
      status: 200,
      body: { ok: true, message: 'accepted 1 users for deletion' }
    })
    expect(
      await call(sim, 'POST', `${base}/segment/direct`, { type: 'track', userId: 'u1', event: 'E' })
    ).toMatchObject({
      status: 200,
      body: { success: true }
    })

    const state = sim.state()
    expect(state.profiles).toMatchObject([{ userId: 'u1', attributes: { plan: 'pro', seats: 3 } }])
    expect(state.events).toMatchObject([
      { userId: 'u1', name: 'Signed Up', groupId: 'g1', attributes: { plan: 'pro' } }
    ])
    expect(state.groups).toMatchObject([{ groupId: 'g1', attributes: { name: 'Acme' } }])
    expect(state.memberships).toMatchObject([
      { groupId: 'g1', userIds: ['u1'], method: 'POST' },
      { groupId: 'g1', userIds: ['u2'], method: 'PATCH' }
    ])
    expect(state.deletions).toMatchObject([{ users: ['u9'] }])
    expect(state.segmentMessages).toMatchObject([{ message: { type: 'track', userId: 'u1', event: 'E' } }])
    expect(state.groupProfiles.g1).toEqual({ attributes: { name: 'Acme' }, members: ['u1', 'u2'] })
    expect(state.counts).toMatchObject({
      users: 1,
      events: 1,
      groups: 1,
      memberships: 2,
      deletions: 1,
      segmentMessages: 1,
      dropped: 0,
      requests: 8
    })
  })

  it('keeps an id with an encoded slash, query or dots inside its own path segment', async () => {
    const sim = await simulator()
    const id = 'team/ops?id=7'
    expect((await call(sim, 'PATCH', `${account(sim)}/users/${encodeURIComponent(id)}/profile`, { a: 1 })).status).toBe(
      200
    )
    expect((await call(sim, 'POST', `${account(sim)}/users/..%2Fadmin/events`, event)).status).toBe(202)
    expect(sim.state().profiles[0].userId).toBe(id)
    expect(sim.state().events[0].userId).toBe('../admin')
  })

  it('serves both regions on the same paths, reading the region from the Host header or a /eu prefix', async () => {
    const sim = await simulator()
    await call(sim, 'PATCH', `${account(sim)}/users/us/profile`, { a: 1 })
    await call(sim, 'PATCH', `/eu${account(sim)}/users/eu-prefix/profile`, { a: 1 })
    await rawRequest(sim.url, 'PATCH', `${account(sim)}/users/eu-host/profile`, {
      host: 'api.eu.appcues.com',
      authorization: keyPair(sim),
      'content-type': 'application/json'
    })
    expect(sim.state().profiles.map((p) => [p.userId, p.region])).toEqual([
      ['us', 'US'],
      ['eu-prefix', 'EU'],
      ['eu-host', 'EU']
    ])
  })

  it('does not de-duplicate: the same call twice is stored twice', async () => {
    const sim = await simulator()
    for (let i = 0; i < 2; i++) {
      await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, { a: 1 })
      await call(sim, 'POST', `${account(sim)}/users/u1/events`, event)
    }
    expect(sim.state().counts).toMatchObject({ profileUpdates: 2, users: 1, events: 2 })
  })
})

describe('contract checks answer 400 in the Appcues error shape, naming the problem', () => {
  it.each([
    [
      'an event name over 127 characters',
      'users/u1/events',
      { ...event, name: 'x'.repeat(128) },
      '"name" must NOT have more than 127 characters'
    ],
    ['an event without timestamp', 'users/u1/events', { name: 'A' }, 'missing the required field "timestamp"'],
    [
      'a timestamp that is not a date',
      'users/u1/events',
      { name: 'A', timestamp: 'yesterday' },
      '"timestamp" must be an ISO-8601 date-time'
    ],
    ['an unknown event field', 'users/u1/events', { ...event, userId: 'u1' }, 'has the unknown field "userId"'],
    ['a profile that is a list', 'users/u1/profile', [{ a: 1 }], 'the body must be a JSON object'],
    ['an empty attribute name', 'groups/g1/profile', { '': 1 }, 'the body has an empty attribute name'],
    ['an empty user list', 'groups/g1/users', { user_ids: [] }, '"user_ids" must NOT have fewer than 1 items'],
    [
      'a Segment message of an unknown type',
      'segment/direct',
      { type: 'alias', userId: 'u' },
      '"type" must be equal to one of the allowed values'
    ],
    [
      'a track message without event',
      'segment/direct',
      { type: 'track', userId: 'u' },
      'missing the required field "event"'
    ]
  ])('%s', async (_label, path, body, detail) => {
    const sim = await simulator()
    const method = path.endsWith('profile') ? 'PATCH' : 'POST'
    const reply = await call(sim, method, `${account(sim)}/${path}`, body)
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ error: true, status: 400, title: 'Bad Request' })
    expect(reply.body.detail).toContain(detail)
    expect(sim.state().counts).toMatchObject({ profileUpdates: 0, events: 0, groupUpdates: 0, memberships: 0 })
  })

  it('refuses a GDPR request without users, a body that is not JSON, the wrong content type and an oversize body', async () => {
    const sim = await simulator({ maxBodyBytes: 100 })
    const gdpr = await call(
      sim,
      'POST',
      '/v1/gdpr/delete',
      { users: [] },
      { auth: `Basic ${Buffer.from(`${sim.credentials.legacyApiKey}:`).toString('base64')}` }
    )
    expect(gdpr.status).toBe(400)
    expect((await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, '{"a":')).body).toMatchObject({
      status: 400,
      detail: expect.stringContaining('not valid JSON')
    })
    const text = await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, '{"a":1}', {
      headers: { 'content-type': 'text/plain' }
    })
    expect(text.body).toMatchObject({ status: 415, title: 'Unsupported Media Type' })
    const large = await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, { a: 'x'.repeat(200) })
    expect(large.body).toMatchObject({ status: 413, title: 'Payload Too Large' })
  })

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const sim = await simulator()
    expect((await call(sim, 'POST', `${account(sim)}/users/u1/nothing`, {})).body).toMatchObject({
      error: true,
      status: 404
    })
    const wrong = await call(sim, 'DELETE', `${account(sim)}/users/u1/events`)
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
  })
})

describe('values real Appcues would silently drop', () => {
  const body = {
    plan: 'pro',
    company: { name: 'Acme' },
    roles: ['a', 'b'],
    _lastPageUrl: '/x',
    nickname: '',
    cleared: null
  }

  it('are recorded as dropped findings and left out of the stored profile', async () => {
    const sim = await simulator()
    expect((await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, body)).status).toBe(200)
    expect(
      (await call(sim, 'POST', `${account(sim)}/users/u1/events`, { ...event, attributes: { list: [1] } })).status
    ).toBe(202)
    const state = sim.state()
    expect(state.users.u1).toEqual({ plan: 'pro', cleared: null })
    expect(state.dropped.map((d) => [d.subject, d.key])).toEqual([
      ['user "u1"', 'company'],
      ['user "u1"', 'roles'],
      ['user "u1"', '_lastPageUrl'],
      ['user "u1"', 'nickname'],
      ['event "Signed Up" of user "u1"', 'list']
    ])
    expect(state.dropped[0].reason).toContain('nested object')
  })

  it('are refused with 400 when rejectDropped is set', async () => {
    const sim = await simulator({ rejectDropped: true })
    const reply = await call(sim, 'PATCH', `${account(sim)}/groups/g1/profile`, body)
    expect(reply.status).toBe(400)
    expect(reply.body.detail).toContain('"company" is a nested object')
    expect(sim.state().counts.groupUpdates).toBe(0)
  })
})
