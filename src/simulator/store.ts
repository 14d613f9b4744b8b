import type { DroppedValue, StoredValue } from './drops'
import type { Region, RouteName } from './routes'

export type Attributes = Record<string, StoredValue>

interface Written {
  /** Order of arrival among all stored records. */
  seq: number
  receivedAt: string
  region: Region
}

interface InAccount extends Written {
  accountId: number
}

export interface StoredProfile extends InAccount {
  userId: string
  attributes: Attributes
}

export interface StoredEvent extends InAccount {
  userId: string
  name: string
  timestamp: string | number
  attributes: Attributes
  groupId?: string
}

export interface StoredGroup extends InAccount {
  groupId: string
  attributes: Attributes
}

export interface StoredMembership extends InAccount {
  groupId: string
  userIds: string[]
  method: string
}

export interface StoredDeletion extends Written {
  users: string[]
}

export interface StoredSegmentMessage extends InAccount {
  message: Record<string, unknown>
}

/** An Appcues segment as the simulator lists it. */
export interface SegmentSummary {
  id: string
  name: string
  description: string
  updated_at: string
}

export interface StoredSegmentCreation extends InAccount {
  segmentId: string
  name: string
  description: string
}

export interface StoredSegmentDeletion extends InAccount {
  segmentId: string
  name: string
}

export interface StoredSegmentChange extends InAccount {
  segmentId: string
  change: 'add' | 'remove'
  userIds: string[]
}

/** A value that real Appcues would have dropped without an error. */
export interface DroppedFinding extends DroppedValue {
  seq: number
  route: RouteName
  /** What it was sent for, e.g. `user "u1"`, `event "Signed Up" of user "u1"`, `group "g1"`. */
  subject: string
}

export interface RequestRecord {
  /** Milliseconds since the epoch at arrival. */
  at: number
  method: string
  path: string
  route?: RouteName
  /** The status answered; 0 when the connection was dropped or the client went away. */
  status: number
  fault?: 'error' | 'drop' | 'slow'
}

export interface SimulatorCounts {
  profileUpdates: number
  users: number
  events: number
  groupUpdates: number
  groups: number
  memberships: number
  deletions: number
  segmentMessages: number
  segmentCreations: number
  segmentDeletions: number
  segmentChanges: number
  dropped: number
  requests: number
  /** Requests answered, by route (a path that matched no route is not counted here). */
  requestsByRoute: Partial<Record<RouteName, number>>
}

/** Everything the simulator received, in order, with nothing de-duplicated, plus the merged profiles. */
export interface SimulatorState {
  profiles: StoredProfile[]
  events: StoredEvent[]
  groups: StoredGroup[]
  memberships: StoredMembership[]
  deletions: StoredDeletion[]
  segmentMessages: StoredSegmentMessage[]
  /** Appcues segments created and deleted, and users added to or removed from them, in order. */
  segmentCreations: StoredSegmentCreation[]
  segmentDeletions: StoredSegmentDeletion[]
  segmentChanges: StoredSegmentChange[]
  dropped: DroppedFinding[]
  requests: RequestRecord[]
  /** The user profiles as Appcues would now hold them (all updates merged), by user ID. */
  users: Record<string, Attributes>
  /** The group profiles, merged, by group ID, with their members. */
  groupProfiles: Record<string, { attributes: Attributes; members: string[] }>
  /** The Appcues segments now, by segment ID, with their members. */
  segments: Record<string, { name: string; description: string; members: string[] }>
  counts: SimulatorCounts
}

type Collections = Pick<
  SimulatorState,
  | 'profiles'
  | 'events'
  | 'groups'
  | 'memberships'
  | 'deletions'
  | 'segmentMessages'
  | 'segmentCreations'
  | 'segmentDeletions'
  | 'segmentChanges'
  | 'dropped'
  | 'requests'
>

type Totals = Record<keyof Collections, number>

function emptyCollections(): Collections {
  return {
    profiles: [],
    events: [],
    groups: [],
    memberships: [],
    deletions: [],
    segmentMessages: [],
    segmentCreations: [],
    segmentDeletions: [],
    segmentChanges: [],
    dropped: [],
    requests: []
  }
}

function emptyTotals(): Totals {
  return {
    profiles: 0,
    events: 0,
    groups: 0,
    memberships: 0,
    deletions: 0,
    segmentMessages: 0,
    segmentCreations: 0,
    segmentDeletions: 0,
    segmentChanges: 0,
    dropped: 0,
    requests: 0
  }
}

type HeldSegment = SegmentSummary & { members: Set<string> }

const summaryOf = ({ members: _members, ...summary }: HeldSegment): SegmentSummary => summary

export type NewRecord<T> = Omit<T, 'seq' | 'receivedAt'>

export class Store {
  private collections = emptyCollections()
  private totals = emptyTotals()
  private users = new Map<string, Attributes>()
  private groupProfiles = new Map<string, { attributes: Attributes; members: Set<string> }>()
  private segments = new Map<string, HeldSegment>()
  private segmentsCreated = 0
  private requestsByRoute = new Map<RouteName, number>()
  private seq = 0

  constructor(private readonly maxRecords: number) {}

  private add<K extends keyof Collections>(key: K, record: Collections[K][number]): void {
    const list = this.collections[key] as Collections[K][number][]
    list.push(record)
    // Trim in chunks so that a bounded store stays cheap: it keeps between maxRecords and 1.1 × maxRecords.
    if (list.length > this.maxRecords + Math.ceil(this.maxRecords / 10)) list.splice(0, list.length - this.maxRecords)
    this.totals[key]++
  }

