import http from 'http'
import type { AddressInfo } from 'net'
import fc from 'fast-check'
import nock from 'nock'
import { createTestEvent, createTestIntegration, PayloadValidationError } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import { AggregateAjvError } from '@segment/ajv-human-errors'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import type { Serving } from '../../src/cli/serve'
import { ALLOWED_ORIGINS } from '../../src/cli/serve/allowed-origins'
import { createPlayground } from '../../src/cli/serve/playground'
import destination from '../../src/destinations/appcues'
import { apiUrl, encodeId } from '../../src/destinations/appcues/functions'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { APPCUES_HOSTS } from '../../src/simulator'
import { call } from '../cli/__helpers__/http-client'
import type { HttpAnswer } from '../cli/__helpers__/http-client'
import {
  assertLoopbackOnly,
  checkAppcuesOrigin,
  checkCors,
  checkIdInPath,
  checkRefusal,
  isLoopbackName,
  originOf,
  isWellFormed,
  listeningAddresses,
  mayRefuseId
} from './boundaries'
import { cleanUp, cli, waitFor } from './processes'
import { printCounts, RUNS, SEED } from './sizes'

const counts: Record<string, unknown> = {}
const settings: Settings = { apiKey: 'k', apiSecret: 's', accountId: 7, region: 'US' }

afterAll(() => {
  cleanUp()
  printCounts('boundaries', counts)
})

// ---- ids in URL paths -------------------------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
const pathSyntax = fc.constantFrom('.', '/', '%', '?', '#', '\\', ';', ' ', 'a', '2e', '2f')
/** Ids of every kind: path syntax, percent-encoding, dot segments, unicode, control characters. */
const anyId = fc
  .oneof(
    fc.constantFrom(
      '.',
      '..',
      '../admin',
      './x',
      '%2e%2e',
      '%2E%2e/x',
      'a/b?c#d',
      '/',
      '//',
      '?',
      '#',
      '\\..\\x',
      ' ',
      ''
    ),
    fc.constantFrom('%', '%zz', '%00', 'a%2Fb', '..%2f..%2fv2', 'user@example.com', 'ü', '\u0000', '\u202e', '😀'),
    fc.string({ maxLength: 12 }),
    fc.fullUnicodeString({ maxLength: 12 }),
    fc.array(pathSyntax, { maxLength: 8 }).map((parts) => parts.join(''))
  )
  .filter(isWellFormed)
/** Ids holding a lone surrogate: valid in JSON ("\ud800"), so a Segment event can carry one; not valid Unicode. */
const brokenUnicodeId = fc
  .tuple(fc.array(pathSyntax, { maxLength: 3 }), loneSurrogate, fc.string({ maxLength: 3 }))
  .map(([before, surrogate, after]) => `${before.join('')}${surrogate}${after}`)
  .filter((id) => !isWellFormed(id))

const BASES: Array<{ settings: Settings; prefix: string }> = [
  { settings, prefix: '' },
  { settings: { ...settings, region: 'EU' }, prefix: '' }
]

type IdBuilder = (settings: Settings, id: string) => string

function idProperty(builders: Record<string, IdBuilder>, outcomes = { encoded: 0, refused: 0 }) {
  return fc.property(anyId, fc.constantFrom(...Object.keys(builders)), fc.constantFrom(...BASES), (id, name, base) => {
    outcomes[checkIdInPath(name, id, () => builders[name](base.settings, id), base.prefix)]++
  })
}

const BUILDERS: Record<string, IdBuilder> = {
  userProfile: (base, id) => apiUrl(base, `/users/${encodeId(id, 'User ID')}/profile`),
  userEvents: (base, id) => apiUrl(base, `/users/${encodeId(id, 'User ID')}/events`),
  groupProfile: (base, id) => apiUrl(base, `/groups/${encodeId(id, 'Group ID')}/profile`),
  groupUsers: (base, id) => apiUrl(base, `/groups/${encodeId(id, 'Group ID')}/users`)
}

