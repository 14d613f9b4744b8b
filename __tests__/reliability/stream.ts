import { seededRandom } from '../../src/simulator/random'

/** A write that Appcues must hold once per delivered event: a record carrying the event's marker, or a membership. */
export type Write =
  | { collection: 'profiles' | 'events' | 'groups'; marker: string; userId?: string; groupId?: string }
  | { collection: 'memberships'; groupId: string; userId: string }

export interface StreamEvent {
  line: number
  event: Record<string, unknown>
  /** `deliver`: the destination accepts it; `reject`: it refuses it; `skip`: no preset subscribes to it. */
  expect: 'deliver' | 'reject' | 'skip'
  /** The preset subscription that runs it (absent when skipped). */
  subscription?: string
  writes: Write[]
}

export interface EventStream {
  text: string
  /** Every line that holds an event, by line number. */
  events: Map<number, StreamEvent>
  malformedLines: number[]
  blankLines: number[]
  totalLines: number
}

/** User IDs that a naive URL builder would let change the path, or that stress encoding. */
const NASTY_USERS = ['a/b?c#d', '../admin', '%2e%2e', 'ü-ser é', 'emoji 😀', 'x%2Fy', 'back\\slash', '..%2f..']
const NAMES = ['Signed Up', 'Report Created', 'Feature Used', 'Invite Sent', 'Plan Upgraded']

/** The marker attribute that ties a stored record to the input line that caused it. */
export const marker = (line: number) => `rid_${line}`

/**
 * A seeded stream of Segment events through the presets: identify, track, page, screen and group calls (users
 * and groups with path-changing IDs among them), events the destination refuses, calls no preset takes, and
 * malformed and blank lines. Each event carries a marker attribute, so every stored record names its line.
 */
export function generateStream(seed: number, size: number): EventStream {
  const random = seededRandom(seed)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
  const user = () => (random() < 0.15 ? pick(NASTY_USERS) : `user-${1 + Math.floor(random() * 25)}`)
  const lines: string[] = []
  const events = new Map<number, StreamEvent>()
  const malformedLines: number[] = []
  const blankLines: number[] = []
  const base = Date.UTC(2024, 4, 1, 9)

  for (let i = 0; i < size; i++) {
    const line = i + 1
    const roll = random()
    const timestamp = new Date(base + i * 37_000).toISOString()
    const messageId = `msg-${seed}-${line}`
    const rid = marker(line)
    const add = (entry: Omit<StreamEvent, 'line'>) => {
      events.set(line, { line, ...entry })
      lines.push(JSON.stringify(entry.event))
    }
    if (roll < 0.22) {
      const userId = user()
      add({
        event: {
          type: 'identify',
          userId,
          messageId,
          timestamp,
          traits: { [rid]: line, plan: pick(['pro', 'growth']), company: { name: 'Acme', size: 12 }, roles: ['a', 'b'] }
        },
        expect: 'deliver',
        subscription: 'Identify Calls',
        writes: [{ collection: 'profiles', marker: rid, userId }]
      })
    } else if (roll < 0.47) {
      const userId = user()
      add({
        event: { type: 'track', userId, event: pick(NAMES), messageId, timestamp, properties: { [rid]: line, n: i } },
        expect: 'deliver',
        subscription: 'Track Calls',
        writes: [{ collection: 'events', marker: rid, userId }]
      })
    } else if (roll < 0.59) {
      const userId = user()
      const page = { path: '/pricing', url: 'https://example.com/pricing', title: 'Pricing' }
      add({
        event: {
          type: 'page',
          userId,
          name: 'Pricing',
          messageId,
          timestamp,
          properties: { [rid]: line },
          context: { page }
        },
        expect: 'deliver',
        subscription: 'Page Calls',
        writes: [{ collection: 'events', marker: rid, userId }]
      })
    } else if (roll < 0.67) {
      const userId = user()
      add({
        event: { type: 'screen', userId, name: 'Checkout', messageId, timestamp, properties: { [rid]: line, step: 2 } },
        expect: 'deliver',
        subscription: 'Screen Calls',
        writes: [{ collection: 'events', marker: rid, userId }]
      })
    } else if (roll < 0.85) {
      // One group per group call, so that its membership call names its line too.
      const groupId = random() < 0.2 ? `../groups/${line}?x=1` : `group-${line}`
      const userId = random() < 0.8 ? user() : undefined
      const writes: Write[] = [{ collection: 'groups', marker: rid, groupId }]
      if (userId) writes.push({ collection: 'memberships', groupId, userId })
      add({
        event: {
          type: 'group',
          groupId,
          ...(userId ? { userId } : {}),
          messageId,
          timestamp,
          traits: { [rid]: line, name: 'Acme' }
        },
        expect: 'deliver',
        subscription: 'Group Calls',
        writes
      })
    } else if (roll < 0.93) {
      // Refused by the destination itself (sending them again unchanged would not help), or taken by no preset.
      const kind = pick(['anonymous', 'long name', 'no group', 'blank user'])
      const event =
        kind === 'anonymous'
          ? { type: 'track', anonymousId: `anon-${line}`, event: 'Signed Up', messageId, timestamp }
          : kind === 'long name'
          ? { type: 'track', userId: user(), event: 'x'.repeat(200), messageId, timestamp }
          : kind === 'no group'
          ? { type: 'group', userId: user(), messageId, timestamp, traits: { [rid]: line } }
          : { type: 'identify', userId: '   ', messageId, timestamp, traits: { [rid]: line } }
      const subscription =
        event.type === 'track' ? 'Track Calls' : event.type === 'group' ? 'Group Calls' : 'Identify Calls'
      // The presets take only calls with a User ID: an anonymous call matches none of them.
      if (kind === 'anonymous') add({ event, expect: 'skip', writes: [] })
      else add({ event, expect: 'reject', subscription, writes: [] })
    } else if (roll < 0.96) {
      add({
        event: { type: 'alias', userId: user(), previousId: `anon-${line}`, messageId, timestamp },
        expect: 'skip',
        writes: []
      })
    } else if (roll < 0.99) {
      malformedLines.push(line)
      lines.push(pick(['{"type": "track", "userId": ', 'not json at all', '[1, 2, 3]', '{"userId": "no-type"}']))
    } else {
      blankLines.push(line)
      lines.push('')
    }
  }
  return { text: `${lines.join('\n')}\n`, events, malformedLines, blankLines, totalLines: size }
}
