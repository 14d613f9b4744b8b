import fs from 'fs'
import path from 'path'
import { seededRandom } from '../../src/simulator/random'
import type { SimulatorState } from '../../src/simulator'
import { closeSimulators } from '../simulator/helpers'
import { readJsonLines, removeTempDirs, ROOT, send, tempDir } from './helpers'

const AUDIENCE_EXAMPLE = path.join(ROOT, 'examples', 'audience.jsonl')
/** Only Sync Audience, with its default mapping (without it, the Identify and Track presets take the changes too). */
const AUDIENCE_MAPPING = path.join(ROOT, 'examples', 'audience-mapping.json')

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

interface AudienceEvent {
  type: 'track' | 'identify'
  userId: string
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context: { personas: { computation_key: string } }
}

/** For each audience key, the users whose last change in the file was an entry. */
function expectedMembers(events: AudienceEvent[]): Record<string, string[]> {
  const last = new Map<string, Map<string, boolean>>()
  for (const event of events) {
    const key = event.context.personas.computation_key
    const membership = (event.type === 'track' ? event.properties : event.traits)?.[key] === true
    const users = last.get(key) ?? new Map<string, boolean>()
    users.set(event.userId, membership)
    last.set(key, users)
  }
  return Object.fromEntries(
    [...last].map(([key, users]) => [
      key,
      [...users]
        .filter(([, member]) => member)
        .map(([userId]) => userId)
        .sort()
    ])
  )
}

/** The simulator's segments by name, each with its sorted members. */
function membersByName(state: SimulatorState): Record<string, string[]> {
  return Object.fromEntries(Object.values(state.segments).map((segment) => [segment.name, [...segment.members].sort()]))
}

function audienceChange(userId: string, key: string, member: boolean, asTrack: boolean, n: number) {
  const context = { personas: { computation_class: 'audience', computation_key: key, computation_id: `aud_${key}` } }
  const common = {
    userId,
    context,
    timestamp: new Date(Date.UTC(2024, 4, 2, 8, 0, n)).toISOString(),
    messageId: `m-${n}`
  }
  return asTrack
    ? {
        type: 'track',
        event: member ? 'Audience Entered' : 'Audience Exited',
        properties: { audience_key: key, [key]: member },
        ...common
      }
    : { type: 'identify', traits: { [key]: member }, ...common }
}

const fast = ['--mapping', AUDIENCE_MAPPING, '--quiet', '--rate', '0', '--sim-rate-limit', '0', '--retry-delay', '5']

describe('send Engage audience changes into the simulator', () => {
  it('leaves each segment of examples/audience.jsonl with exactly the users whose last change was an entry', async () => {
    const events = readJsonLines(AUDIENCE_EXAMPLE) as unknown as AudienceEvent[]

    const { result } = await send([AUDIENCE_EXAMPLE, ...fast])

    expect(result.exitCode).toBe(0)
    expect(result.summary).toMatchObject({ read: events.length, delivered: events.length, rejected: 0, failed: 0 })
    const state = result.simulatorState!
    expect(membersByName(state)).toEqual(expectedMembers(events))
    expect(membersByName(state)).toEqual({
      trial_invited_teammate: ['usr_1001', 'usr_1004'],
      power_users: ['usr_1001']
    })
    expect(state.counts.segmentCreations).toBe(2)
  }, 30_000)

  it('puts each audience in one segment, created once, when events go one at a time in parallel', async () => {
    const audiences = ['trial_users', 'power_users']
    // Each user changes once per audience, so the outcome does not depend on the order of parallel deliveries.
    const changes = Array.from({ length: 120 }, (_, n) =>
      audienceChange(`user-${Math.floor(n / 2)}`, audiences[n % 2], n % 3 !== 0, n % 4 < 2, n)
    )
    const input = path.join(tempDir(), 'audience.jsonl')
    fs.writeFileSync(input, changes.map((change) => JSON.stringify(change)).join('\n') + '\n')

    const { result } = await send([input, ...fast, '--batch-size', '1', '--concurrency', '10', '--sim-latency', '5-30'])

    expect(result.exitCode).toBe(0)
    expect(result.summary).toMatchObject({ read: 120, delivered: 120, failed: 0 })
    // The changes of one audience go one after the other (their order kept), so its segment is created once.
    expect(result.simulatorState!.counts.segmentCreations).toBe(audiences.length)
    expect(membersByName(result.simulatorState!)).toEqual(expectedMembers(changes as unknown as AudienceEvent[]))
  }, 60_000)

  it('keeps every segment exact over 1,500 shuffled changes in small batches while Appcues fails and drops requests', async () => {
    const random = seededRandom(13)
    const audiences = ['trial_users', 'power_users', 'churn_risk']
    const changes = Array.from({ length: 1500 }, (_, n) =>
      audienceChange(
        `user-${Math.floor(random() * 80)}`,
        audiences[Math.floor(random() * audiences.length)],
        random() < 0.55,
        random() < 0.5,
        n
      )
    )
    const input = path.join(tempDir(), 'audience.jsonl')
    fs.writeFileSync(input, changes.map((change) => JSON.stringify(change)).join('\n') + '\n')

    const { result } = await send([
      input,
      ...fast,
      '--batch-size',
      '50',
      '--sim-error-rate',
      '503=0.1,429=0.05',
      '--sim-drop-rate',
      '0.05',
      '--sim-fault-routes',
      'segments,segmentAddUsers,segmentRemoveUsers',
      '--sim-seed',
      '5',
      // A batch needs its list and its add or remove to succeed in one attempt: at these fault rates, give it time.
      '--max-retries',
      '10'
    ])

    expect(result.exitCode).toBe(0)
    expect(result.summary).toMatchObject({ read: 1500, delivered: 1500, failed: 0, rejected: 0 })
    expect(result.summary.retries).toBeGreaterThan(0)
    const state = result.simulatorState!
    expect(membersByName(state)).toEqual(expectedMembers(changes as unknown as AudienceEvent[]))
    // A failed or dropped creation is never processed, so each audience's segment was created once.
    expect(state.counts.segmentCreations).toBe(audiences.length)
  }, 60_000)
})
