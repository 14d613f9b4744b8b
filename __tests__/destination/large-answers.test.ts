import http from 'http'
import type { AddressInfo } from 'net'
import { createTestEvent, createTestIntegration, HTTPError } from '@segment/actions-core'
import destination from '../../src/destinations/appcues'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { routeAppcuesHostsTo } from '../../src/simulator/host-route'

interface Answer {
  status: number
  contentType: string
  body: string
}

/**
 * A real server on this machine that stands in for Appcues' hosts (through the host route) and answers every
 * request with `answer`; it counts the requests it answered.
 */
async function standIn(answer: Answer) {
  let answered = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      answered++
      res.writeHead(answer.status, { 'content-type': answer.contentType })
      res.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const unroute = routeAppcuesHostsTo(`http://127.0.0.1:${port}`)
  const standingIn = {
    answered: () => answered,
    close: async () => {
      unroute()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  running.push(standingIn)
  return standingIn
}

/** Closed after each test: a test that timed out waiting for an answer it could not read leaves no route behind. */
const running: Array<{ close: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

const settings: Settings = { apiKey: 'key', apiSecret: 'secret', accountId: 123, region: 'US' }

const identify = (userId: string) =>
  createTestEvent({ type: 'identify', userId, traits: { plan: 'pro' }, timestamp: '2024-05-01T12:00:00.000Z' })

// Answers well above the 16 KB stream buffer: when actions-core reads a clone of an answer and leaves the original
// unread, the request never settles, and these tests time out.
describe('answers larger than the stream buffer', () => {
  const bigProfile = JSON.stringify({ plan: 'pro', notes: 'n'.repeat(200 * 1024) })
  const bigHtml = `<html><body>${'<p>Service Unavailable</p>'.repeat(7500)}</body></html>`

  it('reads a 200 KB JSON answer to a profile update in full', async () => {
    const server = await standIn({ status: 200, contentType: 'application/json', body: bigProfile })
    const responses = await createTestIntegration(destination).testAction('identifyUser', {
      event: identify('u1'),
      settings,
      useDefaultMappings: true
    })
    expect(responses[0].status).toBe(200)
    expect(responses[0].content).toHaveLength(bigProfile.length)
    expect(server.answered()).toBe(1)
  }, 30_000)

  it('reads a batch of answers of 200 KB each', async () => {
    const server = await standIn({ status: 200, contentType: 'application/json', body: bigProfile })
    const responses = await createTestIntegration(destination).testBatchAction('identifyUser', {
      events: [identify('u1'), identify('u2'), identify('u3')],
      settings,
      useDefaultMappings: true
    })
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200])
    expect(server.answered()).toBe(3)
  }, 30_000)

  it('gives a 503 with a 180 KB HTML page its status, which Segment retries', async () => {
    expect(bigHtml.length).toBeGreaterThan(185 * 1024)
    const server = await standIn({ status: 503, contentType: 'text/html', body: bigHtml })
    const failure = await createTestIntegration(destination)
      .testAction('identifyUser', { event: identify('u1'), settings, useDefaultMappings: true })
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HTTPError)
    expect((failure as HTTPError).response.status).toBe(503)
    expect(server.answered()).toBe(1)
  }, 30_000)

  it('reads a 200 KB answer of the Segment endpoint to the Send action in full', async () => {
    await standIn({ status: 200, contentType: 'application/json', body: bigProfile })
    const responses = await createTestIntegration(destination).testAction('send', {
      event: identify('u1'),
      settings,
      useDefaultMappings: true
    })
    expect(responses.map((response) => response.content.length)).toEqual([bigProfile.length])
  }, 30_000)
})
