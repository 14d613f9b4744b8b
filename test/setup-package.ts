import https from 'https'
import nock from 'nock'
import { isAppcuesHost, routedTarget } from '../src/simulator/host-route'

// The test files of one Jest worker share the https module, so a route left by a test that timed out would fail every
// later file with "already routed". The agent the worker started with is kept on the module itself.
const UNROUTED_AGENT = Symbol.for('appcues-actions.unrouted-agent')
const sharedHttps = https as unknown as { [UNROUTED_AGENT]?: https.Agent }
sharedHttps[UNROUTED_AGENT] ??= https.globalAgent

/** Package tests reach only this machine: Appcues' hosts only while they are routed to a simulator. */
beforeAll(() => {
  const leftRouted = routedTarget()
  if (leftRouted !== undefined) {
    https.globalAgent = sharedHttps[UNROUTED_AGENT] as https.Agent
    console.warn(`An earlier test file left Appcues' hosts routed to ${leftRouted}: the route is removed.`)
  }
  nock.disableNetConnect()
  nock.enableNetConnect((host: string) => {
    const hostname = host.replace(/:\d+$/, '')
    return hostname === '127.0.0.1' || hostname === '::1' || (isAppcuesHost(hostname) && routedTarget() !== undefined)
  })
})

beforeEach(() => {
  nock.cleanAll()
})

afterAll(() => {
  nock.restore()
})
