import { transform } from '@segment/actions-core'
import type { JSONLikeObject, SegmentEvent } from '@segment/actions-core'
import type { Subscription } from './subscriptions'

/**
 * The fields whose values name what an action changes in Appcues: events that share one of these values, through one
 * subscription, must reach Appcues in input order. Sync Audience is ordered by its segment (every field that can name
 * it), so that the first entry of a new audience creates its segment before any other change of that audience is sent,
 * and by user, for mappings whose segment is fixed (a Reverse ETL model's, saved by its hook).
 */
const KEY_FIELDS: Record<string, string[]> = {
  identifyUser: ['userId'],
  trackEvent: ['userId'],
  pageView: ['userId'],
  identifyGroup: ['groupId'],
  deleteUser: ['userId'],
  syncAudience: ['external_audience_id', 'segmentName', 'userId'],
  send: ['userId', 'anonymousId']
}
const DEFAULT_KEY_FIELDS = ['userId', 'groupId']

/**
 * For one subscription (at `index` in the run's list): the order keys of an event, as the subscription's mapping picks
 * the fields of KEY_FIELDS from it (a mapping that sends every event to one segment gives every event one key). An
 * event the mapping cannot read has no key; the action refuses it anyway.
 */
export function orderKeysOf(subscription: Subscription, index: number): (event: SegmentEvent) => string[] {
  const fields = (KEY_FIELDS[subscription.partnerAction] ?? DEFAULT_KEY_FIELDS).filter(
    (field) => subscription.mapping[field] !== undefined
  )
  const mapping = Object.fromEntries(fields.map((field) => [field, subscription.mapping[field]])) as JSONLikeObject
  if (fields.length === 0) return () => []
  return (event) => {
    let values: Record<string, unknown>
    try {
      values = transform(mapping, event as unknown as Record<string, unknown>)
    } catch {
      return []
    }
    return fields.flatMap((field) => {
      const value = values[field]
      return typeof value === 'string' || typeof value === 'number' ? [`${index} ${field} ${String(value)}`] : []
    })
  }
}

/**
 * The fields whose values name what a delivered event overwrites: a later delivered event with the same values makes
 * an earlier dead letter out of date (sending it again would write the older change over the newer one). Events
 * (track, page) add to what Appcues holds and overwrite nothing.
 */
const STATE_FIELDS: Record<string, string[]> = {
  identifyUser: ['userId'],
  identifyGroup: ['groupId'],
  syncAudience: ['external_audience_id', 'segmentName', 'userId']
}

/**
 * For one subscription (at `index`): the key of what an event overwrites in Appcues, read through the mapping, or
 * undefined when the event overwrites nothing (or the mapping cannot read it).
 */
export function stateKeyOf(subscription: Subscription, index: number): (event: SegmentEvent) => string | undefined {
  const fields = (STATE_FIELDS[subscription.partnerAction] ?? []).filter(
    (field) => subscription.mapping[field] !== undefined
  )
  if (fields.length === 0) return () => undefined
  const mapping = Object.fromEntries(fields.map((field) => [field, subscription.mapping[field]])) as JSONLikeObject
  return (event) => {
    let values: Record<string, unknown>
    try {
      values = transform(mapping, event as unknown as Record<string, unknown>)
    } catch {
      return undefined
    }
    const parts = fields.map((field) => values[field])
    if (parts.every((part) => part === undefined || part === null || part === '')) return undefined
    return `${index}\u0000${parts.map((part) => (part === undefined ? '' : String(part))).join('\u0000')}`
  }
}
