import { spawn } from 'child_process'
import type { ChildProcessWithoutNullStreams } from 'child_process'
import fs from 'fs'
import path from 'path'
import nock from 'nock'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import { Redactor } from '../../src/cli/serve/secrets'
import type { Serving } from '../../src/cli/serve'
import { captureIO, copyDestination } from './__helpers__/destination-copy'
import { call } from './__helpers__/http-client'
import type { HttpAnswer, HttpCall } from './__helpers__/http-client'

const API = 'https://api.appcues.com'
const ACCOUNT = '/v2/accounts/12345'

// Recognisable secrets: none of them may appear in any answer or log line.
const API_KEY = 'SECRET-API-KEY-4242'
const API_SECRET = 'SECRET-API-SECRET-7777'
const LEGACY_KEY = 'SECRET-LEGACY-KEY-9191'
const SECRET_FORMS = [
  API_KEY,
  API_SECRET,
  LEGACY_KEY,
  Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64'),
  Buffer.from(`${LEGACY_KEY}:`).toString('base64')
]

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'appcues-actions.js')

/** The lines a child process prints, with a way to wait for one. */
function outputLines(child: ChildProcessWithoutNullStreams | ReturnType<typeof spawn>) {
  const lines: string[] = []
  let waiting: { pattern: RegExp; resolve: (line: string) => void } | undefined
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      lines.push(line)
      if (waiting && waiting.pattern.test(line)) {
        const { resolve } = waiting
        waiting = undefined
        resolve(line)
      }
    }
  }
  child.stdout?.on('data', take)
  child.stderr?.on('data', take)
  return {
    all: () => lines.join('\n'),
    waitFor: (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const seen = lines.find((line) => pattern.test(line))
        if (seen !== undefined) return resolve(seen)
        const timer = setTimeout(
          () => reject(new Error(`Timed out waiting for ${pattern}:\n${lines.join('\n')}`)),
          20000
        )
        waiting = {
          pattern,
          resolve: (line) => {
            clearTimeout(timer)
            resolve(line)
          }
        }
      })
  }
}

const settings = { apiKey: API_KEY, apiSecret: API_SECRET, accountId: 12345, region: 'US', legacyApiKey: LEGACY_KEY }

const trackEvent = (userId: string, event = 'Signed Up') => ({
  type: 'track',
  event,
  userId,
  anonymousId: 'anon-1',
  properties: { plan: 'pro' },
  timestamp: '2024-05-01T10:00:00.000Z'
})

