import { describeHoldings } from '../../../simulator'
import type { Attributes, SimulatorState } from '../../../simulator'

/** How many of a user's latest events the page shows. */
const RECENT_EVENTS = 5

export interface UserHoldings {
  userId: string
  /** The merged profile as Appcues now holds it (every run since the simulator was cleared), or null. */
  profile: Attributes | null
  /** The attributes this run's profile updates set, merged, or null when this run did not update the profile. */
  changes: Attributes | null
  /** Events this run recorded. */
  eventCount: number
  /** This run's latest events, newest first. */
  recentEvents: Array<{ name: string; timestamp: string | number; attributes: Attributes; groupId?: string }>
  /** The groups the user is a member of. */
  groups: string[]
  /** The Appcues segments the user is in now, as "name (ID)". */
  segments: string[]
  /** How many erasure requests of this run named this user. */
  erasureRequests: number
  /** How many Segment-shaped messages (the legacy Send action) of this run named this user. */
  segmentMessages: number
  /** What earlier runs left for this user, which the page does not show. */
  earlier: { events: number; profileUpdates: number; erasureRequests: number; segmentMessages: number }
}

export interface GroupHoldings {
  groupId: string
  /** The merged group profile as Appcues now holds it, or null when no group update arrived. */
  attributes: Attributes | null
  /** The attributes this run's group updates set, merged, or null. */
  changes: Attributes | null
  members: string[]
  /** Group profile updates of earlier runs. */
  earlierUpdates: number
}

/** What the simulator held just before a run, so that only the run's own records are shown. */
export interface RunMark {
  /** The sequence number of the simulator's latest record. */
  seq: number
  /** How many dropped-value findings there were. */
  dropped: number
}

/** What the simulator holds for the users and groups of one run, and for the whole simulated account. */
export interface Holdings {
  users: UserHoldings[]
  groups: GroupHoldings[]
  /** Values this run sent that real Appcues would ignore without an error. */
  dropped: Array<{ subject: string; key: string; reason: string }>
  /** The whole account in a few lines. */
  summary: string[]
}

/** Where this run starts: after the latest record of every collection the simulator keeps, whatever they are. */
export function runMark(state: SimulatorState): RunMark {
  const collections = Object.values(state).filter((value): value is Array<{ seq?: number }> => Array.isArray(value))
  const seq = Math.max(0, ...collections.map((records) => records[records.length - 1]?.seq ?? 0))
  return { seq, dropped: state.counts.dropped }
}

/** Splits records into those of this run (after `mark`) and how many came before. */
function split<T extends { seq: number }>(records: T[], mark: RunMark): { now: T[]; before: number } {
  const now = records.filter((record) => record.seq > mark.seq)
  return { now, before: records.length - now.length }
}

const merged = (updates: Array<{ attributes: Attributes }>): Attributes | null =>
  updates.length === 0 ? null : updates.reduce<Attributes>((all, update) => ({ ...all, ...update.attributes }), {})

function userHoldings(state: SimulatorState, userId: string, mark: RunMark): UserHoldings {
  const events = split(
    state.events.filter((event) => event.userId === userId),
    mark
  )
  const profiles = split(
    state.profiles.filter((profile) => profile.userId === userId),
    mark
  )
  const named = (message: Record<string, unknown>) => message.userId === userId || message.anonymousId === userId
  const deletions = split(
    state.deletions.filter((deletion) => deletion.users.includes(userId)),
    mark
  )
  const messages = split(
    state.segmentMessages.filter((stored) => named(stored.message)),
    mark
  )
  return {
    userId,
    profile: state.users[userId] ?? null,
    changes: merged(profiles.now),
    eventCount: events.now.length,
    recentEvents: events.now
      .slice(-RECENT_EVENTS)
      .reverse()
      .map(({ name, timestamp, attributes, groupId }) => ({
        name,
        timestamp,
        attributes,
        ...(groupId ? { groupId } : {})
      })),
    groups: Object.entries(state.groupProfiles)
      .filter(([, group]) => group.members.includes(userId))
      .map(([groupId]) => groupId),
    segments: Object.entries(state.segments)
      .filter(([, segment]) => segment.members.includes(userId))
      .map(([segmentId, segment]) => `${segment.name} (${segmentId})`),
    erasureRequests: deletions.now.length,
    segmentMessages: messages.now.length,
    earlier: {
      events: events.before,
      profileUpdates: profiles.before,
      erasureRequests: deletions.before,
      segmentMessages: messages.before
    }
  }
}

function groupHoldings(state: SimulatorState, groupId: string, mark: RunMark): GroupHoldings {
  const group = state.groupProfiles[groupId]
  const updates = split(
    state.groups.filter((update) => update.groupId === groupId),
    mark
  )
  return {
    groupId,
    attributes: group?.attributes ?? null,
    changes: merged(updates.now),
    members: group?.members ?? [],
    earlierUpdates: updates.before
  }
}

/** What the run after `mark` did to the given user and group IDs, and what the simulator holds for them now. */
export function holdingsFor(
  state: SimulatorState,
  ids: { userIds: string[]; groupIds: string[] },
  mark: RunMark
): Holdings {
  const newFindings = Math.max(0, state.counts.dropped - mark.dropped)
  return {
    users: ids.userIds.map((userId) => userHoldings(state, userId, mark)),
    groups: ids.groupIds.map((groupId) => groupHoldings(state, groupId, mark)),
    dropped: (newFindings > 0 ? state.dropped.slice(-newFindings) : []).map(({ subject, key, reason }) => ({
      subject,
      key,
      reason
    })),
    summary: describeHoldings(state).map((line) => line.trim())
  }
}

/**
 * The user and group IDs a run concerns: for each kind, those of the first source that has any (the mapped
 * payload, then the event). Anonymous IDs count only when asked for (a deletion erases both IDs).
 */
export function idsOf(sources: unknown[], withAnonymousId = false): { userIds: string[]; groupIds: string[] } {
  const records = sources.filter(
    (source): source is Record<string, unknown> => typeof source === 'object' && source !== null
  )
  const first = (keys: string[]): string[] => {
    for (const record of records) {
      const ids = keys
        .map((key) => record[key])
        .filter((id): id is string => typeof id === 'string' && id.trim() !== '')
      if (ids.length > 0) return [...new Set(ids)]
    }
    return []
  }
  return { userIds: first(withAnonymousId ? ['userId', 'anonymousId'] : ['userId']), groupIds: first(['groupId']) }
}
