import {
  InvalidAudienceMembershipError,
  PayloadValidationError,
  resolveAudienceMembership
} from '@segment/actions-core'
import type { AudienceMembership } from '@segment/actions-core'
import type { Payload, RetlOnMappingSaveOutputs } from './generated-types'
import type { AudienceChange, SegmentChanges, SegmentTarget } from './types'
import { requireId } from '../functions'

type RawEvent = Parameters<typeof resolveAudienceMembership>[0]
type SyncMode = NonNullable<Parameters<typeof resolveAudienceMembership>[1]>

/** The sync mode of a mapping saved without one (presets set none). */
export const DEFAULT_SYNC_MODE: SyncMode = 'mirror'

const NO_MEMBERSHIP =
  'Segment could not tell whether this user entered or left the audience, so nothing was sent to Appcues. ' +
  'Events from an Engage audience, a Linked Audience or a Journeys step show it with a true or false value named after the audience key: an event property of a track call, or a trait of an identify call. ' +
  'For a Reverse ETL model, the mapping’s Sync Mode decides which new, updated and deleted rows add or remove users. ' +
  'Change the mapping’s trigger so that this action receives only these events.'

const NO_SEGMENT =
  'This event names no Appcues segment: it carries no Appcues segment ID (Engage adds one to every event of an audience connected to Appcues), ' +
  'the mapping has no saved segment (a Reverse ETL mapping saves one when you pick or create a segment), and the Appcues Segment Name field is empty. ' +
  'Connect the audience to Appcues (Actions) in Engage, save the Reverse ETL mapping again with a segment, or map the Appcues Segment Name field.'

/**
 * Each payload's membership as actions-core resolved it: from the event for Engage audiences, Linked Audiences and
 * Journeys steps, from the mapping's sync mode for Reverse ETL rows. A mapping saved without a sync mode gets the
 * default one.
 */
export function membershipsOf(
  count: number,
  resolved: AudienceMembership | AudienceMembership[],
  syncMode: SyncMode | undefined,
  rawData: unknown
): AudienceMembership[] {
  const given = Array.isArray(resolved) ? resolved : [resolved]
  const events = (Array.isArray(rawData) ? rawData : [rawData]) as RawEvent[]
  // actions-core leaves out the payloads that failed validation, and their memberships: the events line up with
  // the payloads only when none did.
  const aligned = syncMode === undefined && events.length === count
  return Array.from(
    { length: count },
    (_, index) => given[index] ?? (aligned ? resolveAudienceMembership(events[index], DEFAULT_SYNC_MODE) : undefined)
  )
}

/** The segment a Reverse ETL mapping saved when it was set up, if any. */
export function savedSegmentOf(hookOutputs: unknown): Partial<RetlOnMappingSaveOutputs> | undefined {
  const saved = (hookOutputs as { retlOnMappingSave?: { outputs?: Partial<RetlOnMappingSaveOutputs> } } | undefined)
    ?.retlOnMappingSave?.outputs
  return saved?.segmentId?.trim() ? saved : undefined
}

/**
 * The segment of a change: the one Segment created for the audience (its ID comes with each event), else the one
 * the mapping saved, else the one named by the Appcues Segment Name.
 */
function targetOf(payload: Payload, saved: Partial<RetlOnMappingSaveOutputs> | undefined): SegmentTarget {
  const audienceSegment = payload.external_audience_id?.trim()
  if (audienceSegment) return { segmentId: audienceSegment, source: 'audience' }
  const mappingSegment = saved?.segmentId?.trim()
  if (mappingSegment) return { segmentId: mappingSegment, source: 'mapping' }
  const segmentName = payload.segmentName?.trim()
  if (segmentName) return { segmentName }
  throw new PayloadValidationError(NO_SEGMENT)
}

/** Reads one event's change; an event without a membership or a segment is refused. */
export function readChange(
  payload: Payload,
  membership: AudienceMembership,
  saved: Partial<RetlOnMappingSaveOutputs> | undefined
): AudienceChange {
  const userId = requireId(payload.userId, 'User ID')
  if (membership === undefined) throw new InvalidAudienceMembershipError(NO_MEMBERSHIP)
  return { userId, membership, target: targetOf(payload, saved) }
}

const targetKey = (target: SegmentTarget) =>
  'segmentId' in target ? `id:${target.segmentId}` : `name:${target.segmentName}`

/** Groups a batch's changes by segment; a user repeated for one segment keeps the membership of their last event. */
export function groupBySegment(changes: Array<[number, AudienceChange]>): SegmentChanges[] {
  const groups = new Map<string, SegmentChanges>()
  for (const [index, change] of changes) {
    const key = targetKey(change.target)
    const group: SegmentChanges = groups.get(key) ?? { target: change.target, users: new Map() }
    const earlier = group.users.get(change.userId)
    group.users.set(change.userId, { membership: change.membership, indices: [...(earlier?.indices ?? []), index] })
    groups.set(key, group)
  }
  return [...groups.values()]
}
