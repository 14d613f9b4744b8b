import { defaultValues } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import destination from '../../src/destinations/appcues'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import type { Serving } from '../../src/cli/serve'
import { inProcessTarget } from '../../src/cli/serve/appcues-target'
import { createPlayground, sampleEvents } from '../../src/cli/serve/playground'
import { DEFAULT_CREDENTIALS, startRoutedSimulator } from '../../src/simulator'
import type { Simulator } from '../../src/simulator'
import { captureIO } from '../cli/__helpers__/destination-copy'
import { call } from '../cli/__helpers__/http-client'
import type { HttpAnswer, HttpCall } from '../cli/__helpers__/http-client'

const TYPED_KEY = 'typed-key-61f0a9c3'
const TYPED_SECRET = 'typed-secret-2b7d4e8f'
const SIMULATOR_SECRETS = [
  DEFAULT_CREDENTIALS.apiKey,
  DEFAULT_CREDENTIALS.apiSecret,
  DEFAULT_CREDENTIALS.legacyApiKey,
  Buffer.from(`${DEFAULT_CREDENTIALS.apiKey}:${DEFAULT_CREDENTIALS.apiSecret}`).toString('base64'),
  Buffer.from(`${DEFAULT_CREDENTIALS.legacyApiKey}:`).toString('base64')
]
const TYPED_SECRETS = [
  TYPED_KEY,
  TYPED_SECRET,
  encodeURIComponent(TYPED_SECRET),
  Buffer.from(`${TYPED_KEY}:${TYPED_SECRET}`).toString('base64')
]

const samples = sampleEvents()
const trackMapping = {
  userId: { '@path': '$.userId' },
  event: { '@path': '$.event' },
  properties: { '@path': '$.properties' },
  timestamp: { '@path': '$.timestamp' }
}

const personasOf = () => (samples['audience entered'] as { context: { personas: JSONObject } }).context.personas

/** Sync Audience's default mapping. */
const syncMapping = () => defaultValues(destination.actions.syncAudience.fields)

