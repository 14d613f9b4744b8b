import nock from 'nock'
import { isAppcuesHost, routedTarget } from '../src/simulator/host-route'

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
})
