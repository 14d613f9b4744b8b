import fs from 'fs'
import path from 'path'
import { createTestIntegration } from '@segment/actions-core'
import destination from '../../src/destinations/appcues'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { routeAppcuesHostsTo } from '../../src/simulator'
import type { Simulator, SimulatorState } from '../../src/simulator'
import { call, closeSimulators, simulator } from '../simulator/helpers'
import { readJsonLines, removeTempDirs, ROOT, send, targetArgs, tempDir } from './helpers'

// Every way an audience reaches Appcues, end to end: events through `send` (its default subscriptions, or a mapping
// file) into the simulator, with segments that Engage's createAudience or a Reverse ETL mapping's hook made first.

const AUDIENCE_EXAMPLE = path.join(ROOT, 'examples', 'audience.jsonl')
const RETL_ROWS = path.join(ROOT, 'examples', 'retl-rows.jsonl')
const RETL_MAPPING = path.join(ROOT, 'examples', 'retl-mapping.json')
const fast = ['--quiet', '--rate', '0', '--retry-delay', '5']

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

const membersOf = (state: SimulatorState, segmentId: string) => [...state.segments[segmentId].members].sort()

/** Runs the destination's own setup calls (createAudience, the mapping hook) against the simulator, as Segment does. */
async function withSimulatorRoute<T>(sim: Simulator, work: (settings: Settings) => Promise<T>) {
  const { accountId, apiKey, apiSecret } = sim.credentials
  const restore = routeAppcuesHostsTo(sim.url)
  try {
    return await work({ accountId, apiKey, apiSecret, region: 'US' })
  } finally {
    restore()
  }
}

function writeInput(lines: object[]): string {
  const file = path.join(tempDir(), 'events.jsonl')
  fs.writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
  return file
}

function writeMapping(entries: object[]): string {
  const file = path.join(tempDir(), 'mapping.json')
  fs.writeFileSync(file, JSON.stringify(entries))
  return file
}

/** A change as an Engage audience, a Linked Audience or a Journeys step sends it. */
function change(userId: string, key: string, member: boolean, extra: Record<string, unknown> = {}, asTrack = true) {
  const personas = { computation_class: 'audience', computation_key: key, ...extra }
  return asTrack
    ? { type: 'track', userId, event: 'Audience Membership', properties: { [key]: member }, context: { personas } }
    : { type: 'identify', userId, traits: { [key]: member }, context: { personas } }
}

describe('send: audiences with and without the segment ID Engage sends', () => {
  it('sends changes that carry a segment ID straight to it, and finds the others by name, with no mapping file', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const [trial, journey] = await withSimulatorRoute(sim, (settings) =>
      Promise.all(
        ['Trial users', 'Onboarding journey: step 2'].map((audienceName) =>
          createTestIntegration(destination).createAudience({ settings, audienceName, audienceSettings: {} })
        )
      )
    )
    const events = [
      change('u1', 'trial_users', true, { external_audience_id: trial.externalId }),
      change('u2', 'trial_users', true, { external_audience_id: trial.externalId }, false),
      // A Linked Audience identify, and a Journeys step: their own computation keys, the same kind of ID.
      change('u3', 'la_trial', true, { external_audience_id: trial.externalId }, false),
      change('u1', 'trial_users', false, { external_audience_id: trial.externalId }),
      change('u4', 'step_2', true, { computation_class: 'journey_step', external_audience_id: journey.externalId }),
      // Without an ID (a file exported from elsewhere): the segment of its key, created on entry.
      change('u5', 'from_a_file', true),
      { type: 'track', userId: 'u6', event: 'Signed Up', properties: {} }
    ]
    const before = sim.counts().requestsByRoute

    const { result } = await send([writeInput(events), ...fast, ...targetArgs(sim)])

    expect(result.exitCode).toBe(0)
    const state = sim.state()
    expect(membersOf(state, trial.externalId)).toEqual(['u2', 'u3'])
    expect(membersOf(state, journey.externalId)).toEqual(['u4'])
    expect(Object.values(state.segments).find((segment) => segment.name === 'from_a_file')?.members).toEqual(['u5'])
    // Only the change without an ID looked a segment up (one list) and created one: the others went straight in.
    expect(state.counts.requestsByRoute.segments).toBe((before.segments ?? 0) + 2)
    expect(state.counts.requestsByRoute.segment).toBeUndefined()
    // The presets take the audience calls too, as in Segment: the identify calls update profiles, the track calls
    // are recorded as events.
    expect([state.users.u2, state.users.u3]).toEqual([{ trial_users: true }, { la_trial: true }])
    expect(state.events.map((event) => event.name).sort()).toEqual([
      ...Array<string>(4).fill('Audience Membership'),
      'Signed Up'
    ])
  }, 30_000)

  it('syncs examples/audience.jsonl by name with the default subscriptions too', async () => {
    const { result } = await send([AUDIENCE_EXAMPLE, ...fast, '--sim-rate-limit', '0'])
    const events = readJsonLines(AUDIENCE_EXAMPLE)
    expect(result.exitCode).toBe(0)
    expect(result.summary).toMatchObject({ read: events.length, delivered: events.length, rejected: 0 })
    const byName = Object.values(result.simulatorState!.segments).map((segment) => [
      segment.name,
      segment.members.sort()
    ])
    expect(byName.sort()).toEqual([
      ['power_users', ['usr_1001']],
      ['trial_invited_teammate', ['usr_1001', 'usr_1004']]
    ])
  }, 30_000)
})

