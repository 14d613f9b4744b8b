import { describeHoldings } from '../../../simulator'
import type { Attributes, SimulatorState } from '../../../simulator'

/** How many of a user's latest events the page shows. */
const RECENT_EVENTS = 5

export interface UserHoldings {
  userId: string
  /** The merged profile, or null when no profile update arrived for this user. */
  profile: Attributes | null
  eventCount: number
  /** The latest events, newest first. */
  recentEvents: Array<{ name: string; timestamp: string | number; attributes: Attributes; groupId?: string }>
  /** The groups the user was added to. */
  groups: string[]
  /** How many erasure requests named this user. */
  erasureRequests: number
  /** How many Segment-shaped messages (the legacy Send action) named this user. */
  segmentMessages: number
}

export interface GroupHoldings {
  groupId: string
  /** The merged group profile, or null when no group update arrived. */
  attributes: Attributes | null
  members: string[]
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

function userHoldings(state: SimulatorState, userId: string): UserHoldings {
  const events = state.events.filter((event) => event.userId === userId)
  const named = (message: Record<string, unknown>) => message.userId === userId || message.anonymousId === userId
  return {
    userId,
    profile: state.users[userId] ?? null,
    eventCount: events.length,
    recentEvents: events
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
    erasureRequests: state.deletions.filter((deletion) => deletion.users.includes(userId)).length,
    segmentMessages: state.segmentMessages.filter((stored) => named(stored.message)).length
  }
}

function groupHoldings(state: SimulatorState, groupId: string): GroupHoldings {
  const group = state.groupProfiles[groupId]
  return { groupId, attributes: group?.attributes ?? null, members: group?.members ?? [] }
}

/**
 * What the simulator holds for the given user and group IDs. `droppedBefore` is the number of dropped-value
 * findings before the run, so that only this run's are listed.
 */
export function holdingsFor(
  state: SimulatorState,
  ids: { userIds: string[]; groupIds: string[] },
  droppedBefore: number
): Holdings {
  const newFindings = Math.max(0, state.counts.dropped - droppedBefore)
  return {
    users: ids.userIds.map((userId) => userHoldings(state, userId)),
    groups: ids.groupIds.map((groupId) => groupHoldings(state, groupId)),
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
