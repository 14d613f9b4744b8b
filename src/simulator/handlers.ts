import type { DroppedValue } from './drops'
import { splitAttributes } from './drops'
import type { Answer } from './respond'
import { appcuesError } from './respond'
import type { RouteMatch, RouteName } from './routes'
import type { Attributes, Store } from './store'

export interface HandlerInput {
  route: RouteMatch
  method: string
  /** The parsed body, already checked against the route's schema. */
  body: unknown
  accountId: number
  store: Store
  rejectDropped: boolean
}

type Handler = (input: HandlerInput) => Answer

type Json = Record<string, unknown>

/** Keeps what Appcues keeps; reports (or, with rejectDropped, refuses) what it would silently drop. */
function cleanAttributes(
  input: HandlerInput,
  subject: string,
  source: unknown
): { attributes: Attributes; dropped: DroppedValue[] } | Answer {
  const { kept, dropped } = splitAttributes((source ?? {}) as Json)
  if (dropped.length > 0 && input.rejectDropped) {
    const list = dropped.map(({ key, reason }) => `"${key}" is ${reason}`).join('; ')
    return appcuesError(400, `Appcues would silently drop values of ${subject}: ${list}.`)
  }
  return { attributes: kept, dropped }
}

function isAnswer(value: object): value is Answer {
  return 'status' in value
}

const common = (input: HandlerInput) => ({ accountId: input.accountId, region: input.route.region })

const userProfile: Handler = (input) => {
  const userId = input.route.userId ?? ''
  if (input.method === 'GET') {
    const profile = input.store.profileOf(userId)
    return profile ? { status: 200, body: profile } : appcuesError(404, `No user "${userId}" in this account.`)
  }
  const cleaned = cleanAttributes(input, `user "${userId}"`, input.body)
  if (isAnswer(cleaned)) return cleaned
  input.store.addProfile({ ...common(input), userId, attributes: cleaned.attributes })
  input.store.addDropped('userProfile', `user "${userId}"`, cleaned.dropped)
  return { status: 200, body: input.store.profileOf(userId) }
}

const userEvents: Handler = (input) => {
  const userId = input.route.userId ?? ''
  const body = input.body as { name: string; timestamp: string | number; attributes?: Json; group_id?: string }
  const subject = `event "${body.name}" of user "${userId}"`
  const cleaned = cleanAttributes(input, subject, body.attributes)
  if (isAnswer(cleaned)) return cleaned
  const { name, timestamp, group_id: groupId } = body
  input.store.addEvent({
    ...common(input),
    userId,
    name,
    timestamp,
    attributes: cleaned.attributes,
    ...(groupId ? { groupId } : {})
  })
  input.store.addDropped('userEvents', subject, cleaned.dropped)
  return { status: 202, body: { status: 202, title: 'Accepted' } }
}

const groupProfile: Handler = (input) => {
  const groupId = input.route.groupId ?? ''
  if (input.method === 'GET') {
    const profile = input.store.groupOf(groupId)
    return profile ? { status: 200, body: profile } : appcuesError(404, `No group "${groupId}" in this account.`)
  }
  const cleaned = cleanAttributes(input, `group "${groupId}"`, input.body)
  if (isAnswer(cleaned)) return cleaned
  const merged = input.store.addGroup({ ...common(input), groupId, attributes: cleaned.attributes })
  input.store.addDropped('groupProfile', `group "${groupId}"`, cleaned.dropped)
  return { status: 200, body: merged }
}

const groupUsers: Handler = (input) => {
  const userIds = (input.body as { user_ids: string[] }).user_ids
  input.store.addMembership({ ...common(input), groupId: input.route.groupId ?? '', userIds, method: input.method })
  return { status: 204 }
}

const gdprDelete: Handler = (input) => {
  const users = (input.body as { users: string[] }).users
  input.store.addDeletion({ region: input.route.region, users })
  return { status: 200, body: { ok: true, message: `accepted ${users.length} users for deletion` } }
}

const segmentDirect: Handler = (input) => {
  input.store.addSegmentMessage({ ...common(input), message: input.body as Json })
  return { status: 200, body: { success: true } }
}

const tags: Handler = () => ({ status: 200, body: [] })

const segments: Handler = (input) => {
  if (input.method === 'GET') return { status: 200, body: input.store.segmentList() }
  const { name, description } = input.body as { name: string; description?: string }
  return { status: 201, body: input.store.createSegment({ ...common(input), name, description: description ?? '' }) }
}

const segment: Handler = (input) => {
  const segmentId = input.route.segmentId ?? ''
  const deleting = input.method === 'DELETE'
  const found = deleting ? input.store.deleteSegment({ ...common(input), segmentId }) : input.store.segmentOf(segmentId)
  if (!found) return appcuesError(404, `No segment "${segmentId}" in this account.`)
  return deleting ? { status: 204 } : { status: 200, body: found }
}

const segmentMembers =
  (change: 'add' | 'remove'): Handler =>
  (input) => {
    const segmentId = input.route.segmentId ?? ''
    const userIds = (input.body as { user_ids: string[] }).user_ids
    const members = input.store.changeSegmentMembers({ ...common(input), segmentId, change, userIds })
    if (members === undefined) return appcuesError(404, `No segment "${segmentId}" in this account.`)
    return { status: 200, body: { id: segmentId, user_count: members } }
  }

export const HANDLERS: Record<RouteName, Handler> = {
  tags,
  userProfile,
  userEvents,
  groupProfile,
  groupUsers,
  gdprDelete,
  segmentDirect,
  segments,
  segment,
  segmentAddUsers: segmentMembers('add'),
  segmentRemoveUsers: segmentMembers('remove')
}
