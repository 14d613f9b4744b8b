/** Which Appcues segment an audience change goes to: one picked by ID, or one found (or created) by name. */
export type SegmentTarget = { segmentId: string } | { segmentName: string; audienceKey: string }

/** One audience membership change: a user entered (true) or left (false) the audience that a segment mirrors. */
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

/** An Appcues segment as the list and create calls answer it (only the parts this action reads). */
export interface AppcuesSegment {
  id: string
  name: string
}
