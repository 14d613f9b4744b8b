import https from 'https'
import { createRequestClient } from '@segment/actions-core'
import { routeAppcuesHostsTo, routedTarget } from '../../src/simulator/host-route'
import { closeSimulators, simulator } from './helpers'

afterEach(closeSimulators)

describe('routing Appcues hosts to a simulator', () => {
  it('delivers a request built for Appcues, unchanged, to the simulator, which reads the region from the host', async () => {
    const sim = await simulator()
    const restore = routeAppcuesHostsTo(sim.url)
    try {
      const { accountId, apiKey, apiSecret } = sim.credentials
      const request = createRequestClient({ username: apiKey, password: apiSecret })
      const url = `https://api.eu.appcues.com/v2/accounts/${accountId}/users/a%2Fb/profile`
      const response = await request(url, { method: 'PATCH', json: { plan: 'pro' } })
      expect(response.status).toBeLessThan(300)
      expect(sim.state().profiles).toMatchObject([{ userId: 'a/b', region: 'EU', attributes: { plan: 'pro' } }])
    } finally {
      restore()
    }
  })

  it('puts the previous agent back when restored, so Appcues hosts are no longer routed', async () => {
    const sim = await simulator()
    const original = https.globalAgent
    const restore = routeAppcuesHostsTo(sim.url)
    expect(routedTarget()).toBe(sim.url)
    expect(https.globalAgent).not.toBe(original)
    restore()
    expect(https.globalAgent).toBe(original)
    expect(routedTarget()).toBeUndefined()
  })

  it('takes every loopback address the local servers take: all of 127.0.0.0/8, ::1, and names under .localhost', () => {
    for (const url of [
      'http://127.0.0.2:4567',
      'http://[::1]:4567',
      'http://appcues.localhost:4567',
      'http://127.0.0.1:80'
    ]) {
      const restore = routeAppcuesHostsTo(url)
      expect(routedTarget()).toBe(new URL(url).origin)
      restore()
    }
  })

  it('refuses a second route and any target that is not a simulator on this machine', async () => {
    expect(() => routeAppcuesHostsTo('https://proxy.example.com:8443')).toThrow(/on this machine/)
    expect(() => routeAppcuesHostsTo('http://10.0.0.5:4567')).toThrow(/on this machine/)
    expect(() => routeAppcuesHostsTo('http://127.0.0.1')).toThrow(/names no port/)
    expect(() => routeAppcuesHostsTo('http://[::1]')).toThrow(/names no port/)
    expect(() => routeAppcuesHostsTo('not a url')).toThrow(/not an address/)
    const sim = await simulator()
    const restore = routeAppcuesHostsTo(sim.url)
    try {
      expect(() => routeAppcuesHostsTo(sim.url)).toThrow(/already routed/)
    } finally {
      restore()
    }
  })
})