describe('the playground routes of serve', () => {
  let serving: Serving
  let simulator: Simulator
  let output: ReturnType<typeof captureIO>
  const answers: HttpAnswer[] = []

  const request = async (path: string, options?: HttpCall) => {
    const answer = await call(serving.server.url, path, options)
    answers.push(answer)
    return answer
  }
  const run = (body: unknown, headers?: Record<string, string>) =>
    request('/playground/run', { method: 'POST', body, headers })

  beforeAll(async () => {
    output = captureIO()
    simulator = await startRoutedSimulator()
    const playground = createPlayground({ simulator: inProcessTarget(simulator), bodyLimit: 64 * 1024 })
    serving = await serve(
      { directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, routes: playground.routes },
      output.io
    )
  })

  afterAll(async () => {
    await serving.stop()
    await simulator.close()
    // The simulator's credentials are filled in on the server: no answer or log line ever carries them.
    const everything = [...answers.map((answer) => answer.text + JSON.stringify(answer.headers)), output.all()].join(
      '\n'
    )
    for (const secret of [...SIMULATOR_SECRETS, ...TYPED_SECRETS]) expect(everything).not.toContain(secret)
  })

  it('serves the page at GET / with a strict content security policy and no CORS', async () => {
    const page = await request('/')
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.text).toContain('<script src="/playground/app.js" defer></script>')
    expect(page.headers['content-security-policy']).toContain("default-src 'none'")
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'")
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['access-control-allow-origin']).toBeUndefined()
    // Nothing is fetched from elsewhere.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//)
  })

  it('serves the script and the style sheet as plain files', async () => {
    const script = await request('/playground/app.js')
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.text).toContain("fetch('/playground/run'")
    expect(script.text).not.toMatch(/https?:\/\//)
    const style = await request('/playground/app.css')
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8')
    expect(style.text).toContain('@media (max-width: 700px)')
  })

  it('GET /playground/setup describes actions, samples and settings, with the simulator as the target', async () => {
    const setup = await request('/playground/setup')
    expect(setup.status).toBe(200)
    expect(setup.json.name).toBe('Appcues (Actions)')
    expect(setup.json.simulator).toEqual({
      url: simulator.url,
      accountId: DEFAULT_CREDENTIALS.accountId,
      holdings: true
    })
    const accountId = setup.json.settings.find((setting: { key: string }) => setting.key === 'accountId')
    expect(accountId.value).toBe(DEFAULT_CREDENTIALS.accountId)
    expect(setup.headers['cache-control']).toBe('no-store')
  })

  it('POST /playground/run runs an action against the simulator', async () => {
    const answer = await run({
      kind: 'action',
      action: 'trackEvent',
      event: samples.track,
      mapping: trackMapping,
      settings: { region: 'US' }
    })
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      ok: true,
      payloadValidated: true,
      target: { kind: 'simulator', where: simulator.url }
    })
    expect(answer.json.exchanges[0].request.url).toBe(
      `https://api.appcues.com/v2/accounts/${DEFAULT_CREDENTIALS.accountId}/users/user-1042/events`
    )
    expect(answer.json.exchanges[0].request.headers.authorization).toBe('<redacted>')
    expect(answer.json.holdings.users[0]).toMatchObject({ userId: 'user-1042', eventCount: 1 })
    expect(output.out).toContainEqual(expect.stringMatching(/^200 POST \/playground\/run - \d+ms$/))
  })

  it('scrubs typed secrets from the answer, wherever they show up', async () => {
    const answer = await run({
      kind: 'action',
      action: 'trackEvent',
      event: { ...samples.track, properties: { pasted: TYPED_SECRET, encoded: encodeURIComponent(TYPED_SECRET) } },
      mapping: trackMapping,
      settings: { apiKey: TYPED_KEY, apiSecret: TYPED_SECRET, accountId: 10001, region: 'US' }
    })
    expect(answer.json.ok).toBe(false)
    expect(answer.json.error.statusCode).toBe(401)
    expect(answer.json.payload.properties).toEqual({ pasted: '<redacted>', encoded: '<redacted>' })
    for (const secret of TYPED_SECRETS) expect(answer.text).not.toContain(secret)
  })

  it('POST /playground/audience connects an audience as Engage does, and the run then sends straight to its segment', async () => {
    const connect = (body: unknown) => request('/playground/audience', { method: 'POST', body })
    const connected = await connect({ audienceName: 'Power users', audienceSettings: {}, settings: {} })
    expect(connected).toMatchObject({ status: 200, json: { ok: true, target: { kind: 'simulator' } } })
    const externalId = connected.json.externalId as string
    expect(
      connected.json.exchanges.map((exchange: { request: { method: string } }) => exchange.request.method)
    ).toEqual(['GET', 'POST'])
    const event = {
      ...samples['audience entered'],
      context: { personas: { ...personasOf(), external_audience_id: externalId } }
    }
    const answer = await run({
      kind: 'action',
      action: 'syncAudience',
      event,
      mapping: syncMapping(),
      settings: { region: 'US' }
    })
    expect(answer.json.exchanges.map((exchange: { request: { url: string } }) => exchange.request.url)).toEqual([
      `https://api.appcues.com/v2/accounts/${DEFAULT_CREDENTIALS.accountId}/segments/${externalId}/add_user_ids`
    ])
    expect(answer.json.holdings.users[0].segments).toEqual([`Power users (${externalId})`])
    const refused = await connect({ audienceName: 'X', settings: { apiKey: TYPED_KEY, apiSecret: TYPED_SECRET } })
    expect(refused.json).toMatchObject({ ok: false, error: { statusCode: 401 } })
    for (const secret of TYPED_SECRETS) expect(refused.text).not.toContain(secret)
    expect((await connect({ audienceName: ' ' })).status).toBe(400)
  })

  it('POST /playground/reset empties the simulator', async () => {
    const answer = await request('/playground/reset', { method: 'POST', body: {} })
    expect(answer.status).toBe(200)
    expect(simulator.counts().events).toBe(0)
  })

  describe('requests it refuses', () => {
    it('415 for a body that is not sent as JSON (a form post from another page)', async () => {
      const answer = await request('/playground/run', {
        method: 'POST',
        raw: 'kind=action',
        headers: { 'content-type': 'application/x-www-form-urlencoded' }
      })
      expect(answer.status).toBe(415)
      expect(answer.json.error).toMatch(/content-type: application\/json/)
      const reset = await request('/playground/reset', {
        method: 'POST',
        raw: '',
        headers: { 'content-type': 'text/plain' }
      })
      expect(reset.status).toBe(415)
    })

    it('400 for malformed JSON and for an unknown action', async () => {
      expect((await request('/playground/run', { method: 'POST', raw: '{"kind":' })).status).toBe(400)
      const answer = await run({ kind: 'action', action: 'nope', event: {} })
      expect(answer.status).toBe(400)
      expect(answer.json.error).toMatch(/"action" must be one of the destination's actions/)
    })

    it('413 beyond the body limit', async () => {
      const answer = await run({ action: 'trackEvent', event: { blob: 'x'.repeat(70 * 1024) } })
      expect(answer.status).toBe(413)
    })

    it('403 for another Host (DNS rebinding) and for a foreign web origin; a same-origin page is served', async () => {
      expect((await request('/', { headers: { host: 'attacker.example' } })).status).toBe(403)
      const foreign = await run({ action: 'trackEvent' }, { origin: 'https://evil.example' })
      expect(foreign.status).toBe(403)
      const host = new URL(serving.server.url).host
      const same = await request('/playground/setup', { headers: { origin: `http://${host}` } })
      expect(same.status).toBe(200)
      expect(same.headers['access-control-allow-origin']).toBeUndefined()
    })

    it('405 or 404 for other methods and paths', async () => {
      expect((await request('/playground/run')).status).toBe(404)
      expect((await request('/playground/nothing')).status).toBe(404)
    })
  })
})

describe('the playground when serve sends to Appcues (--no-simulator)', () => {
  it('names no simulator, fills no credential, runs to Appcues and has nothing to clear', async () => {
    const output = captureIO()
    const playground = createPlayground()
    const serving = await serve(
      { directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, routes: playground.routes },
      output.io
    )
    try {
      const setup = await call(serving.server.url, '/playground/setup')
      expect(setup.json.simulator).toBeUndefined()
      const accountId = setup.json.settings.find((setting: { key: string }) => setting.key === 'accountId')
      expect(accountId.value).toBeUndefined()
      // No credential is filled in from a simulator: each required setting left empty is named, and nothing is sent.
      const answer = await call(serving.server.url, '/playground/run', {
        body: { kind: 'action', action: 'trackEvent', event: samples.track, mapping: trackMapping, settings: {} }
      })
      expect(answer.json.target).toEqual({ kind: 'appcues', where: 'Appcues the selected region' })
      expect(Object.keys(answer.json.settingsErrors).sort()).toEqual(['accountId', 'apiKey', 'apiSecret', 'region'])
      expect(answer.json.exchanges).toEqual([])
      const reset = await call(serving.server.url, '/playground/reset', { method: 'POST', body: {} })
      expect(reset.status).toBe(409)
      expect(reset.json.error).toMatch(/--no-simulator/)
    } finally {
      await serving.stop()
    }
  })
})