describe('serve over HTTP', () => {
  let serving: Serving
  let output: ReturnType<typeof captureIO>
  const answers: HttpAnswer[] = []

  const request = async (path: string, options?: HttpCall) => {
    const answer = await call(serving.server.url, path, options)
    answers.push(answer)
    return answer
  }

  beforeAll(async () => {
    output = captureIO()
    serving = await serve({ directory: DESTINATION_DIR, host: '127.0.0.1', port: 0 }, output.io)
  })

  afterAll(async () => {
    await serving.stop()
    // Redaction: across every answer of this suite and every log line, no secret in any form.
    const everything = [...answers.map((answer) => answer.text + JSON.stringify(answer.headers)), output.all()].join(
      '\n'
    )
    for (const secret of SECRET_FORMS) expect(everything).not.toContain(secret)
  })

  it('listens on loopback, on the ephemeral port it was given, and lists its routes', () => {
    expect(serving.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(serving.server.port).toBeGreaterThan(0)
    expect(output.out.join('\n')).toContain('POST /trackEvent')
  })

  it('GET /manifest answers the definition as JSON with the folder name', async () => {
    const answer = await request('/manifest')
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toMatch(/application\/json/)
    expect(answer.json).toMatchObject({ name: 'Appcues (Actions)', slug: 'actions-appcues', directoryName: 'appcues' })
    expect(Object.keys(answer.json.actions)).toEqual(
      expect.arrayContaining(['identifyUser', 'trackEvent', 'pageView', 'identifyGroup', 'deleteUser', 'send'])
    )
    expect(answer.json.actions.trackEvent.perform).toBeUndefined()
    expect(output.out).toContainEqual(expect.stringMatching(/^200 GET \/manifest - \d+ms$/))
  })

  describe('POST /authenticate (the body is the settings)', () => {
    it('answers ok: true when Appcues accepts the credentials', async () => {
      const scope = nock(API).get(`${ACCOUNT}/tags`).reply(200, [])
      const answer = await request('/authenticate', { body: settings })
      expect(answer.status).toBe(200)
      expect(answer.json).toEqual({ ok: true })
      expect(scope.isDone()).toBe(true)
    })

    it('answers 200 with ok: false and the reason when Appcues refuses them', async () => {
      nock(API).get(`${ACCOUNT}/tags`).reply(401, { title: 'Unauthorized', detail: 'Bad key' })
      const answer = await request('/authenticate', { body: settings })
      expect(answer.status).toBe(200)
      expect(answer.json.ok).toBe(false)
      expect(answer.json.error).toMatch(/^Credentials are invalid: /)
      expect(answer.json.fields).toEqual({})
    })

    it('answers the invalid settings field by field', async () => {
      const answer = await request('/authenticate', { body: { apiKey: API_KEY, accountId: 'abc', region: 'APAC' } })
      expect(answer.status).toBe(200)
      expect(answer.json.ok).toBe(false)
      expect(answer.json.fields).toEqual({
        apiSecret: expect.stringContaining('apiSecret'),
        accountId: 'Account ID must be a number but it was a string.',
        region: 'Region must be one of: "US" or "EU".'
      })
    })
  })

  describe('POST /<actionKey>', () => {
    it('runs the action on one payload and answers the exchanges with the authorization redacted', async () => {
      const scope = nock(API)
        .post(`${ACCOUNT}/users/user-1/events`)
        .reply(200, { ok: true }, { 'set-cookie': 'session=abc', 'x-request-id': 'r-1' })
      const answer = await request('/trackEvent', { body: { payload: trackEvent('user-1'), settings } })
      expect(scope.isDone()).toBe(true)
      expect(answer.status).toBe(200)
      expect(answer.json).toHaveLength(1)
      const [exchange] = answer.json
      expect(exchange.request).toMatchObject({
        url: `${API}${ACCOUNT}/users/user-1/events`,
        method: 'POST',
        headers: expect.objectContaining({ authorization: '<redacted>', 'content-type': 'application/json' })
      })
      expect(JSON.parse(exchange.request.body)).toMatchObject({ name: 'Signed Up', attributes: { plan: 'pro' } })
      expect(exchange.response).toEqual({
        statusCode: 200,
        statusMessage: 'OK',
        headers: expect.objectContaining({ 'set-cookie': '<redacted>', 'x-request-id': 'r-1' }),
        body: { ok: true }
      })
    })

    it('merges the request mapping over the field defaults', async () => {
      const scope = nock(API)
        .post(`${ACCOUNT}/users/user-1/events`, (body) => body.name === 'Renamed')
        .reply(200, {})
      const answer = await request('/trackEvent', {
        body: { payload: trackEvent('user-1'), settings, mapping: { event: 'Renamed' } }
      })
      expect(answer.json).toHaveLength(1)
      expect(scope.isDone()).toBe(true)
    })

    it('runs an array payload as a batch (executeBatch)', async () => {
      const scope = nock(API)
        .patch(`${ACCOUNT}/users/u-1/profile`, { plan: 'pro', seats: 3 })
        .reply(200, {})
        .patch(`${ACCOUNT}/users/u-2/profile`, { plan: 'free' })
        .reply(200, {})
      const identify = (userId: string, traits: object) => ({ type: 'identify', userId, traits })
      const payload = [
        identify('u-1', { plan: 'pro' }),
        identify('u-2', { plan: 'free' }),
        identify('u-1', { seats: 3 })
      ]
      const answer = await request('/identifyUser', { body: { payload, settings } })
      expect(answer.status).toBe(200)
      expect(answer.json.map((exchange: { request: { method: string } }) => exchange.request.method)).toEqual([
        'PATCH',
        'PATCH'
      ])
      expect(scope.isDone()).toBe(true)
      expect(output.out).toContainEqual(
        expect.stringMatching(/POST \/identifyUser - \d+ms \(batch of 3: 3 ok, 0 failed\)$/)
      )
    })

    it('answers a failing action with 200 and Segment error objects', async () => {
      const answer = await request('/trackEvent', { body: { payload: { type: 'track', event: 'No user' }, settings } })
      expect(answer.status).toBe(200)
      expect(answer.json).toEqual([
        {
          statusCode: 400,
          message: expect.stringContaining('userId'),
          stack: expect.any(Array),
          fields: expect.any(Object),
          requestError: true
        }
      ])
    })

    it('scrubs password settings that Appcues echoes back in errors and bodies', async () => {
      nock(API)
        .post(`${ACCOUNT}/users/user-2/events`)
        .reply(403, (_uri, _body) => ({
          title: 'Forbidden',
          detail: `key ${API_KEY} with secret ${API_SECRET} is not allowed`
        }))
      const failed = await request('/trackEvent', { body: { payload: trackEvent('user-2'), settings } })
      expect(failed.json[0]).toMatchObject({ requestError: true, statusCode: expect.any(Number) })
      expect(failed.text).toContain('<redacted>')

      nock(API)
        .post(`${ACCOUNT}/users/user-3/events`)
        .reply(200, function () {
          return { echoed: String(this.req.headers.authorization), legacy: LEGACY_KEY }
        })
      const echoed = await request('/trackEvent', { body: { payload: trackEvent('user-3'), settings } })
      expect(echoed.json[0].response.body).toEqual({ echoed: 'Basic <redacted>', legacy: '<redacted>' })
    })

    it('answers 404 for an unknown action, listing the routes', async () => {
      const answer = await request('/trackEvnt', { body: { payload: {}, settings } })
      expect(answer.status).toBe(404)
      expect(answer.json.error).toMatch(
        /There is no route POST \/trackEvnt\. Routes: GET \/manifest, POST \/authenticate/
      )
    })
  })

  describe('POST /delete', () => {
    it('runs onDelete and answers the (unrecorded, so empty) exchanges', async () => {
      const scope = nock(API)
        .post('/v1/gdpr/delete', { users: ['user-9', 'anon-9'] })
        .reply(200, {})
      const answer = await request('/delete', {
        body: { payload: { type: 'delete', userId: 'user-9', anonymousId: 'anon-9' }, settings }
      })
      expect(answer.status).toBe(200)
      expect(answer.json).toEqual([])
      expect(scope.isDone()).toBe(true)
    })

    it('sends nothing and reports no error for a deletion without a Legacy API Key', async () => {
      const { legacyApiKey: _omitted, ...withoutLegacy } = settings
      const answer = await request('/delete', { body: { payload: { userId: 'user-9' }, settings: withoutLegacy } })
      expect(answer.status).toBe(200)
      expect(answer.json).toEqual([])
    })

    it('answers a failing deletion with a Segment error object', async () => {
      const answer = await request('/delete', {
        body: { payload: { userId: 'user-9' }, settings: { ...settings, region: 'EU' } }
      })
      expect(answer.status).toBe(200)
      expect(answer.json).toEqual([
        expect.objectContaining({
          statusCode: 501,
          message: expect.stringContaining('EU region'),
          requestError: true
        })
      ])
    })
  })

  describe('requests the server refuses', () => {
    it('400 with the parser error for malformed JSON', async () => {
      const answer = await request('/trackEvent', { raw: '{"payload": {' })
      expect(answer.status).toBe(400)
      expect(answer.json.error).toMatch(/^The request body is not valid JSON: .+\. Send a JSON object/)
    })

    it('400 for a body that is not an object, or a payload that is not an event', async () => {
      expect((await request('/trackEvent', { raw: '[1, 2]' })).status).toBe(400)
      const answer = await request('/trackEvent', { body: { payload: 'hello' } })
      expect(answer.status).toBe(400)
      expect(answer.json.error).toContain('"payload" must be a Segment event object')
    })

    it('413 for a body over 1 MB', async () => {
      const big = JSON.stringify({ payload: { type: 'track', properties: { blob: 'x'.repeat(1024 * 1024) } } })
      const answer = await request('/trackEvent', { raw: big })
      expect(answer.status).toBe(413)
      expect(answer.json.error).toMatch(/larger than 1048576 bytes/)
    })

    it('405 for the wrong method on a known route', async () => {
      const answer = await request('/trackEvent')
      expect(answer.status).toBe(405)
      expect(answer.headers.allow).toBe('POST')
    })

    it('404 at GET /, which is kept free for a page', async () => {
      expect((await request('/')).status).toBe(404)
    })

    it('403 for requests addressed to another host name (DNS rebinding)', async () => {
      const answer = await request('/manifest', { headers: { host: 'attacker.example:3000' } })
      expect(answer.status).toBe(403)
    })

    it('403 for foreign web origins; CORS only for the Actions Tester, never a wildcard', async () => {
      expect((await request('/manifest', { headers: { origin: 'https://evil.example' } })).status).toBe(403)
      const tester = await request('/manifest', { headers: { origin: 'https://app.segment.com' } })
      expect(tester.status).toBe(200)
      expect(tester.headers['access-control-allow-origin']).toBe('https://app.segment.com')
      const plain = await request('/manifest')
      expect(plain.headers['access-control-allow-origin']).toBeUndefined()
      const preflight = await request('/trackEvent', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.segment.com' }
      })
      expect(preflight.status).toBe(204)
    })
  })
})

