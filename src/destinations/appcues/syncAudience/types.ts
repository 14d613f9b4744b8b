import type { ExecuteInput } from '@segment/actions-core'

/**
 * Which Appcues segment an audience change goes to: one known by its ID (the segment Segment created for the audience,
 * or the one the mapping saved), or one found, or created, by name.
 */
export type SegmentTarget = { segmentId: string; source: 'audience' | 'mapping' } | { segmentName: string }

/** One membership change: a user entered (true) or left (false) the audience that a segment mirrors. */
export interface AudienceChange {
  userId: string
  membership: boolean
  target: SegmentTarget
}

/** The users of one segment in a batch: each user once, with the last membership the batch gave them. */
export interface SegmentChanges {
  target: SegmentTarget
  /** By user ID: the user's last membership, and every event index that changed it (they share its outcome). */
  users: Map<string, { membership: boolean; indices: number[] }>
}

/** An Appcues segment as the segment calls answer it (only the parts this action reads). */
export interface AppcuesSegment {
  id: string
  name: string
}

/** The input of `perform` and `performBatch`, which also carries the events as Segment sent them. */
export type SyncInput<Settings, Payload> = ExecuteInput<Settings, Payload> & { rawData?: unknown }
