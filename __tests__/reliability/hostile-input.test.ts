import fc from 'fast-check'
import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  InvalidAudienceMembershipError,
  PayloadValidationError
} from '@segment/actions-core'
import type { ActionDefinition, DestinationDefinition } from '@segment/actions-core'
import { AggregateAjvError } from '@segment/ajv-human-errors'
import destination from '../../src/destinations/appcues'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { hostileEvent } from './arbitraries'
import {
  assertActionsCoreError,
  assertFlatAttributes,
  assertNamesAField,
  assertPathShape,
  assertPrototypeClean,
  assertSimulatorContract
} from './checks'
import { RUNS, SEED } from './sizes'

const settings: Settings = { apiKey: 'k', apiSecret: 's', accountId: 7, region: 'US', legacyApiKey: 'legacy' }

export const runCounts: Record<string, { accepted: number; rejected: number }> = {}

function mockAppcues() {
  // Sync Audience reads the segment list and the ID of a segment it creates.
  nock(/.*/)
    .persist()
    .get(/\/segments$/)
    .reply(200, [])
  nock(/.*/)
    .persist()
    .post(/\/segments$/)
    .reply(201, { id: 'seg-1', name: 'audience' })
  for (const method of ['get', 'post', 'patch'] as const) nock(/.*/).persist()[method](/.*/).reply(200, {})
}

function assertCleanBody(url: string, method: string, body: unknown) {
  assertOwnRules(url, method, body)
  // Last, so that a body breaking one of the rules above is reported by that rule.
  assertSimulatorContract(url, method, body)
}

function assertOwnRules(url: string, method: string, body: unknown) {
  assertPathShape(url)
  const path = new URL(url).pathname
  const record = body as Record<string, unknown>
  if (method === 'PATCH') return assertFlatAttributes(body)
  if (path.endsWith('/events')) {
    assertFlatAttributes(record.attributes)
    if (typeof record.name !== 'string' || record.name.length > 127)
      throw new Error(`bad event name ${String(record.name)}`)
    if (typeof record.timestamp !== 'string' || Number.isNaN(Date.parse(record.timestamp))) {
      throw new Error(`bad timestamp ${String(record.timestamp)}`)
    }
  }
  if (/\/users$|_user_ids$/.test(path) && !(record.user_ids as unknown[]).every((id) => typeof id === 'string')) {
    throw new Error('user_ids must be strings')
  }
}

const AUDIENCE_KEY = 'hostile_audience'
const asObject = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

/** Sync Audience acts only on Engage audience changes: the hostile event gets Engage's audience context and membership. */
function asAudienceChange(raw: Record<string, unknown>): Record<string, unknown> {
  const member = JSON.stringify(raw).length % 2 === 0
  return {
    ...raw,
    properties: { ...asObject(raw.properties), [AUDIENCE_KEY]: member },
    traits: { ...asObject(raw.traits), [AUDIENCE_KEY]: member },
    context: {
      ...asObject(raw.context),
      personas: { computation_class: 'audience', computation_key: AUDIENCE_KEY, computation_id: 'aud_1' }
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function checkAction(definition: DestinationDefinition<any>, actionKey: string, raw: unknown) {
  const testDestination = createTestIntegration(definition)
  const action = definition.actions[actionKey] as ActionDefinition<Settings>
  const parsed = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>
  const event = createTestEvent(actionKey === 'syncAudience' ? asAudienceChange(parsed) : parsed)
  const counts = (runCounts[actionKey] ??= { accepted: 0, rejected: 0 })
  let responses: Awaited<ReturnType<typeof testDestination.testAction>>
  try {
    responses = await testDestination.testAction(actionKey, { event, settings, useDefaultMappings: true })
  } catch (error) {
    assertPrototypeClean()
    assertActionsCoreError(error)
    if (error instanceof InvalidAudienceMembershipError && actionKey === 'syncAudience') {
      // The event is no audience change at all (a page call, say): refused as such, whatever its fields hold.
      counts.rejected++
      return
    }
    if (!(error instanceof PayloadValidationError || error instanceof AggregateAjvError)) throw error
    assertNamesAField(error, action.fields)
    counts.rejected++
    return
  }
  assertPrototypeClean()
  for (const response of responses) assertCleanBody(response.url, response.request.method, response.options.json)
  counts.accepted++
}

describe('hostile input through every action', () => {
  beforeEach(mockAppcues)

  for (const actionKey of Object.keys(destination.actions)) {
    it(`${actionKey}: refuses bad input with a field-naming actions-core error and sends only clean bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileEvent, (raw) => checkAction(destination, actionKey, raw)),
        { numRuns: RUNS, seed: SEED }
      )
      const counts = runCounts[actionKey]
      expect(counts.accepted + counts.rejected).toBeGreaterThanOrEqual(RUNS)
      expect(counts.accepted).toBeGreaterThan(0)
    })
  }

  afterAll(() => {
    process.stdout.write(`hostile input runs per action: ${JSON.stringify(runCounts)}\n`)
  })
})

describe('the hostile-input property fails when the behaviour it guards is broken on purpose', () => {
  beforeEach(mockAppcues)

  it('catches an identifyUser that sends traits without flattening them', async () => {
    const broken = {
      ...destination,
      actions: {
        ...destination.actions,
        identifyUser: {
          ...destination.actions.identifyUser,
          perform: (request, { payload }) =>
            request(
              `https://api.appcues.com/v2/accounts/7/users/${encodeURIComponent(String(payload.userId))}/profile`,
              {
                method: 'PATCH',
                json: payload.traits
              }
            )
        } as ActionDefinition<Settings>
      }
    }
    await expect(
      fc.assert(
        fc.asyncProperty(hostileEvent, (raw) => checkAction(broken, 'identifyUser', raw)),
        { numRuns: RUNS, seed: SEED }
      )
    ).rejects.toThrow(/not flat|starts with _|empty string|attributes must be an object/)
  })

  it("catches a trackEvent whose body the simulator's contract refuses (an unknown field)", async () => {
    const original = destination.actions.trackEvent
    const broken = {
      ...destination,
      actions: {
        ...destination.actions,
        trackEvent: {
          ...original,
          perform: (request, data) => {
            // Sends the properties a second time, raw, beside the flattened attributes: Appcues has no such field.
            const send = original.perform as (r: typeof request, d: typeof data) => unknown
            const sneaky = ((url: string, options: { json?: Record<string, unknown> }) =>
              request(url, { ...options, json: { ...options.json, properties: {} } })) as typeof request
            return send(sneaky, data)
          }
        } as ActionDefinition<Settings>
      }
    }
    await expect(
      fc.assert(
        fc.asyncProperty(hostileEvent, (raw) => checkAction(broken, 'trackEvent', raw)),
        { numRuns: RUNS, seed: SEED }
      )
    ).rejects.toThrow(/contract refuses POST .*unknown field "properties"/)
  })
})