describe('boundaries: ids that try to change the URL path are encoded', () => {
  it('property: any id in any URL builder gives the fixed path shape, and its segment decodes to the id', () => {
    const outcomes = { encoded: 0, refused: 0 }
    fc.assert(idProperty(BUILDERS, outcomes), { numRuns: RUNS * 5, seed: SEED })
    expect(outcomes.encoded).toBeGreaterThan(outcomes.refused)
    counts['id cases (URL builders)'] = outcomes
  })

  it('property: the request the actions actually send has the fixed path shape, with the id in one segment', async () => {
    counts['id cases (actions)'] = await actionIdProperty(anyId, RUNS)
  })

  it('ids that are not well-formed Unicode (a lone surrogate, valid in JSON) are refused, not a crash', async () => {
    const outcomes = { encoded: 0, refused: 0 }
    fc.assert(
      fc.property(brokenUnicodeId, fc.constantFrom(...Object.keys(BUILDERS)), (id, name) => {
        outcomes[checkIdInPath(name, id, () => BUILDERS[name](settings, id))]++
      }),
      { numRuns: RUNS, seed: SEED }
    )
    await actionIdProperty(brokenUnicodeId, RUNS)
    counts['id cases (lone surrogates)'] = outcomes
  })
})

const ID_ACTIONS = [
  { action: 'identifyUser', builder: 'userProfile', event: (id: string) => ({ type: 'identify', userId: id }) },
  { action: 'trackEvent', builder: 'userEvents', event: (id: string) => ({ type: 'track', event: 'E', userId: id }) },
  { action: 'identifyGroup', builder: 'groupProfile', event: (id: string) => ({ type: 'group', groupId: id }) }
]

/** Sends an event with the id through an action (HTTP mocked) and checks the path of the request it made. */
async function actionIdProperty(ids: fc.Arbitrary<string>, runs: number) {
  const outcomes = { encoded: 0, refused: 0 }
  await fc.assert(
    fc.asyncProperty(ids, fc.constantFrom(...ID_ACTIONS), async (id, { action, builder, event }) => {
      nock.cleanAll()
      const sent: string[] = []
      for (const method of ['post', 'patch'] as const) {
        const scope = nock(/.*/).persist()
        scope[method](/.*/).reply(function () {
          sent.push(`https://api.appcues.com${this.req.path}`)
          return [200, {}]
        })
      }
      try {
        await createTestIntegration(destination).testAction(action, {
          event: createTestEvent(event(id) as Record<string, unknown>),
          settings,
          useDefaultMappings: true
        })
      } catch (error) {
        if ((error instanceof PayloadValidationError || error instanceof AggregateAjvError) && mayRefuseId(id)) {
          outcomes.refused++
          return
        }
        throw new Error(`${action} with the id ${JSON.stringify(id)} threw ${String(error)}`)
      }
      outcomes[checkIdInPath(builder, id, () => sent[0])]++
    }),
    { numRuns: runs, seed: SEED }
  )
  nock.cleanAll()
  return outcomes
}

// ---- where requests go ------------------------------------------------------------------------------------------

const HOSTS = [
  'localhost',
  '127.0.0.1',
  '[::1]',
  '0.0.0.0',
  '169.254.169.254',
  'example.com',
  'localhost:80@evil.example',
  'evil.example#@localhost',
  'api.appcues.com.evil.example',
  'api.appcues.com'
]
const SCHEMES = ['https', 'http', 'ftp', 'file', 'javascript']

const anyUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .record({
      scheme: fc.constantFrom(...SCHEMES),
      host: fc.oneof(fc.constantFrom(...HOSTS), fc.domain()),
      path: fc.constantFrom('', '/', '/proxy', '/%2e%2e/'),
      userinfo: fc.constantFrom('', 'user:pass@')
    })
    .map(({ scheme, host, path, userinfo }) => `${scheme}://${userinfo}${host}${path}`),
  fc.string({ maxLength: 30 })
)