describe('send: Reverse ETL rows with each sync mode', () => {
  const rows = () => readJsonLines(RETL_ROWS)

  it('mirrors examples/retl-rows.jsonl into the segment named by examples/retl-mapping.json', async () => {
    const { result } = await send([RETL_ROWS, '--mapping', RETL_MAPPING, ...fast, '--sim-rate-limit', '0'])
    expect(result.exitCode).toBe(0)
    expect(result.summary).toMatchObject({ read: 8, delivered: 8, rejected: 0 })
    expect(Object.values(result.simulatorState!.segments)).toEqual([
      expect.objectContaining({ name: 'Active trials (Reverse ETL)', members: ['usr_2002', 'usr_2004', 'usr_2005'] })
    ])
  }, 30_000)

  it.each([
    // The segment starts with usr_9999 (and, for delete, everyone). A row new is an entry, updated an entry in mirror
    // mode (the default) only, deleted an exit; the rows a mode does not take are refused.
    ['mirror', ['usr_2002', 'usr_2004', 'usr_2005', 'usr_9999'], 0],
    ['add', ['usr_2001', 'usr_2002', 'usr_2003', 'usr_2004', 'usr_9999'], 4],
    [undefined, ['usr_2002', 'usr_2004', 'usr_2005', 'usr_9999'], 0],
    ['delete', ['usr_2002', 'usr_2004', 'usr_2005', 'usr_9999'], 6]
  ])(
    'with the sync mode %s, the rows change the segment the mapping’s hook saved',
    async (mode, members, rejected) => {
      const sim = await simulator({ rateLimit: 0 })
      const saved = await withSimulatorRoute(sim, (settings) =>
        createTestIntegration(destination).actions.syncAudience.executeHook('retlOnMappingSave', {
          settings,
          hookInputs: { operation: 'create', segmentName: 'Model users' },
          payload: {}
        })
      )
      const segmentId = saved.savedData?.segmentId as string
      const everyone = ['usr_2001', 'usr_2002', 'usr_2003', 'usr_2004', 'usr_2005', 'usr_9999']
      const seeded = mode === 'delete' ? everyone : ['usr_9999']
      const path_ = `/v2/accounts/${sim.credentials.accountId}/segments/${segmentId}/add_user_ids`
      expect((await call(sim, 'POST', path_, { user_ids: seeded })).status).toBe(200)
      const mapping = writeMapping([
        {
          subscribe: 'type = "track"',
          partnerAction: 'syncAudience',
          mapping: {
            ...(mode ? { __segment_internal_sync_mode: mode } : {}),
            userId: { '@path': '$.userId' },
            retlOnMappingSave: { inputs: {}, outputs: saved.savedData }
          }
        }
      ])

      const { result } = await send([RETL_ROWS, '--mapping', mapping, ...fast, ...targetArgs(sim)])

      expect(result.summary).toMatchObject({ read: rows().length, rejected, failed: 0 })
      expect(membersOf(sim.state(), segmentId)).toEqual(members)
      expect(sim.counts().requestsByRoute.segments).toBe(2)
    },
    30_000
  )
})
