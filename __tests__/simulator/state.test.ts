import { startSimulator } from '../../src/simulator'
import { account, call, closeSimulators, keyPair, simulator } from './helpers'

afterEach(closeSimulators)

const event = { name: 'A', timestamp: '2024-05-01T09:00:00.000Z' }

describe('the store', () => {
  it('is readable over HTTP at GET /_simulator/state, equal to state(), and cleared by POST /_simulator/reset', async () => {
    const sim = await simulator()
    await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, { a: 1 })
    await call(sim, 'POST', `${account(sim)}/users/u1/events`, event)
    const overHttp = await call(sim, 'GET', '/_simulator/state', undefined, { auth: null })
    expect(overHttp.status).toBe(200)
    expect(overHttp.body).toEqual(sim.state())
    expect(overHttp.body.counts).toMatchObject({ profileUpdates: 1, events: 1, requests: 2 })
    expect((await call(sim, 'POST', '/_simulator/reset', undefined, { auth: null })).status).toBe(204)
    expect(sim.state().counts).toMatchObject({ profileUpdates: 0, events: 0, users: 0, requests: 0 })
  })

  it('returns copies: changing a returned state does not change the store', async () => {
    const sim = await simulator()
    await call(sim, 'PATCH', `${account(sim)}/users/u1/profile`, { a: 1 })
    const state = sim.state()
    state.users.u1.a = 2
    state.profiles.pop()
    expect(sim.state().users.u1).toEqual({ a: 1 })
    expect(sim.state().profiles).toHaveLength(1)
  })

  it('keeps at most about maxRecords per collection while the counts stay exact', async () => {
    const sim = await simulator({ maxRecords: 10, rateLimit: 0 })
    for (let i = 0; i < 30; i++) await call(sim, 'POST', `${account(sim)}/users/u/events`, event)
    const state = sim.state()
    expect(state.counts.events).toBe(30)
    expect(state.events.length).toBeLessThanOrEqual(11)
    expect(state.events[state.events.length - 1].seq).toBe(30)
  })

  it('holds requests while paused and drops the held ones whose client went away', async () => {
    const sim = await simulator()
    sim.pause()
    const controller = new AbortController()
    const abandoned = fetch(`${sim.url}${account(sim)}/users/gone/profile`, {
      method: 'PATCH',
      headers: { authorization: keyPair(sim), 'content-type': 'application/json' },
      body: '{"a":1}',
      signal: controller.signal
    }).catch(() => 'aborted')
    const kept = call(sim, 'PATCH', `${account(sim)}/users/kept/profile`, { a: 1 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(sim.state().counts.profileUpdates).toBe(0)
    controller.abort()
    expect(await abandoned).toBe('aborted')
    await new Promise((resolve) => setTimeout(resolve, 50))
    sim.resume()
    expect((await kept).status).toBe(200)
    expect(sim.state().profiles.map((p) => p.userId)).toEqual(['kept'])
  })

  it('refuses invalid options with a message naming the fix', async () => {
    await expect(startSimulator({ rateLimit: -1 })).rejects.toThrow('rate limit')
    await expect(startSimulator({ faults: { errorRates: { 500: 0.7, 503: 0.7 } } })).rejects.toThrow(
      'must not exceed 1'
    )
    await expect(startSimulator({ faults: { latencyMs: [50, 10] } })).rejects.toThrow('MIN-MAX')
  })
})