/** Settings with the kept four set more or less validly, plus keys a customer or an old setup could add. */
const anySettings = fc.record(
  {
    apiKey: fc.constantFrom('k', 'key with spaces'),
    apiSecret: fc.constantFrom('s', ''),
    accountId: fc.oneof(
      { arbitrary: fc.constantFrom(7, '7', ' 7 '), weight: 4 },
      { arbitrary: fc.constantFrom('test-account-id', -1, 1.5), weight: 1 },
      { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }
    ),
    region: fc.oneof(
      { arbitrary: fc.constantFrom('US', 'EU'), weight: 4 },
      { arbitrary: fc.constantFrom('us', 'APAC', ''), weight: 1 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 1 }
    ),
    legacyApiKey: fc.constantFrom('legacy', ''),
    endpoint: anyUrl,
    baseUrl: anyUrl,
    host: anyUrl,
    url: anyUrl
  },
  { requiredKeys: ['apiKey', 'apiSecret', 'accountId', 'region'] }
)

const EVERY_CALL = [...Object.keys(destination.actions), 'testAuthentication', 'onDelete']

/** Runs one action (or the credential check, or a privacy deletion) with any settings; resolves to the origins it called. */
async function originsCalled(
  call: string,
  given: Record<string, unknown>,
  definition: typeof destination = destination
): Promise<string[]> {
  nock.cleanAll()
  const origins: string[] = []
  const scope = nock(/.*/).persist()
  for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
    scope[method](/.*/).reply(function () {
      origins.push(originOf(this.req))
      return [200, {}]
    })
  }
  const testDestination = createTestIntegration(definition)
  const event = createTestEvent({ type: 'track', event: 'Signed Up', userId: 'u1', groupId: 'g1', traits: { a: 1 } })
  const settingsGiven = given as unknown as Settings
  const run = async () => {
    if (call === 'testAuthentication') return testDestination.testAuthentication(settingsGiven)
    if (call === 'onDelete') {
      return testDestination.onDelete?.(createTestEvent({ type: 'delete', userId: 'u1' }), given as JSONObject)
    }
    return testDestination.testAction(call, { event, settings: settingsGiven, useDefaultMappings: true })
  }
  await run().catch(() => undefined)
  return origins
}

describe('boundaries: requests go to Appcues and nowhere else, whatever the settings hold', () => {
  it("property: every request of every action, the credential check and onDelete goes to one of Appcues' hosts over https", async () => {
    const outcomes = { cases: 0, requests: 0 }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EVERY_CALL), anySettings, async (call, given) => {
        outcomes.cases++
        const origins = await originsCalled(call, given)
        outcomes.requests += origins.length
        for (const origin of origins) checkAppcuesOrigin(origin, `${call} with ${JSON.stringify(given)}`)
      }),
      { numRuns: RUNS * 2, seed: SEED }
    )
    nock.cleanAll()
    expect(outcomes.requests).toBeGreaterThan(0)
    counts['host cases (destination)'] = outcomes
  })

  it("the definition has no setting that names a host, and Appcues' hosts are the simulator's", () => {
    const keys = Object.keys(destination.authentication?.fields ?? {})
    expect(keys).toEqual(['apiKey', 'apiSecret', 'accountId', 'region', 'legacyApiKey'])
    for (const host of APPCUES_HOSTS) checkAppcuesOrigin(`https://${host}`, 'the simulator route')
  })
})

// ---- serve ------------------------------------------------------------------------------------------------------

