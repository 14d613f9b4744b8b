import fs from 'fs'
import http from 'http'
import type { AddressInfo } from 'net'
import path from 'path'
import fc from 'fast-check'
import nock from 'nock'
import { createTestEvent, createTestIntegration, InvalidAudienceMembershipError } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import { createListenerForTest } from './serve-harness'
import { createPlayground, sampleEvents } from '../../src/cli/serve/playground'
import { presetSubscriptions } from '../../src/cli/send/route/subscriptions'
import { validateDefinition } from '../../src/cli/validate'
import { formatReport } from '../../src/cli/validate/report'
import destination from '../../src/destinations/appcues'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { generateTestData } from '../../src/lib/test-data'
import { validSnapshotSettings } from '../../src/destinations/appcues/__tests__/__helpers__/snapshot'
import { inProcessTarget } from '../../src/cli/serve/appcues-target'
import { DEFAULT_CREDENTIALS, routeAppcuesHostsTo, startSimulator } from '../../src/simulator'
import type { Simulator } from '../../src/simulator'
import { call } from '../cli/__helpers__/http-client'
import { cleanUp, cliToEnd, ROOT, tempDir } from './processes'
import { ALL_FORMS, assertNoSecrets, SECRETS, secretForms, secretsIn, WRONG_SECRETS } from './secrets'
import { printCounts, RUNS, SEED } from './sizes'
import { generateStream } from './stream'

const counts: Record<string, number> = {}
const ACCOUNT_ID = 10001
const good = { ...SECRETS, accountId: ACCOUNT_ID, region: 'US' }
const wrong = { ...WRONG_SECRETS, accountId: ACCOUNT_ID, region: 'US' }
/** The playground fills in its simulator's (made-up) credentials: they must not reach the page either. */
const SERVE_FORMS = [...ALL_FORMS, ...secretForms([DEFAULT_CREDENTIALS])]

let sim: Simulator
let echo: http.Server
let echoUrl: string

/**
 * An upstream that answers every call with an error repeating the credentials it was sent, in every form: what a
 * proxy or a careless API might do. Whatever repeats them must not pass them on.
 */
