import { transform } from '@segment/actions-core'
import type { JSONLikeObject, SegmentEvent } from '@segment/actions-core'
import type { Subscription } from './subscriptions'

/**
 * The fields whose values name what an action overwrites in Appcues: events that share one of these values, through
 * one subscription, must reach Appcues in input order, or an older change could land last and win. Sync Audience is
 * ordered by its segment (every field that can name it), so that the first entry of a new audience creates its segment
 * before any other change of that audience is sent, and by user, for mappings whose segment is fixed (a Reverse ETL
 * model's, saved by its hook). Track Event and Page View overwrite nothing (Appcues keeps each event with its own
 * timestamp), so their events need not wait for each other.
 */
const KEY_FIELDS: Record<string, string[]> = {
  identifyUser: ['userId'],
  trackEvent: [],
  pageView: [],
  identifyGroup: ['groupId'],
  deleteUser: ['userId'],
  syncAudience: ['external_audience_id', 'segmentName', 'userId'],
  send: ['userId', 'anonymousId']
}
const DEFAULT_KEY_FIELDS = ['userId', 'groupId']

/** Reads one mapped field of an event: a plain `$.a.b` path directly, anything else through mapping-kit. */
type FieldReader = (event: Record<string, unknown>) => unknown

const SIMPLE_PATH = /^\$(\.[A-Za-z_$][\w$-]*)+$/

function fieldReader(field: string, value: unknown): FieldReader {
  const directive = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  const path = directive?.['@path']
  if (typeof path === 'string' && Object.keys(directive ?? {}).length === 1 && SIMPLE_PATH.test(path)) {
    const steps = path.split('.').slice(1)
    return (event) => {
      let current: unknown = event
      for (const step of steps) {
        if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, step)) {
          return undefined
        }
        current = (current as Record<string, unknown>)[step]
      }
      return current
    }
  }
  if (typeof value === 'string' || typeof value === 'number') return () => value
  const mapping = { [field]: value } as JSONLikeObject
  return (event) => {
    try {
      return transform(mapping, event)[field]
    } catch {
      return undefined
    }
  }
}

/** The readers of those of `fields` that the subscription maps, in order. */
function readersOf(subscription: Subscription, fields: string[]): Array<[string, FieldReader]> {
  return fields
    .filter((field) => subscription.mapping[field] !== undefined)
    .map((field) => [field, fieldReader(field, subscription.mapping[field])])
}

/**
 * For one subscription (at `index` in the run's list): the order keys of an event, as the subscription's mapping picks
 * the fields of KEY_FIELDS from it (a mapping that sends every event to one segment gives every event one key). An
 * event the mapping cannot read has no key; the action refuses it anyway.
 */
export function orderKeysOf(subscription: Subscription, index: number): (event: SegmentEvent) => string[] {
  const readers = readersOf(subscription, KEY_FIELDS[subscription.partnerAction] ?? DEFAULT_KEY_FIELDS)
  if (readers.length === 0) return () => []
  return (event) =>
    readers.flatMap(([field, read]) => {
      const value = read(event as unknown as Record<string, unknown>)
      return typeof value === 'string' || typeof value === 'number' ? [`${index} ${field} ${String(value)}`] : []
    })
}

/**
 * The actions whose delivered event makes an earlier dead letter with the same key (KEY_FIELDS) out of date: sending
 * it again would write the older change over the newer one. A deletion and a legacy Send call are not undone by a
 * later one.
 */
const SUPERSEDED_BY_LATER = ['identifyUser', 'identifyGroup', 'syncAudience']

/**
 * For one subscription (at `index`): the key of what an event overwrites in Appcues, read through the mapping, or
 * undefined when the event overwrites nothing (or the mapping cannot read it).
 */
export function stateKeyOf(subscription: Subscription, index: number): (event: SegmentEvent) => string | undefined {
  const { partnerAction } = subscription
  const readers = SUPERSEDED_BY_LATER.includes(partnerAction) ? readersOf(subscription, KEY_FIELDS[partnerAction]) : []
  if (readers.length === 0) return () => undefined
  return (event) => {
    const parts = readers.map(([, read]) => read(event as unknown as Record<string, unknown>))
    if (parts.every((part) => part === undefined || part === null || part === '')) return undefined
    return `${index}\u0000${parts.map((part) => (part === undefined ? '' : String(part))).join('\u0000')}`
  }
}