describe('serve extensions and reloading', () => {
  it('serves a plugged-in route at GET /', async () => {
    const output = captureIO()
    const serving = await serve(
      {
        directory: DESTINATION_DIR,
        host: '127.0.0.1',
        port: 0,
        routes: [
          {
            method: 'GET',
            path: '/',
            handle: (_request, response, context) => {
              response.writeHead(200, { 'content-type': 'text/html' })
              response.end(`<h1>${context.definition.name}</h1>`)
            }
          }
        ]
      },
      output.io
    )
    try {
      const answer = await call(serving.server.url, '/')
      expect(answer.status).toBe(200)
      expect(answer.text).toBe('<h1>Appcues (Actions)</h1>')
    } finally {
      await serving.stop()
    }
  })

  it('reloads the destination when its source changes, and keeps the last good version when it breaks', async () => {
    // Run the real executable: jest keeps its own module and file caches, which a reload has to get around.
    const copy = copyDestination()
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--path', copy.dir], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const lines = outputLines(child)
    try {
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(await lines.waitFor(/^Serving .* at http/))?.[1] ?? ''
      const title = async () => (await call(url, '/manifest')).json.actions.trackEvent.title
      expect(await title()).toBe('Track Event')

      copy.edit('trackEvent/index.ts', "title: 'Track Event'", "title: 'Track Event (edited)'")
      await lines.waitFor(/^reloaded .* after a change to trackEvent[/\\]index\.ts/)
      expect(await title()).toBe('Track Event (edited)')

      fs.writeFileSync(copy.file('index.ts'), 'export default {}\n')
      await lines.waitFor(/still serving the previous version/)
      expect(lines.all()).toContain('No destination definition is exported')
      expect(await title()).toBe('Track Event (edited)')
    } finally {
      child.kill('SIGINT')
      await new Promise((resolve) => child.once('exit', resolve))
      copy.remove()
    }
  }, 30000)
})

