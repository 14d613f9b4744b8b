import http from 'http'
import type { AddressInfo } from 'net'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import type { Serving } from '../../src/cli/serve'
import { routeAppcuesHostsTo } from '../../src/simulator'
import { captureIO } from './__helpers__/destination-copy'
import { call } from './__helpers__/http-client'

/** An Appcues stand-in on a real loopback port that echoes a 200 KB profile, as a real API or a proxy may. */
async function startEchoingAppcues() {
  const profile = JSON.stringify({ plan: 'pro', notes: 'n'.repeat(200 * 1024) })
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(profile)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    size: profile.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

describe('serve with answers larger than the stream buffer', () => {
  let serving: Serving
  let appcues: Awaited<ReturnType<typeof startEchoingAppcues>>
  let restoreRoute: () => void

  beforeAll(async () => {
    appcues = await startEchoingAppcues()
    restoreRoute = routeAppcuesHostsTo(appcues.origin)
    serving = await serve({ directory: DESTINATION_DIR, host: '127.0.0.1', port: 0 }, captureIO().io)
  })

  afterAll(async () => {
    await serving.stop()
    restoreRoute()
    await appcues.close()
  })

  const settings = () => ({ apiKey: 'key', apiSecret: 'secret', accountId: 1, region: 'US' })

  it('answers POST /identifyUser when Appcues answers with a 200 KB profile', async () => {
    const payload = { type: 'identify', userId: 'u1', traits: { plan: 'pro' } }
    const answer = await call(serving.server.url, '/identifyUser', { body: { payload, settings: settings() } })
    expect(answer.status).toBe(200)
    expect(answer.json).toHaveLength(1)
    expect(answer.json[0].response.statusCode).toBe(200)
    expect(JSON.stringify(answer.json[0].response.body)).toHaveLength(appcues.size)
  }, 30_000)

  it('refuses a page event whose context.page is text with the real reason, before any request', async () => {
    const payload = { type: 'page', userId: 'u1', name: 'Pricing', context: { page: 'pricing' } }
    const answer = await call(serving.server.url, '/pageView', { body: { payload, settings: settings() } })
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject([
      {
        statusCode: 400,
        message:
          'context.page must be an object, but it is a string. Fix the event\'s "context.page" (or leave it out).'
      }
    ])
  })

  it('answers a batch of three', async () => {
    const payload = ['u1', 'u2', 'u3'].map((userId) => ({ type: 'identify', userId, traits: { plan: 'pro' } }))
    const answer = await call(serving.server.url, '/identifyUser', { body: { payload, settings: settings() } })
    expect(answer.status).toBe(200)
    expect(answer.json.map((exchange: { response: { statusCode: number } }) => exchange.response.statusCode)).toEqual([
      200, 200, 200
    ])
  }, 30_000)
})