  private stamp<T>(record: T): T & { seq: number; receivedAt: string } {
    return { seq: ++this.seq, receivedAt: new Date().toISOString(), ...record }
  }

  addProfile(record: NewRecord<StoredProfile>): StoredProfile {
    const stored = this.stamp(record)
    this.add('profiles', stored)
    const merged = { ...this.users.get(record.userId), ...record.attributes }
    this.users.set(record.userId, merged)
    return stored
  }

  profileOf(userId: string): Attributes | undefined {
    return this.users.get(userId)
  }

  addEvent(record: NewRecord<StoredEvent>): void {
    this.add('events', this.stamp(record))
  }

  private group(groupId: string) {
    let group = this.groupProfiles.get(groupId)
    if (!group) {
      group = { attributes: {}, members: new Set() }
      this.groupProfiles.set(groupId, group)
    }
    return group
  }

  addGroup(record: NewRecord<StoredGroup>): Attributes {
    this.add('groups', this.stamp(record))
    const group = this.group(record.groupId)
    group.attributes = { ...group.attributes, ...record.attributes }
    return group.attributes
  }

  groupOf(groupId: string): Attributes | undefined {
    return this.groupProfiles.get(groupId)?.attributes
  }

  addMembership(record: NewRecord<StoredMembership>): void {
    this.add('memberships', this.stamp(record))
    const group = this.group(record.groupId)
    for (const userId of record.userIds) group.members.add(userId)
  }

  addDeletion(record: NewRecord<StoredDeletion>): void {
    this.add('deletions', this.stamp(record))
  }

  addSegmentMessage(record: NewRecord<StoredSegmentMessage>): void {
    this.add('segmentMessages', this.stamp(record))
  }

  segmentList(): SegmentSummary[] {
    return [...this.segments.values()].map(summaryOf)
  }

  segmentOf(segmentId: string): SegmentSummary | undefined {
    const segment = this.segments.get(segmentId)
    return segment && summaryOf(segment)
  }

  /** Creates a segment (Appcues does not say that names are unique, so a second one with a name is a new segment). */
  createSegment(record: Omit<NewRecord<StoredSegmentCreation>, 'segmentId'>): SegmentSummary {
    const stored = this.stamp({ ...record, segmentId: `seg_${++this.segmentsCreated}` })
    this.add('segmentCreations', stored)
    const summary = {
      id: stored.segmentId,
      name: record.name,
      description: record.description,
      updated_at: stored.receivedAt
    }
    this.segments.set(summary.id, { ...summary, members: new Set() })
    return summary
  }

  /** Deletes a segment with its members; answers what it was, or undefined when there is no such segment. */
  deleteSegment(record: Omit<NewRecord<StoredSegmentDeletion>, 'name'>): SegmentSummary | undefined {
    const deleted = this.segmentOf(record.segmentId)
    if (!deleted) return undefined
    this.segments.delete(record.segmentId)
    this.add('segmentDeletions', this.stamp({ ...record, name: deleted.name }))
    return deleted
  }

  /** Adds or removes users; answers the segment's member count, or undefined when there is no such segment. */
  changeSegmentMembers(record: NewRecord<StoredSegmentChange>): number | undefined {
    const segment = this.segments.get(record.segmentId)
    if (!segment) return undefined
    const stored = this.stamp(record)
    this.add('segmentChanges', stored)
    for (const userId of record.userIds) {
      if (record.change === 'add') segment.members.add(userId)
      else segment.members.delete(userId)
    }
    segment.updated_at = stored.receivedAt
    return segment.members.size
  }

  addDropped(route: RouteName, subject: string, values: DroppedValue[]): void {
    for (const value of values) this.add('dropped', { seq: this.seq, route, subject, ...value })
  }

  addRequest(record: RequestRecord): void {
    this.add('requests', record)
    if (record.route) this.requestsByRoute.set(record.route, (this.requestsByRoute.get(record.route) ?? 0) + 1)
  }

  counts(): SimulatorCounts {
    const { totals } = this
    return {
      profileUpdates: totals.profiles,
      users: this.users.size,
      events: totals.events,
      groupUpdates: totals.groups,
      groups: this.groupProfiles.size,
      memberships: totals.memberships,
      deletions: totals.deletions,
      segmentMessages: totals.segmentMessages,
      segmentCreations: totals.segmentCreations,
      segmentDeletions: totals.segmentDeletions,
      segmentChanges: totals.segmentChanges,
      dropped: totals.dropped,
      requests: totals.requests,
      requestsByRoute: Object.fromEntries(this.requestsByRoute)
    }
  }

  /** A deep copy, safe to keep and to serialise. */
  state(): SimulatorState {
    const groupProfiles = Object.fromEntries(
      [...this.groupProfiles].map(([id, group]) => [id, { attributes: group.attributes, members: [...group.members] }])
    )
    const segments = Object.fromEntries(
      [...this.segments].map(([id, { name, description, members }]) => [
        id,
        { name, description, members: [...members] }
      ])
    )
    const state: SimulatorState = {
      ...this.collections,
      users: Object.fromEntries(this.users),
      groupProfiles,
      segments,
      counts: this.counts()
    }
    return JSON.parse(JSON.stringify(state)) as SimulatorState
  }

  reset(): void {
    this.collections = emptyCollections()
    this.totals = emptyTotals()
    this.users.clear()
    this.groupProfiles.clear()
    this.segments.clear()
    this.segmentsCreated = 0
    this.requestsByRoute.clear()
    this.seq = 0
  }
}