function startEcho(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const authorization = req.headers.authorization ?? ''
      const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8')
      const status = req.url?.includes('/events') ? 400 : req.url?.includes('/gdpr/') ? 403 : 401
      res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': authorization })
      res.end(
        JSON.stringify({
          error: true,
          status,
          title: `Refused ${decoded}`,
          detail: `The credentials ${decoded} (${authorization}) are refused`
        })
      )
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

beforeAll(async () => {
  sim = await startSimulator({ host: '127.0.0.1', rateLimit: 0, credentials: { ...SECRETS, accountId: ACCOUNT_ID } })
  echo = await startEcho()
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
})

afterAll(async () => {
  await sim.close()
  await new Promise((resolve) => echo.close(resolve))
  cleanUp()
  printCounts('secrets', counts)
})

/** An event that every action's default mapping can take. */
const anyEvent = {
  type: 'track',
  event: 'Signed Up',
  name: 'Pricing',
  userId: 'user-1',
  anonymousId: 'anon-1',
  groupId: 'group-1',
  properties: { plan: 'pro' },
  traits: { name: 'Ada', plan: 'pro' },
  context: { groupId: 'group-1', traits: { email: 'ada@example.com' } },
  timestamp: '2024-05-01T10:00:00.000Z'
}

/** The event with a secret of the request's own settings pasted into its properties. */
const eventWith = (pasted: unknown) => ({ ...anyEvent, properties: { plan: 'pro', pasted } })

interface Probe {
  method: 'GET' | 'POST' | 'OPTIONS'
  path: string
  body?: unknown
  raw?: string
  headers?: Record<string, string>
}

/** Settings for the requests to the simulator: its own credentials, refused ones, and an Account ID refused early. */
const simulatorSettings = () => [
  good,
  wrong,
  { apiKey: SECRETS.apiKey, apiSecret: SECRETS.apiSecret, accountId: 'not a number' }
]

/** Requests to every route of serve, the playground's included, with the secrets in the settings and elsewhere. */
function serveProbes(settingsSets: Array<Record<string, unknown>> = simulatorSettings()): Probe[] {
  const probes: Probe[] = [{ method: 'GET', path: '/manifest' }]
  for (const settings of settingsSets) {
    const event = eventWith(String(settings.apiSecret))
    probes.push({ method: 'POST', path: '/authenticate', body: settings })
    for (const action of Object.keys(destination.actions)) {
      probes.push({ method: 'POST', path: `/${action}`, body: { payload: event, settings } })
    }
    probes.push({
      method: 'POST',
      path: '/identifyUser',
      body: { payload: [event, { ...event, userId: 'u-2' }], settings }
    })
    probes.push({ method: 'POST', path: '/delete', body: { payload: { userId: 'user-1' }, settings } })
    probes.push({
      method: 'POST',
      path: '/delete',
      body: { payload: { userId: 'user-1' }, settings: { ...settings, legacyApiKey: undefined } }
    })
    probes.push({
      method: 'POST',
      path: '/playground/run',
      body: {
        kind: 'action',
        action: 'trackEvent',
        event,
        mapping: {
          userId: { '@path': '$.userId' },
          event: { '@path': '$.event' },
          properties: { '@path': '$.properties' }
        },
        settings
      }
    })
    probes.push({
      method: 'POST',
      path: '/playground/run',
      body: { kind: 'delete', event: sampleEvents().delete, mapping: {}, settings }
    })
  }
  const inside = JSON.stringify({ payload: anyEvent, settings: good })
  probes.push(
    // The playground's own simulator, with the form's secrets left empty (filled in on the server).
    {
      method: 'POST',
      path: '/playground/run',
      body: { kind: 'action', action: 'identifyUser', event: anyEvent, mapping: {}, settings: {} }
    },
    { method: 'GET', path: '/playground/setup' },
    { method: 'POST', path: '/playground/reset', body: {} },
    // Malformed and oversized bodies holding secrets, a secret in a query string, a refused origin and host.
    { method: 'POST', path: '/trackEvent', raw: inside.slice(0, -1) },
    { method: 'POST', path: '/trackEvent', raw: inside.replace(`"${SECRETS.apiKey}"`, SECRETS.apiKey) },
    { method: 'POST', path: '/trackEvent', raw: `${inside.slice(0, -1)}, "pad": "${'x'.repeat(70_000)}"}` },
    { method: 'POST', path: '/playground/run', raw: `{"settings": ${JSON.stringify(good)}, "kind": }` },
    { method: 'GET', path: `/nothing-here?apiKey=${encodeURIComponent(SECRETS.apiKey)}` },
    {
      method: 'OPTIONS',
      path: '/trackEvent',
      headers: { origin: 'https://app.segment.com', authorization: `Basic ${SECRETS.apiSecret}` }
    },
    {
      method: 'POST',
      path: '/trackEvent',
      body: { payload: anyEvent, settings: good },
      headers: { origin: 'https://evil.example' }
    },
    {
      method: 'POST',
      path: '/trackEvent',
      body: { payload: anyEvent, settings: good },
      headers: { host: 'evil.example' }
    }
  )
  return probes
}

/** Sends every probe to a server and returns each answer (status line, headers and body) by probe. */
async function runProbes(url: string, probes: Probe[], label = ''): Promise<Record<string, string>> {
  const outputs: Record<string, string> = {}
  for (const [index, probe] of probes.entries()) {
    const answer = await call(url, probe.path, {
      method: probe.method,
      ...(probe.raw !== undefined ? { raw: probe.raw } : probe.body !== undefined ? { body: probe.body } : {}),
      headers: probe.headers
    }).catch((error: Error) => ({ status: 0, headers: {}, text: `no answer: ${error.message}` }))
    outputs[`${label}answer ${index + 1} (${probe.method} ${probe.path.slice(0, 30)})`] = `${
      answer.status
    } ${JSON.stringify(answer.headers)} ${answer.text}`
  }
  return outputs
}

const STATUSES = [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503]
const FAILURES = ['appcues', 'v1', 'text', 'html', 'empty', 'transport', 'no legacy key', 'bad account'] as const

/**
 * Runs every action, the credential test and onDelete into failures: each error status with each body shape
 * Appcues uses, a dropped connection, and settings the destination refuses. With `echo`, the error bodies (and the
 * transport error) repeat the credentials the request carried. Resolves to the number of cases run.
 */
async function destinationErrorProperty(echo: boolean): Promise<number> {
  let cases = 0
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...Object.keys(destination.actions), 'testAuthentication', 'onDelete'),
      fc.constantFrom(...STATUSES),
      fc.constantFrom(...FAILURES),
      async (action, status, kind) => {
        cases++
        nock.cleanAll()
        const settings: Settings = { ...good, legacyApiKey: SECRETS.legacyApiKey }
        if (kind === 'no legacy key') settings.legacyApiKey = undefined
        if (kind === 'bad account') settings.accountId = -1
        const scope = nock(/.*/).persist()
        for (const method of ['get', 'post', 'patch'] as const) {
          if (kind === 'transport') {
            // A dropped connection carries no words from the other side to repeat credentials in.
            scope[method](/.*/).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
            continue
          }
          scope[method](/.*/).reply(function () {
            const authorization = String(this.req.headers.authorization ?? '')
            const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8')
            const text = echo ? `the credentials ${decoded} (${authorization}) are refused` : 'the request is refused'
            if (kind === 'appcues') return [status, { error: true, status, title: 'Refused', detail: text }]
            if (kind === 'v1') return [status, { error: true, message: { title: 'Refused', description: text } }]
            if (kind === 'text') return [status, text]
            if (kind === 'html') return [status, `<html><body>${text}</body></html>`]
            return [status]
          })
        }
        const testDestination = createTestIntegration(destination)
        let message = 'no error'
        try {
          if (action === 'testAuthentication') await testDestination.testAuthentication(settings)
          else if (action === 'onDelete') {
            const event = createTestEvent({ type: 'delete', userId: 'user-1' })
            await testDestination.onDelete?.(event, settings as unknown as JSONObject)
          } else {
            const event = createTestEvent(anyEvent as Record<string, unknown>)
            await testDestination.testAction(action, { event, settings, useDefaultMappings: true })
          }
        } catch (error) {
          message = `${String(error)}\n${(error as Error).message}`
        }
        const leaked = secretsIn(message)
        if (leaked.length > 0) throw new Error(`${action} (${status}, ${kind}) leaks ${leaked.join(', ')}: ${message}`)
      }
    ),
    { numRuns: RUNS * 3, seed: SEED }
  )
  nock.cleanAll()
  return cases
}

