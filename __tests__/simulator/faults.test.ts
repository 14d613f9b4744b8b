import { account, call, closeSimulators, simulator } from './helpers'
import type { Simulator } from '../../src/simulator'

afterEach(closeSimulators)

const event = { name: 'A', timestamp: '2024-05-01T09:00:00.000Z' }

async function statuses(sim: Simulator, count: number): Promise<number[]> {
  const result = []
  for (let i = 0; i < count; i++) {
    try {
      result.push((await call(sim, 'POST', `${account(sim)}/users/u${i}/events`, event)).status)
    } catch {
      result.push(0)
    }
  }
  return result
}

describe('fault injection', () => {
  it('answers the injected statuses at their rates, deterministically for a seed, storing nothing for them', async () => {
    const faults = { errorRates: { 500: 0.2, 503: 0.2 }, seed: 42 }
    const first = await statuses(await simulator({ faults, rateLimit: 0 }), 60)
    const second = await simulator({ faults, rateLimit: 0 })
    expect(await statuses(second, 60)).toEqual(first)
    const injected = first.filter((status) => status !== 202)
    expect(new Set(injected)).toEqual(new Set([500, 503]))
    expect(injected.length).toBeGreaterThan(12)
    expect(injected.length).toBeLessThan(36)
    expect(second.state().counts.events).toBe(first.filter((status) => status === 202).length)
    const reply = await call(await simulator({ faults: { errorRates: { 503: 1 } } }), 'GET', '/v2/accounts/10001/tags')
    expect(reply.body).toMatchObject({ error: true, status: 503, title: 'Service Unavailable' })
    expect(reply.body.detail).toContain('Injected fault')
  })

  it('changes faults at run time with setFaults, restarting the dice', async () => {
    const sim = await simulator({ rateLimit: 0 })
    sim.setFaults({ errorRates: { 502: 1 } })
    expect(await statuses(sim, 2)).toEqual([502, 502])
    sim.setFaults({})
    expect(await statuses(sim, 1)).toEqual([202])
    expect(() => sim.setFaults({ errorRates: { 200: 0.5 } })).toThrow('HTTP error status')
    expect(() => sim.setFaults({ dropRate: 2 })).toThrow('between 0 and 1')
  })

  it('drops connections without an answer and without processing the request', async () => {
    const sim = await simulator({ faults: { dropRate: 1 } })
    await expect(call(sim, 'POST', `${account(sim)}/users/u1/events`, event)).rejects.toThrow()
    const state = sim.state()
    expect(state.counts.events).toBe(0)
    expect(state.requests).toMatchObject([{ status: 0, fault: 'drop', route: 'userEvents' }])
  })

  it('adds latency before answering', async () => {
    const sim = await simulator({ faults: { latencyMs: [150, 200] } })
    const started = Date.now()
    expect((await call(sim, 'GET', `${account(sim)}/tags`)).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(145)
  })

  it('sends slow bodies: the headers come at once, the body in pieces over the slow time, and the write is stored', async () => {
    const sim = await simulator({ faults: { slowBodyRate: 1, slowBodyMs: 400 } })
    const started = Date.now()
    const response = await fetch(`${sim.url}${account(sim)}/users/u1/profile`, {
      method: 'PATCH',
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.credentials.apiKey}:${sim.credentials.apiSecret}`).toString(
          'base64'
        )}`,
        'content-type': 'application/json'
      },
      body: JSON.stringify({ plan: 'pro', seats: 12 })
    })
    const headersAfter = Date.now() - started
    expect(JSON.parse(await response.text())).toEqual({ plan: 'pro', seats: 12 })
    expect(headersAfter).toBeLessThan(300)
    expect(Date.now() - started).toBeGreaterThanOrEqual(390)
    expect(sim.state().requests).toMatchObject([{ status: 200, fault: 'slow' }])
    expect(sim.state().counts.profileUpdates).toBe(1)
  })

  it('never injects faults into its own /_simulator routes', async () => {
    const sim = await simulator({ faults: { errorRates: { 500: 1 }, dropRate: 0 } })
    expect((await call(sim, 'GET', '/_simulator/health', undefined, { auth: null })).status).toBe(200)
  })
})
