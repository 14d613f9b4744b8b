import fc from 'fast-check'
import { measureRedaction } from '../../bench/redaction'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import type { Serving } from '../../src/cli/serve'
import { createPlayground } from '../../src/cli/serve/playground'
import type { Playground } from '../../src/cli/serve/playground'
import { MAX_SETTINGS_KEYS, Redactor } from '../../src/cli/serve/secrets'
import { TextMatcher } from '../../src/cli/serve/text-matcher'
import { inProcessTarget } from '../../src/cli/serve/appcues-target'
import { startRoutedSimulator } from '../../src/simulator'
import type { Simulator } from '../../src/simulator'
import { captureIO } from './__helpers__/destination-copy'
import { call } from './__helpers__/http-client'
import { trickle } from './__helpers__/trickle'

jest.setTimeout(30_000)

const ACCOUNT_ID = 10001
/** One-letter credentials: the shortest secrets, which a redaction that matches too much would find everywhere. */
const ONE_LETTER = { apiKey: 'k', apiSecret: 's', legacyApiKey: 'l' }
const SMALL_TIMEOUTS = { headersMs: 300, requestMs: 600, checkIntervalMs: 50 }

const trackEvent = (properties: Record<string, unknown>, userId = 'user-k') => ({
  type: 'track',
  event: 'Signed Up',
  userId,
  properties,
  timestamp: '2024-05-01T10:00:00.000Z'
})

let sim: Simulator
let serving: Serving
let playground: Playground
let output: ReturnType<typeof captureIO>

beforeAll(async () => {
  sim = await startRoutedSimulator({ rateLimit: 0, credentials: { ...ONE_LETTER, accountId: ACCOUNT_ID } })
  output = captureIO()
  playground = createPlayground({ simulator: inProcessTarget(sim) })
  serving = await serve(
    {
      directory: DESTINATION_DIR,
      host: '127.0.0.1',
      port: 0,
      routes: playground.routes,
      timeouts: SMALL_TIMEOUTS
    },
    output.io
  )
})

afterAll(async () => {
  await serving.stop()
  await sim.close()
})

describe('redaction with one-letter secrets (item 10)', () => {
  const settings = { ...ONE_LETTER, accountId: ACCOUNT_ID, region: 'US' }

  it('serve redacts the credentials where they stand whole, and leaves every other letter alone', async () => {
    const answer = await call(serving.server.url, '/trackEvent', {
      body: {
        payload: trackEvent({ pasted: 's', kept: 'kiosk settings' }),
        settings
      }
    })
    expect(answer.status).toBe(200)
    const [exchange] = answer.json as Array<{ request: Record<string, unknown>; response: Record<string, unknown> }>
    expect(exchange.request.url).toBe(`https://api.appcues.com/v2/accounts/${ACCOUNT_ID}/users/user-k/events`)
    expect(exchange.request.method).toBe('POST')
    expect(exchange.request.headers).toMatchObject({ authorization: '<redacted>', 'content-type': 'application/json' })
    const sent = JSON.parse(exchange.request.body as string) as { name: string; attributes: Record<string, unknown> }
    expect(sent.name).toBe('Signed Up')
    expect(sent.attributes).toMatchObject({ pasted: '<redacted>', kept: 'kiosk settings' })
    expect(exchange.response).toMatchObject({ statusCode: 202, body: { status: 202, title: 'Accepted' } })
    // Only the two values that are secrets were replaced.
    expect(answer.text.match(/<redacted>/g)).toHaveLength(2)
    expect(output.out).toContainEqual(expect.stringMatching(/^200 POST \/trackEvent - \d+ms$/))
    expect(sim.state().events.map((event) => event.userId)).toContain('user-k')
  })

  it('the playground answers valid, intact results with the simulator filling in one-letter credentials', async () => {
    const answer = await call(serving.server.url, '/playground/run', {
      body: {
        kind: 'action',
        action: 'trackEvent',
        event: trackEvent({ plan: 'pro', seats: 'six' }, 'user-ok'),
        mapping: {
          userId: { '@path': '$.userId' },
          event: { '@path': '$.event' },
          properties: { '@path': '$.properties' },
          timestamp: { '@path': '$.timestamp' }
        },
        settings: { accountId: ACCOUNT_ID, region: 'US' }
      }
    })
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      ok: true,
      payload: { userId: 'user-ok', event: 'Signed Up', properties: { plan: 'pro', seats: 'six' } },
      payloadValidated: true,
      fieldErrors: {},
      settingsErrors: {},
      target: { kind: 'simulator', where: sim.url },
      holdings: { users: [{ userId: 'user-ok', eventCount: 1 }] }
    })
    expect(answer.json.exchanges[0].request.url).toBe(
      `https://api.appcues.com/v2/accounts/${ACCOUNT_ID}/users/user-ok/events`
    )
    expect(answer.json.exchanges[0].request.headers.authorization).toBe('<redacted>')
    expect(answer.text.match(/<redacted>/g)).toHaveLength(1)
  })
})

