import { call as rawCall } from '../cli/__helpers__/http-client'
import { trickle } from '../cli/__helpers__/trickle'
import { HOSTILE_TARGETS, rawRequestLine } from '../cli/__helpers__/raw-request'
import { call, closeSimulators, keyPair, simulator } from './helpers'

afterEach(closeSimulators)

const profile = (sim: { credentials: { accountId: number } }, userId: string) =>
  `/v2/accounts/${sim.credentials.accountId}/users/${userId}/profile`

describe('the simulator applies serve’s Host and Origin rules', () => {
  it('refuses a DNS-rebinding Host on GET /_simulator/state, so stored data does not leak', async () => {
    const sim = await simulator()
    expect((await call(sim, 'PATCH', profile(sim, 'user-1'), { email: 'ada@example.com' })).status).toBe(200)
    const answer = await rawCall(sim.url, '/_simulator/state', { headers: { host: `attacker.example:${sim.port}` } })
    expect(answer.status).toBe(403)
    expect(answer.json).toMatchObject({ status: 403, title: 'Forbidden' })
    expect(answer.json.detail).toMatch(
      /only requests addressed to localhost or 127\.0\.0\.1, not to "attacker\.example/
    )
    expect(answer.text).not.toContain('ada@example.com')
  })

  it('refuses a hostile Origin on POST /_simulator/reset and keeps what it holds', async () => {
    const sim = await simulator()
    await call(sim, 'PATCH', profile(sim, 'user-1'), { plan: 'pro' })
    const answer = await rawCall(sim.url, '/_simulator/reset', {
      method: 'POST',
      raw: '',
      headers: { origin: 'https://attacker.example', 'content-type': 'text/plain' }
    })
    expect(answer.status).toBe(403)
    expect(answer.json.detail).toMatch(/origin https:\/\/attacker\.example are refused/)
    expect(sim.state().counts.users).toBe(1)
  })

  it('refuses a hostile Origin on GET /_simulator/state and on the API routes, recording nothing', async () => {
    const sim = await simulator()
    const state = await rawCall(sim.url, '/_simulator/state', { headers: { origin: 'https://attacker.example' } })
    expect(state.status).toBe(403)
    const api = await rawCall(sim.url, profile(sim, 'user-2'), {
      method: 'PATCH',
      body: { plan: 'pro' },
      headers: { origin: 'https://attacker.example', authorization: keyPair(sim) }
    })
    expect(api.status).toBe(403)
    expect(sim.state().counts.users).toBe(0)
    expect(sim.state().requests).toEqual([])
  })

  it('answers loopback names, its own origin and Appcues’ host names', async () => {
    const sim = await simulator()
    for (const host of [`localhost:${sim.port}`, `127.0.0.1:${sim.port}`, 'api.eu.appcues.com']) {
      expect((await rawCall(sim.url, '/_simulator/health', { headers: { host } })).status).toBe(200)
    }
    const sameOrigin = await rawCall(sim.url, '/_simulator/reset', {
      method: 'POST',
      raw: '',
      headers: { origin: sim.url }
    })
    expect(sameOrigin.status).toBe(204)
  })

  it.each([
    ['0.0.0.0', 'http://127.0.0.1:'],
    ['::', 'http://[::1]:']
  ])('gives a loopback address a local client can use when it listens on every interface (%s)', async (host, url) => {
    const sim = await simulator({ host })
    expect(sim.url).toBe(`${url}${sim.port}`)
    expect((await rawCall(sim.url, '/_simulator/health')).status).toBe(200)
  })

  it('answers any Host when it listens on every interface (as serve does), still refusing foreign origins', async () => {
    const sim = await simulator({ host: '0.0.0.0' })
    const url = `http://127.0.0.1:${sim.port}`
    expect((await rawCall(url, '/_simulator/health', { headers: { host: `my-laptop.lan:${sim.port}` } })).status).toBe(
      200
    )
    expect((await rawCall(url, '/_simulator/state', { headers: { origin: 'https://attacker.example' } })).status).toBe(
      403
    )
  })
})

describe('the simulator closes slow-trickle connections (timeouts injected small)', () => {
  const timeouts = { headersMs: 300, requestMs: 600, checkIntervalMs: 50 }

  it('answers 408 and closes when the headers never end', async () => {
    const sim = await simulator({ timeouts })
    const received = await trickle(sim.url, `GET /_simulator/state HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 'x-a: b\r\n')
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('answers 408 and closes when the body trickles in', async () => {
    const sim = await simulator({ timeouts })
    const head = `PATCH ${profile(
      sim,
      'user-1'
    )} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`
    const received = await trickle(sim.url, head, ' ')
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    expect(sim.state().counts.users).toBe(0)
  })
})

describe('the simulator survives any request line (issue 18, case 9)', () => {
  it('answers 400 in Appcues’ shape to a target that is not a path, records it, and keeps serving', async () => {
    const sim = await simulator()
    for (const target of HOSTILE_TARGETS) {
      expect([target, await rawRequestLine(sim.url, `GET ${target} HTTP/1.1`)]).toEqual([
        target,
        'HTTP/1.1 400 Bad Request'
      ])
    }
    // Node's own parser refuses some targets (400) before they reach the simulator; the others are recorded.
    const statuses = sim.state().requests.map((request) => request.status)
    expect(statuses.length).toBeGreaterThanOrEqual(4)
    expect(new Set(statuses)).toEqual(new Set([400]))
    expect((await rawCall(sim.url, '/_simulator/health')).status).toBe(200)
  })
})