describe('boundaries: serve', () => {
  const LIMIT = 16 * 1024
  let serving: Serving
  const log: string[] = []
  const io = { stdout: (line: string) => log.push(line), stderr: (line: string) => log.push(line) }

  beforeAll(async () => {
    const playground = createPlayground({ bodyLimit: LIMIT })
    serving = await serve(
      { directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, bodyLimit: LIMIT, routes: playground.routes },
      io
    )
  })

  afterAll(async () => {
    await serving.stop()
  })

  const BODY_ROUTES = [
    '/authenticate',
    '/delete',
    ...Object.keys(destination.actions).map((key) => `/${key}`),
    '/playground/run'
  ]

  it('listens on loopback only by default: the bound address of `appcues-actions serve`', async () => {
    const child = cli(['serve', '--port', '0'])
    try {
      await waitFor(() => /Serving .* at http:\/\/[^:]+:\d+/.test(child.stdout()), 60_000, 'serve to start')
      const [, host, port] = /Serving .* at http:\/\/([^:]+):(\d+)/.exec(child.stdout()) ?? []
      expect(host).toBe('127.0.0.1')
      const bound = await assertLoopbackOnly(Number(port))
      // The default body limit (1 MB) holds on the real command too.
      const big = await call(`http://127.0.0.1:${port}`, '/trackEvent', {
        raw: `{"pad": "${'x'.repeat(1024 * 1024)}"}`
      })
      expect(big.status).toBe(413)
      counts['serve bound addresses'] = bound
    } finally {
      child.kill('SIGTERM')
      await child.exit
    }
  }, 90_000)

  it('listens elsewhere only when told, and warns', async () => {
    const lines: string[] = []
    const other = await serve(
      { directory: DESTINATION_DIR, host: '0.0.0.0', port: 0 },
      { stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) }
    )
    try {
      expect(lines.join('\n')).toMatch(/warning: listening on 0\.0\.0\.0, not on loopback/)
      const bound = listeningAddresses(other.server.port)
      if (bound) expect(bound).toContain('0.0.0.0')
      await expect(assertLoopbackOnly(other.server.port)).rejects.toThrow(/not only to loopback|accepts connections/)
    } finally {
      await other.stop()
    }
  })

  it('property: a malformed body gets 400 on every route that reads one', async () => {
    const statuses: Record<number, number> = {}
    const malformed = fc
      .tuple(
        fc.jsonValue({ maxDepth: 3 }),
        fc.nat(),
        fc.constantFrom('truncate', 'insert', 'not json', 'not an object')
      )
      .map(([value, at, how]) => {
        const text = JSON.stringify({ payload: value, settings })
        if (how === 'truncate') return text.slice(0, 1 + (at % (text.length - 1)))
        if (how === 'insert') return `${text.slice(0, at % text.length)}}{,${text.slice(at % text.length)}`
        if (how === 'not json') return `payload=${encodeURIComponent(text)}`
        return JSON.stringify([value])
      })
      .filter((text) => {
        try {
          const parsed: unknown = JSON.parse(text)
          return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)
        } catch {
          return true
        }
      })
    await fc.assert(
      fc.asyncProperty(malformed, fc.constantFrom(...BODY_ROUTES), async (raw, route) => {
        const answer = await call(serving.server.url, route, { raw })
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
        checkRefusal(400, answer, `${route} with ${raw.slice(0, 60)}`)
      }),
      { numRuns: RUNS, seed: SEED }
    )
    counts['malformed bodies'] = statuses
  })

  it('property: a body over the limit gets 413 on every route that reads one, valid JSON or not', async () => {
    const statuses: Record<number, number> = {}
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMIT + 1, max: 4 * LIMIT }),
        fc.boolean(),
        fc.constantFrom(...BODY_ROUTES),
        async (size, valid, route) => {
          const head = valid ? '{"payload": {}, "pad": "' : '{"payload": '
          const raw = `${head}${'x'.repeat(size - head.length - 2)}"}`
          const answer = await call(serving.server.url, route, { raw })
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
          checkRefusal(413, answer, `${route} with ${raw.length} bytes`)
        }
      ),
      { numRuns: RUNS, seed: SEED }
    )
    counts['oversized bodies'] = statuses
  })

  it('POST /playground/reset refuses oversized and malformed bodies too', async () => {
    const big = await call(serving.server.url, '/playground/reset', { raw: `{"pad": "${'x'.repeat(2 * LIMIT)}"}` })
    const broken = await call(serving.server.url, '/playground/reset', { raw: '{"oops": ' })
    checkRefusal(413, big, 'an oversized body')
    checkRefusal(400, broken, 'a malformed body')
  })

  const ROUTES = [
    '/',
    '/playground/app.js',
    '/playground/setup',
    '/playground/run',
    '/manifest',
    '/authenticate',
    '/trackEvent',
    '/delete',
    '/nothing'
  ]
  const anyOrigin = fc.oneof(
    fc.constantFrom(...ALLOWED_ORIGINS),
    fc.constantFrom(
      'null',
      'https://app.segment.com.evil.example',
      'https://evil.example/https://app.segment.com',
      'http://localhost:8000.evil.example',
      'https://APP.SEGMENT.COM',
      'http://app.segment.com',
      'https://app.segment.com:443',
      '*'
    ),
    fc.webUrl().map((url) => new URL(url).origin),
    fc.constant(undefined)
  )

  it('property: no answer carries a wildcard CORS header, whatever the route, method and origin', async () => {
    let cases = 0
    let allowed = 0
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.constantFrom('GET', 'POST', 'OPTIONS'),
        anyOrigin,
        async (route, method, origin) => {
          cases++
          const answer: HttpAnswer = await call(serving.server.url, route, {
            method,
            ...(method === 'POST' ? { body: {} } : {}),
            headers: origin === undefined ? {} : { origin }
          })
          checkCors(answer.headers, origin, ALLOWED_ORIGINS)
          if (answer.headers['access-control-allow-origin']) allowed++
        }
      ),
      { numRuns: RUNS * 2, seed: SEED }
    )
    expect(allowed).toBeGreaterThan(0)
    counts['CORS cases'] = { cases, withAllowOrigin: allowed }
  })

  it('property: a request addressed to a host name that is not loopback is refused (DNS rebinding)', async () => {
    let cases = 0
    await fc.assert(
      fc.asyncProperty(fc.domain(), fc.constantFrom(...ROUTES), async (host, route) => {
        cases++
        const answer = await call(serving.server.url, route, { headers: { host: `${host}:${serving.server.port}` } })
        const expected = isLoopbackName(host) ? answer.status !== 403 : answer.status === 403
        if (!expected) throw new Error(`Host ${host}: ${route} answered ${answer.status}`)
      }),
      { numRuns: RUNS, seed: SEED }
    )
    counts['Host cases'] = cases
  })
})