describe('bounded, linear redaction (item 11)', () => {
  it(`refuses more than ${MAX_SETTINGS_KEYS} settings keys with a 400 that names the limit (the issue's 33 KB body)`, async () => {
    const many: Record<string, string> = {}
    for (let i = 0; i < 1001; i++) many[`key${i}`] = `v${i}`.padEnd(20, 'x')
    const body = { payload: trackEvent({ plan: 'many keys' }), settings: many }
    expect(JSON.stringify(body).length).toBeGreaterThan(32_000)
    const answer = await call(serving.server.url, '/trackEvent', { body })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toMatch(/1001 keys; at most 100 are accepted/)
    const run = await call(serving.server.url, '/playground/run', {
      body: { kind: 'action', action: 'trackEvent', event: body.payload, mapping: {}, settings: body.settings }
    })
    expect(run.status).toBe(400)
    expect(run.json.error).toMatch(/1001 keys; at most 100 are accepted/)
    // Nothing was sent to Appcues for either.
    expect(sim.state().events.filter((event) => event.attributes.plan === 'many keys')).toEqual([])
  })

  it('redacts every one of the most settings keys accepted, each pasted into a 33 KB event', async () => {
    const extra: Record<string, string> = {}
    for (let i = 0; i < MAX_SETTINGS_KEYS - 5; i++) extra[`token${i}`] = `tok-${i}-`.padEnd(320, String(i % 10))
    const values = Object.values(extra)
    const properties = { each: values, joined: values.join(' and '), plain: 'nothing secret here' }
    const answer = await call(serving.server.url, '/trackEvent', {
      body: {
        payload: trackEvent(properties),
        settings: { ...ONE_LETTER, ...extra, accountId: ACCOUNT_ID }
      }
    })
    expect(answer.status).toBe(200)
    for (const value of values) expect(answer.text).not.toContain(value)
    const sent = JSON.parse(answer.json[0].request.body as string) as { attributes: Record<string, string> }
    expect(sent.attributes.plain).toBe('nothing secret here')
    expect(sent.attributes.joined).toBe(values.map(() => '<redacted>').join(' and '))
    expect(sent.attributes.each).toBe(values.map(() => '<redacted>').join(','))
  })

  it('scans a text in at most two trie moves per character, however the patterns overlap', () => {
    const patterns = Array.from({ length: 100 }, (_, i) => `${'a'.repeat(50 + i)}b`)
    const matcher = new TextMatcher(patterns)
    const text = `${'a'.repeat(100_000)}b${'a'.repeat(100_000)}`
    expect(matcher.replace(text, '#')).toBe(`${'a'.repeat(100_000 - 149)}#${'a'.repeat(100_000)}`)
    expect(matcher.steps).toBeLessThanOrEqual(2 * text.length)
  })

  it('replaces exactly the stretches that a naive search finds (property)', () => {
    const naive = (text: string, patterns: string[]) => {
      const covered = new Array<boolean>(text.length).fill(false)
      for (const pattern of patterns.filter((p) => p !== '')) {
        for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
          for (let i = at; i < at + pattern.length; i++) covered[i] = true
        }
      }
      let result = ''
      for (let i = 0; i < text.length; i++) {
        if (!covered[i]) result += text[i]
        else if (i === 0 || !covered[i - 1]) result += '#'
      }
      return result
    }
    const letters = fc.stringOf(fc.constantFrom('a', 'b', 'c'), { maxLength: 6 })
    fc.assert(
      fc.property(
        fc.array(letters, { maxLength: 6 }),
        fc.stringOf(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }),
        (patterns, text) => {
          // Adjacent stretches that do not overlap are replaced separately; the naive version merges them.
          const merged = new TextMatcher(patterns).replace(text, '#').replace(/#+/g, '#')
          expect(merged).toBe(naive(text, patterns))
        }
      ),
      { numRuns: 500, seed: 10 }
    )
  })

  it('redacts long secrets inside text in every form, short ones only as whole values', () => {
    const redactor = new Redactor().add(['k', 'long-secret-42'], ['k', 'long-secret-42'])
    // The Basic credential's base64 is matched without its padding, which stays.
    const basic = Buffer.from('k:long-secret-42').toString('base64')
    expect(
      redactor.scrub({
        whole: 'k',
        word: 'kiosk',
        text: `key long-secret-42, "${encodeURIComponent('long-secret-42')}" ${basic}`,
        url: 'https://k:p@proxy.example.com/k/users/kk?token=k&q=kiosk#k'
      })
    ).toEqual({
      whole: '<redacted>',
      word: 'kiosk',
      text: 'key <redacted>, "<redacted>" <redacted>==',
      url: 'https://<redacted>@proxy.example.com/<redacted>/users/kk?token=<redacted>&q=kiosk#k'
    })
  })

  it('the redaction bench runs (BENCH_QUICK size)', () => {
    expect(measureRedaction(true)).toEqual([expect.objectContaining({ secrets: MAX_SETTINGS_KEYS, answerKb: 38 })])
  })
})

describe('serve error answers and oversized or slow requests (item 12)', () => {
  it('answers an action error without a stack trace or an absolute path', async () => {
    const answer = await call(serving.server.url, '/trackEvent', {
      body: { payload: { type: 'track', event: 'No user' }, settings: { ...ONE_LETTER, accountId: ACCOUNT_ID } }
    })
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual([
      expect.objectContaining({ statusCode: 400, message: expect.stringContaining('userId'), stack: [] })
    ])
    expect(answer.text).not.toContain(process.cwd())
    expect(answer.text).not.toMatch(/ at .*\.(ts|js):\d+/)
  })

  it('answers a 9.5 MB body with 413 and logs it', async () => {
    const raw = Buffer.alloc(Math.round(9.5 * 1024 * 1024), 'x')
    const answer = await call(serving.server.url, '/trackEvent', { raw })
    expect(answer.status).toBe(413)
    expect(answer.json.error).toMatch(/larger than 1048576 bytes/)
    expect(output.out).toContainEqual(
      expect.stringMatching(/^413 POST \/trackEvent - \d+ms \(request body too large\)$/)
    )
  })

  it('closes a connection whose headers trickle in, answering 408', async () => {
    const received = await trickle(serving.server.url, 'POST /trackEvent HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'x-a: b\r\n')
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('closes a connection whose body trickles in, answering 408', async () => {
    const head =
      'POST /trackEvent HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n'
    const received = await trickle(serving.server.url, head, ' ')
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
  })
})