describe('secret scrubbing', () => {
  it('replaces every form of a secret and authorization tokens, but leaves prose alone', () => {
    const secret = 'p@ss word/1'
    const text = [
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret),
      Buffer.from(`user:${secret}`).toString('base64'),
      'Basic information about the account',
      'Authorization: Bearer abcDEF123456789'
    ].join(' | ')
    const scrubbed = new Redactor().add([secret, 'user'], [secret, 'user']).scrubText(text)
    expect(scrubbed).not.toContain(secret)
    expect(scrubbed).not.toContain(encodeURIComponent(secret))
    expect(scrubbed).toContain('Basic information about the account')
    expect(scrubbed).toContain('Bearer <redacted>')
    expect(new Redactor().add([secret]).scrub({ [secret]: [secret, 5] })).toEqual({ '<redacted>': ['<redacted>', 5] })
  })
})

describe('serve startup', () => {
  it('says what to do when the port is taken', async () => {
    const first = await serve({ directory: DESTINATION_DIR, host: '127.0.0.1', port: 0 }, captureIO().io)
    try {
      await expect(
        serve({ directory: DESTINATION_DIR, host: '127.0.0.1', port: first.server.port }, captureIO().io)
      ).rejects.toThrow(/is already in use\. .*--port 0 picks a free one/)
    } finally {
      await first.stop()
    }
  })
})
