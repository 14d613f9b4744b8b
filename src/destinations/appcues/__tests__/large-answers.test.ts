import http from 'http'
import type { AddressInfo } from 'net'
import { createTestEvent, createTestIntegration, RetryableError } from '@segment/actions-core'
import destination from '../index'
import type { Settings } from '../generated-types'

interface Answer {
  status: number
  contentType: string
  body: string
}

/** A real loopback server that answers every request with `answer`; it counts the requests it answered. */
async function startServer(answer: Answer) {
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
  return {
    origin: `http://127.0.0.1:${port}`,
    answered: () => answered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const settingsFor = (endpoint: string): Settings => ({
  apiKey: 'key',
  apiSecret: 'secret',
  accountId: 123,
  region: 'US',
  endpoint
})

const identify = (userId: string) =>
  createTestEvent({ type: 'identify', userId, traits: { plan: 'pro' }, timestamp: '2024-05-01T12:00:00.000Z' })

// Answers well above node-fetch's 16 KB stream buffer: a clone that is read while the original is not stalls, and the
// request never settles. These tests hang (and time out) when an answer's body is not read in full.
describe('answers larger than the stream buffer', () => {
  const bigProfile = JSON.stringify({ plan: 'pro', notes: 'n'.repeat(200 * 1024) })
  const bigHtml = `<html><body>${'<p>Service Unavailable</p>'.repeat(7500)}</body></html>`

  it('reads a 200 KB JSON answer to a profile update in full', async () => {
    const server = await startServer({ status: 200, contentType: 'application/json', body: bigProfile })
    try {
      const responses = await createTestIntegration(destination).testAction('identifyUser', {
        event: identify('u1'),
        settings: settingsFor(server.origin),
        useDefaultMappings: true
      })
      expect(responses[0].status).toBe(200)
      expect(responses[0].content).toHaveLength(bigProfile.length)
      expect(server.answered()).toBe(1)
    } finally {
      await server.close()
    }
  }, 30_000)

  it('reads a batch of answers of 200 KB each', async () => {
    const server = await startServer({ status: 200, contentType: 'application/json', body: bigProfile })
    try {
      const responses = await createTestIntegration(destination).testBatchAction('identifyUser', {
        events: [identify('u1'), identify('u2'), identify('u3')],
        settings: settingsFor(server.origin),
        useDefaultMappings: true
      })
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200])
      expect(server.answered()).toBe(3)
    } finally {
      await server.close()
    }
  }, 30_000)

  it('turns a 503 with a 180 KB HTML page into a retryable error', async () => {
    expect(bigHtml.length).toBeGreaterThan(185 * 1024)
    const server = await startServer({ status: 503, contentType: 'text/html', body: bigHtml })
    try {
      const attempt = createTestIntegration(destination).testAction('identifyUser', {
        event: identify('u1'),
        settings: settingsFor(server.origin),
        useDefaultMappings: true
      })
      await expect(attempt).rejects.toBeInstanceOf(RetryableError)
      expect(server.answered()).toBe(1)
    } finally {
      await server.close()
    }
  }, 30_000)
})
