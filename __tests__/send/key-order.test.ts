import fs from 'fs'
import path from 'path'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { orderKeysOf } from '../../src/cli/send/route/order-keys'
import { closeSimulators, simulator } from '../simulator/helpers'
import { closeProxies, proxyInFront, targetThrough, UNAVAILABLE } from './__helpers__/proxy'
import type { Simulator, SimulatorState } from '../../src/simulator'
import { removeTempDirs, ROOT, send, tempDir, UNTHROTTLED } from './helpers'

afterEach(async () => {
  await closeProxies()
  await closeSimulators()
  removeTempDirs()
})

/** A proxy in front of the simulator that answers 503 to the first request whose body contains `marker`. */
function refuseFirst(sim: Simulator, marker: string): Promise<string> {
  let refused = false
  return proxyInFront(sim.url, (_req, body) => {
    if (refused || !body.toString().includes(marker)) return 'forward'
    refused = true
    return UNAVAILABLE
  })
}

function writeLines(events: object[]): string {
  const file = path.join(tempDir(), 'events.jsonl')
  fs.writeFileSync(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`)
  return file
}

const identify = (userId: string, plan: string) => ({ type: 'identify', userId, traits: { plan } })
const plans = (state: SimulatorState, userId: string) =>
  state.profiles.filter((profile) => profile.userId === userId).map((profile) => profile.attributes.plan)

/** A mapping file with the Identify User preset, batching off. */
function unbatchedIdentifyMapping(): string {
  const file = path.join(tempDir(), 'mapping.json')
  const mapping = {
    userId: { '@path': '$.userId' },
    traits: { '@path': '$.traits' },
    enable_batching: false
  }
  fs.writeFileSync(
    file,
    JSON.stringify([{ name: 'Identify', subscribe: 'type = "identify"', partnerAction: 'identifyUser', mapping }])
  )
  return file
}

describe("one user's updates reach Appcues in input order, retried or not (issue 18, case 3)", () => {
  it.each([
    ['one event at a time (--batch-size 1)', () => ['--batch-size', '1']],
    ['a mapping with batching off', () => ['--mapping', unbatchedIdentifyMapping()]]
  ])(
    '%s: the retry of an older update lands before the newer one',
    async (_, flags) => {
      const sim = await simulator({ rateLimit: 0 })
      const endpoint = await refuseFirst(sim, '"plan":"free"')
      const file = writeLines([identify('u1', 'free'), identify('u2', 'free2'), identify('u1', 'pro')])
      const args = [file, ...targetThrough(sim, endpoint), '--rate', '0', '--quiet', '--retry-delay', '300']
      const { result } = await send([...args, ...flags(), '--dead-letter', path.join(tempDir(), 'd')])
      expect(result.summary).toMatchObject({ delivered: 3, failed: 0, retries: 1 })
      const state = sim.state()
      expect(plans(state, 'u1')).toEqual(['free', 'pro'])
      expect(state.users.u1.plan).toBe('pro')
      // Another user's update did not wait for u1's retry.
      expect(state.profiles.findIndex((profile) => profile.userId === 'u2')).toBe(0)
    },
    30_000
  )
})

const audienceContext = (key: string) => ({
  personas: { computation_class: 'audience', computation_key: key, computation_id: `aud_${key}` }
})
const audienceChange = (userId: string, key: string, member: boolean) => ({
  type: 'track',
  userId,
  event: member ? 'Audience Entered' : 'Audience Exited',
  properties: { audience_key: key, [key]: member },
  context: audienceContext(key)
})

/** The destination's presets take no audience changes: this mapping subscribes Sync Audience to them. */
const AUDIENCE_MAPPING = path.join(ROOT, 'examples', 'audience-mapping.json')
const oneAudienceChangeAtATime = () => [
  '--simulate',
  '--mapping',
  AUDIENCE_MAPPING,
  ...UNTHROTTLED,
  '--batch-size',
  '1'
]

describe('Sync Audience one event at a time (issue 18, case 4)', () => {
  it('an entry then an exit of a new audience leave the user out of its segment', async () => {
    const file = writeLines([audienceChange('u1', 'new_audience', true), audienceChange('u1', 'new_audience', false)])
    const { result } = await send([file, ...oneAudienceChangeAtATime(), '--dead-letter', path.join(tempDir(), 'd')])
    expect(result.summary).toMatchObject({ delivered: 2, failed: 0 })
    const segments = Object.values(result.simulatorState!.segments)
    expect(segments.map((segment) => [segment.name, segment.members])).toEqual([['new_audience', []]])
  })

  it('parallel entries of a new audience create its segment once', async () => {
    const changes = Array.from({ length: 40 }, (_, n) =>
      audienceChange(`user-${n}`, n % 2 ? 'power_users' : 'trial', true)
    )
    const { result } = await send([
      writeLines(changes),
      ...oneAudienceChangeAtATime(),
      '--concurrency',
      '10',
      // Answers take a while, so that entries in flight together would each find no segment yet and create one.
      '--sim-latency',
      '5-30',
      '--dead-letter',
      path.join(tempDir(), 'd')
    ])
    expect(result.summary).toMatchObject({ delivered: 40, failed: 0 })
    const state = result.simulatorState!
    expect(state.counts.segmentCreations).toBe(2)
    expect(
      Object.fromEntries(Object.values(state.segments).map((segment) => [segment.name, segment.members.length]))
    ).toEqual({ trial: 20, power_users: 20 })
  })
})

describe('the order keys of events', () => {
  const subscription = (partnerAction: string) => ({
    name: partnerAction,
    subscribe: 'type = "track"',
    partnerAction,
    mapping: { userId: { '@path': '$.userId' }, groupId: { '@path': '$.context.groupId' } }
  })
  const event = { type: 'track', userId: 'u1', context: { groupId: 'g1' } } as unknown as SegmentEvent

  it('order what overwrites a profile or a group, and leave events (which overwrite nothing) free', () => {
    expect(orderKeysOf(subscription('identifyUser'), 0)(event)).toEqual(['0 userId u1'])
    expect(orderKeysOf(subscription('identifyGroup'), 1)(event)).toEqual(['1 groupId g1'])
    expect(orderKeysOf(subscription('trackEvent'), 2)(event)).toEqual([])
    expect(orderKeysOf(subscription('pageView'), 3)(event)).toEqual([])
  })

  it('read plain paths directly and any other mapping through mapping-kit', () => {
    const mapping = { userId: { '@if': { exists: { '@path': '$.userId' }, then: 'known', else: 'anonymous' } } }
    const keys = orderKeysOf({ name: 'i', subscribe: 'type = "identify"', partnerAction: 'identifyUser', mapping }, 0)
    expect(keys(event)).toEqual(['0 userId known'])
    expect(keys({ type: 'identify' } as unknown as SegmentEvent)).toEqual(['0 userId anonymous'])
  })
})

describe('the order keys of Sync Audience events', () => {
  const keysOf = (mapping: JSONObject, event: Record<string, unknown>) =>
    orderKeysOf(
      { name: 'Audiences', subscribe: 'type = "track"', partnerAction: 'syncAudience', mapping },
      0
    )(event as unknown as SegmentEvent)

  it('name the segment by the ID Engage sends, and the user', () => {
    const event = {
      type: 'track',
      userId: 'u1',
      context: { personas: { computation_key: 'vip', external_audience_id: 'seg_7' } }
    }
    const mapping = JSON.parse(fs.readFileSync(AUDIENCE_MAPPING, 'utf8'))[0].mapping
    expect(keysOf(mapping, event)).toEqual(['0 external_audience_id seg_7', '0 segmentName vip', '0 userId u1'])
  })

  it('keep one user’s rows in order in a Reverse ETL mapping whose segment its hook saved (no name, no ID)', () => {
    const mapping = { userId: { '@path': '$.userId' }, __segment_internal_sync_mode: 'mirror' }
    expect(keysOf(mapping, { type: 'track', event: 'new', userId: 'u1' })).toEqual(['0 userId u1'])
  })
})
