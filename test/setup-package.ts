import https from 'https'
import nock from 'nock'
import { isAppcuesHost, routedTarget } from '../src/simulator/host-route'

// Every test file of a Jest worker shares one https module: a route left by a test that timed out would fail the
// next files with "already routed". The file that left it fails instead, and the route goes.
const unroutedAgent = https.globalAgent

/** Package tests reach only this machine: Appcues' hosts only while they are routed to a simulator. */
beforeAll(() => {
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
  const leftRouted = routedTarget()
  if (leftRouted === undefined) return
  https.globalAgent = unroutedAgent
  throw new Error(
    `This test file left Appcues' hosts routed to ${leftRouted}: close the simulator or call the restore function.`
  )
})
