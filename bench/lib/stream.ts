import type { SegmentEvent } from '@segment/actions-core'
import { seededRandom } from '../../src/simulator/random'

/** Shares of each call type in the fixed benchmark stream (they add up to 1). */
export const STREAM_MIX = { identify: 0.25, track: 0.4, page: 0.2, screen: 0.05, group: 0.1 } as const

export const STREAM_USERS = 200
export const STREAM_GROUPS = 20

function pickType(roll: number): keyof typeof STREAM_MIX {
  let total = 0
  for (const [type, share] of Object.entries(STREAM_MIX) as Array<[keyof typeof STREAM_MIX, number]>) {
    total += share
    if (roll < total) return type
  }
  return 'track'
}

/**
 * A realistic mixed Segment stream: repeated users and groups (so batching has something to merge), nested traits,
 * context traits on half of the calls, and a group ID in the context of some.
 */
export function mixedStream(count: number, seed = 1234): SegmentEvent[] {
  const random = seededRandom(seed)
  const pick = (n: number) => Math.floor(random() * n)
  const events: SegmentEvent[] = []
  const start = Date.UTC(2026, 0, 1)
  for (let i = 0; i < count; i++) {
    const type = pickType(random())
    const userId = `user-${pick(STREAM_USERS)}`
    const groupId = `group-${pick(STREAM_GROUPS)}`
    const traits = {
      email: `${userId}@example.com`,
      plan: ['free', 'pro', 'enterprise'][pick(3)],
      company: { name: groupId }
    }
    const base = {
      type,
      userId,
      anonymousId: `anon-${userId}`,
      messageId: `msg-${i}`,
      timestamp: new Date(start + i * 1000).toISOString(),
      context: {
        ...(random() < 0.5 ? { traits } : {}),
        page: { url: `https://app.example.com/p/${pick(30)}`, path: `/p/${pick(30)}`, title: 'Dashboard' },
        ...(random() < 0.3 ? { groupId } : {})
      }
    }
    if (type === 'identify')
      events.push({ ...base, traits: { ...traits, logins: pick(100), roles: ['admin', 'editor'] } })
    else if (type === 'track')
      events.push({
        ...base,
        event: ['Report Created', 'Invite Sent', 'Plan Changed'][pick(3)],
        properties: { value: pick(500), tags: ['a', 'b'] }
      })
    else if (type === 'page' || type === 'screen')
      events.push({ ...base, name: ['Home', 'Settings', 'Billing'][pick(3)], properties: { section: 'main' } })
    else events.push({ ...base, groupId, traits: { name: groupId, employees: pick(1000), industry: 'software' } })
  }
  return events
}