describe('no secret in anything the toolchain and the destination produce', () => {
  it('serve: every answer and log line, the playground routes included', async () => {
    const lines: string[] = []
    const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) }
    const playground = createPlayground({ bodyLimit: 64 * 1024, simulator: inProcessTarget(sim) })
    const serving = await serve(
      { directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, bodyLimit: 64 * 1024, routes: playground.routes },
      io
    )
    // Appcues' hosts go to the simulator, then to an upstream that repeats the credentials in every answer.
    const routedTo = async (url: string, settingsSets: Array<Record<string, unknown>>, label: string) => {
      const restore = routeAppcuesHostsTo(url)
      try {
        return await runProbes(serving.server.url, serveProbes(settingsSets), label)
      } finally {
        restore()
      }
    }
    let outputs: Record<string, string>
    try {
      outputs = {
        ...(await routedTo(sim.url, simulatorSettings(), 'simulator ')),
        ...(await routedTo(echoUrl, [good], 'echo '))
      }
    } finally {
      await serving.stop()
    }
    // The probes did reach the paths that handle secrets.
    const all = Object.values(outputs).join('\n')
    expect(all).toContain('<redacted>')
    expect(all).toMatch(/^200 .*"ok":true/m)
    expect(all).toMatch(/^413 /m)
    expect(all).toMatch(/^400 /m)
    assertNoSecrets({ ...outputs, log: lines.join('\n') }, SERVE_FORMS)
    counts['serve requests'] = Object.keys(outputs).length
    counts['serve log lines'] = lines.length
  }, 60_000)

  it('send: stdout, stderr, the --json summary, dead-letter and checkpoint files', async () => {
    const dir = tempDir()
    const data = generateStream(SEED, 40)
    const input = path.join(dir, 'events.jsonl')
    const at = '2024-05-01T10:00:00.000Z'
    const extra = [
      { type: 'track', event: 'User Deleted', userId: 'user-3', timestamp: at }, // deleteUser: the Legacy API key
      { type: 'track', event: 'Signed Up', anonymousId: 'anon-9', timestamp: at }, // rejected: no user ID
      { type: 'group', groupId: 'group-9', userId: 'user-9', traits: { plan: 'pro' }, timestamp: at } // fails: 503s
    ]
    fs.writeFileSync(input, `${data.text}${extra.map((event) => JSON.stringify(event)).join('\n')}\n`)
    const mapping = path.join(dir, 'mapping.json')
    const erase = {
      name: 'Erase users',
      subscribe: 'type = "track" and event = "User Deleted"',
      partnerAction: 'deleteUser',
      mapping: { userId: { '@path': '$.userId' } }
    }
    fs.writeFileSync(mapping, JSON.stringify([...presetSubscriptions(destination), erase]))
    // Every membership call fails: group calls with a user run out of retries and are dead-lettered as failed.
    sim.setFaults({ errorRates: { 503: 1 }, routes: ['groupUsers'] })
    const env = (set: typeof SECRETS) => ({
      APPCUES_ACCOUNT_ID: String(ACCOUNT_ID),
      APPCUES_API_KEY: set.apiKey,
      APPCUES_API_SECRET: set.apiSecret,
      APPCUES_LEGACY_API_KEY: set.legacyApiKey
    })
    const common = (name: string) => [
      'send',
      input,
      '--mapping',
      mapping,
      '--rate',
      '0',
      '--retry-delay',
      '10',
      '--max-retries',
      '1',
      '--dead-letter',
      path.join(dir, `${name}.dead.jsonl`),
      '--checkpoint',
      path.join(dir, `${name}.checkpoint`)
    ]
    const flags = (set: typeof SECRETS) => [
      '--account-id',
      String(ACCOUNT_ID),
      '--api-key',
      set.apiKey,
      '--api-secret',
      set.apiSecret,
      '--legacy-api-key',
      set.legacyApiKey
    ]
    const runs = {
      // Secrets in the environment, the summary as JSON.
      env: () => cliToEnd([...common('env'), '--endpoint', sim.url, '--json'], env(SECRETS)),
      // Secrets on the command line, a refused Legacy API key (deletions fail), the text summary with progress.
      flags: () =>
        cliToEnd([
          ...common('flags'),
          '--endpoint',
          sim.url,
          ...flags({ ...SECRETS, legacyApiKey: WRONG_SECRETS.legacyApiKey })
        ]),
      // A refused key pair: send stops before sending anything.
      refused: () => cliToEnd([...common('refused'), '--endpoint', sim.url], env(WRONG_SECRETS)),
      // An unreachable simulator.
      unreachable: () =>
        cliToEnd([...common('unreachable'), '--endpoint', 'http://127.0.0.1:9', '--max-retries', '0'], env(SECRETS)),
      // The in-process simulator, although secrets are set.
      simulate: () => cliToEnd([...common('simulate'), '--simulate', '--json'], env(SECRETS))
    }
    const results: Record<string, { code: number | null; stdout: string; stderr: string }> = {}
    const names = Object.keys(runs) as Array<keyof typeof runs>
    // Two at a time: most of a run is the CLI starting up.
    for (let i = 0; i < names.length; i += 2) {
      const batch = names.slice(i, i + 2)
      const done = await Promise.all(batch.map((name) => runs[name]()))
      batch.forEach((name, j) => (results[name] = done[j]))
    }
    sim.setFaults({})
    expect(results.env.code).toBe(1) // the group calls with a user failed
    expect(results.refused.code).toBe(2)
    expect(results.refused.stderr).toMatch(/credentials|API Key|API Secret/)
    expect(results.unreachable.code).not.toBe(0)
    const outputs: Record<string, string> = {}
    for (const [name, result] of Object.entries(results)) {
      outputs[`${name} stdout`] = result.stdout
      outputs[`${name} stderr`] = result.stderr
    }
    const written = fs.readdirSync(dir).filter((file) => file !== 'events.jsonl' && file !== 'mapping.json')
    for (const file of written) outputs[file] = fs.readFileSync(path.join(dir, file), 'utf8')
    // What the runs wrote is what is checked: dead letters with reasons (failed and rejected), checkpoints.
    expect(written).toEqual(expect.arrayContaining(['env.dead.jsonl', 'env.checkpoint', 'flags.dead.jsonl']))
    expect(outputs['flags.dead.jsonl']).toContain('"action":"deleteUser"')
    expect(outputs['env.dead.jsonl']).toContain('"outcome":"failed"')
    expect(outputs['env.dead.jsonl']).toContain('"outcome":"rejected"')
    assertNoSecrets(outputs)
    counts['send runs'] = names.length
    counts['send outputs checked'] = Object.keys(outputs).length
  }, 180_000)

  it('validate: text and --json reports, with the secrets in the environment and in setting defaults', async () => {
    const env = {
      APPCUES_API_KEY: SECRETS.apiKey,
      APPCUES_API_SECRET: SECRETS.apiSecret,
      APPCUES_LEGACY_API_KEY: SECRETS.legacyApiKey
    }
    const [text, json] = await Promise.all([cliToEnd(['validate'], env), cliToEnd(['validate', '--json'], env)])
    expect(text.code).toBe(0)
    // A definition whose password settings carry a secret as their default, one of them no longer a password:
    // validate complains about those settings and must still not print the values.
    const real = loadDestination().definition
    const fields = real.authentication?.fields ?? {}
    const leaky = {
      ...real,
      authentication: {
        ...real.authentication,
        fields: {
          ...fields,
          apiKey: { ...fields.apiKey, type: 'string', default: SECRETS.apiKey },
          apiSecret: { ...fields.apiSecret, default: SECRETS.apiSecret },
          legacyApiKey: { ...fields.legacyApiKey, default: SECRETS.legacyApiKey }
        }
      }
    } as unknown as Record<string, unknown>
    const result = validateDefinition(leaky, DESTINATION_DIR)
    expect(result.findings.length).toBeGreaterThan(0)
    assertNoSecrets({
      'validate stdout': text.stdout,
      'validate stderr': text.stderr,
      'validate --json': json.stdout + json.stderr,
      'validate report of a definition with secret defaults': formatReport(result).join('\n'),
      'validate findings as JSON': JSON.stringify(result)
    })
    counts['validate reports'] = 4
  }, 60_000)

  it('destination errors: every failure path of every action and of the credential test (property)', async () => {
    counts['destination error cases'] = await destinationErrorProperty(false)
  }, 120_000)

  it('destination errors: also when Appcues (or a proxy) repeats the credentials in its error (property)', async () => {
    counts['destination error cases, credentials repeated'] = await destinationErrorProperty(true)
  }, 120_000)

  it('snapshots: the committed __snapshots__ files, and the snapshot recipe run with these secrets', async () => {
    const snapshotFiles: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory() && entry.name !== 'node_modules') walk(full)
        else if (full.includes(`${path.sep}__snapshots__${path.sep}`)) snapshotFiles.push(full)
      }
    }
    walk(path.join(ROOT, 'src'))
    walk(path.join(ROOT, '__tests__'))
    expect(snapshotFiles.length).toBeGreaterThan(0)
    // The recipe fills every setting from one seeded generator, so the generated "secrets" are the same text as the
    // generated user IDs the snapshots rightly hold; what must never be there is a credential header.
    const generated = Object.keys(destination.actions).flatMap((action) =>
      [true, false].map((requiredOnly) => {
        const [, settings] = generateTestData(
          `actions-appcues#${action}`,
          destination,
          destination.actions[action],
          requiredOnly
        )
        return settings as typeof SECRETS
      })
    )
    const plainForms = new Set(
      generated.flatMap((set) =>
        Object.values(set).flatMap((value) => [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])
      )
    )
    const credentialForms = secretForms(generated).filter((form) => !plainForms.has(form))
    const committed: Record<string, string> = {}
    for (const file of snapshotFiles) {
      const text = fs.readFileSync(file, 'utf8')
      committed[path.relative(ROOT, file)] = text
      expect(text).not.toMatch(/authorization|Basic [A-Za-z0-9+/=]{8,}/i)
    }
    assertNoSecrets(committed, [...ALL_FORMS, ...credentialForms])

    // The same recipe with recognisable secrets in the password settings: what it would commit holds none of them.
    const recorded: Record<string, string> = {}
    for (const action of Object.keys(destination.actions)) {
      const [eventData, settingsData] = generateTestData(
        `actions-appcues#${action}`,
        destination,
        destination.actions[action],
        false
      )
      nock.cleanAll()
      for (const method of ['get', 'post', 'put', 'patch'] as const) nock(/.*/).persist()[method](/.*/).reply(200)
      const event = createTestEvent({ properties: eventData })
      const responses = await createTestIntegration(destination)
        .testAction(action, {
          event,
          mapping: event.properties,
          settings: { ...validSnapshotSettings(settingsData), ...SECRETS },
          auth: undefined
        })
        .catch((error: Error) => {
          // Sync Audience refuses test data that is no audience change; its refusal is what would be committed.
          if (!(error instanceof InvalidAudienceMembershipError)) throw error
          recorded[action] = error.message
          return []
        })
      if (responses.length === 0 && recorded[action] !== undefined) continue
      const requests = await Promise.all(
        responses.map(async (response) => ({
          method: response.request.method,
          url: response.request.url,
          body: await response.request.text()
        }))
      )
      recorded[action] = JSON.stringify(requests)
    }
    assertNoSecrets(recorded)
    counts['snapshot files'] = snapshotFiles.length
    counts['snapshot recipe runs'] = Object.keys(recorded).length
  }, 60_000)
})

describe('the secret checks fail when a secret leaks on purpose', () => {
  it('catches a serve with a debug logger that logs each request, headers and body', async () => {
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    const playground = createPlayground({ bodyLimit: 64 * 1024 })
    const { listener, close } = createListenerForTest({ log, routes: playground.routes })
    // The "debugging aid": every request is logged as it arrives, before serve's own (scrubbing) handling.
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () =>
        log(`${req.method ?? ''} ${req.url ?? ''} ${JSON.stringify(req.headers)} ${Buffer.concat(chunks).toString()}`)
      )
      listener(req, res)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const outputs = await runProbes(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        serveProbes().slice(0, 12)
      )
      expect(() => assertNoSecrets({ ...outputs, log: lines.join('\n') }, SERVE_FORMS)).toThrow(/secrets leaked/)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      close()
    }
  })
})