// ---- broken on purpose -----------------------------------------------------------------------------------------

describe('the boundary checks fail when the behaviour is broken on purpose', () => {
  it('catches a URL builder that does not encode ids', () => {
    const naive: Record<string, IdBuilder> = {
      userProfile: (s, id) => `https://api.appcues.com/v2/accounts/${s.accountId}/users/${id}/profile`,
      userEvents: (s, id) => `https://api.appcues.com/v2/accounts/${s.accountId}/users/${id}/events`,
      groupProfile: (s, id) => `https://api.appcues.com/v2/accounts/${s.accountId}/groups/${id}/profile`,
      groupUsers: (s, id) => `https://api.appcues.com/v2/accounts/${s.accountId}/groups/${id}/users`
    }
    expect(() => fc.assert(idProperty(naive), { numRuns: RUNS, seed: SEED })).toThrow(
      /built the path|decodes to|simulator reads|left/
    )
  })

  it('catches an action that takes its host from a setting', async () => {
    const leaky = {
      ...destination,
      actions: {
        ...destination.actions,
        trackEvent: {
          ...destination.actions.trackEvent,
          perform: (request: (url: string) => Promise<unknown>, { settings: given }: { settings: unknown }) =>
            request(`${String((given as { endpoint?: string }).endpoint)}/v2/accounts/7/tags`)
        }
      }
    } as typeof destination
    const origins = await originsCalled('trackEvent', { ...settings, endpoint: 'http://169.254.169.254' }, leaky)
    nock.cleanAll()
    expect(origins).toEqual(['http://169.254.169.254'])
    expect(() => checkAppcuesOrigin(origins[0], 'the leaky action')).toThrow(/not one of Appcues/)
  })

  it('catches a server bound to 0.0.0.0 with wildcard CORS and no body checks', async () => {
    const server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' })
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
    const { port } = server.address() as AddressInfo
    const url = `http://127.0.0.1:${port}`
    try {
      await expect(assertLoopbackOnly(port)).rejects.toThrow(/not only to loopback|accepts connections/)
      const answer = await call(url, '/trackEvent', { headers: { origin: 'https://evil.example' } })
      expect(() => checkCors(answer.headers, 'https://evil.example', ALLOWED_ORIGINS)).toThrow(/wildcard CORS/)
      const big = await call(url, '/trackEvent', { raw: `{"pad": "${'x'.repeat(2 * 1024 * 1024)}"}` })
      expect(() => checkRefusal(413, big, 'an oversized body')).toThrow(/answered 200/)
      const broken = await call(url, '/trackEvent', { raw: '{"payload": ' })
      expect(() => checkRefusal(400, broken, 'a malformed body')).toThrow(/answered 200/)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
