import { PayloadValidationError } from '@segment/actions-core'
import type { Payload } from './generated-types'
import { requireId } from '../endpoints'
import { idChunks, MAX_ID_LIST_BODY_BYTES } from '../batch'
import type { SegmentTarget } from './segment-directory'
import { targetKey } from './segment-directory'

/** One audience membership change: a user entered (true) or left (false) the audience that a segment mirrors. */
export interface AudienceChange {
  userId: string
  membership: boolean
  target: SegmentTarget
}

/**
 * Reads one event's change. The membership is the In Audience field when it is mapped, otherwise the one
 * actions-core read from the Engage event (`resolvedMembership`); an event with neither is not an audience change.
 */
export function readChange(payload: Payload, resolvedMembership: boolean | undefined): AudienceChange {
  const userId = requireId(payload.userId, 'User ID')
  const audienceKey = payload.audience.trim()
  if (!audienceKey) {
    throw new PayloadValidationError(
      'The Audience Key is empty. Map it to the Engage audience key (by default context.personas.computation_key).'
    )
  }
  const membership = typeof payload.membership === 'boolean' ? payload.membership : resolvedMembership
  if (membership === undefined) {
    throw new PayloadValidationError(
      `This event is not an Engage audience change, so there is nothing to sync: it has no true or false membership for the audience "${audienceKey}". ` +
        `Engage sends "Audience Entered" and "Audience Exited" track calls (membership in the property "${audienceKey}") and identify calls (membership in the trait "${audienceKey}"), with context.personas.computation_class "audience". ` +
        'Connect this action to an Engage audience, or map the In Audience field.'
    )
  }
  const segmentId = payload.segmentId?.trim()
  const target: SegmentTarget = segmentId
    ? { segmentId }
    : { segmentName: payload.segmentName?.trim() || audienceKey, audienceKey }
  return { userId, membership, target }
}

/** The users of one segment in a batch: each user once, with the last membership the batch gave them. */
export interface SegmentChanges {
  target: SegmentTarget
  /** By user ID: the user's last membership, and every event index that changed it (they share its outcome). */
  users: Map<string, { membership: boolean; indices: number[] }>
}

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

/**
 * Appcues publishes no limit for the ids of one add or remove call; a larger group is split into requests of at most
 * this many ids (and at most MAX_ID_LIST_BODY_BYTES). The one constant to change once Appcues confirms a limit. It is
 * at least the largest batch (MAX_BATCH_SIZE), so that one audience of a batch takes one add and one remove request.
 */
export const MAX_USER_IDS_PER_REQUEST = 1000

/** Splits user ids, in order, into chunks that each fit one `{"user_ids": [...]}` request. */
export function userIdChunks(
  userIds: string[],
  maxIds = MAX_USER_IDS_PER_REQUEST,
  maxBytes = MAX_ID_LIST_BODY_BYTES
): string[][] {
  return idChunks(userIds, 'user_ids', maxBytes, maxIds)
}
