import { ErrorCodes, IntegrationError, PayloadValidationError, RetryableError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import type { AppcuesSegment, AudienceChange, SegmentChanges, SegmentTarget } from './types'
import { apiUrl, appcuesRequest, encodeId, KEY_PAIR_HINTS, requireId } from '../functions'

/**
 * Appcues publishes no limit for the ids of one add or remove call; a larger list is split into requests of at most
 * this many ids and bytes. The count is at least the largest batch, so that one audience of a batch takes one add
 * and one remove request.
 */
const MAX_USER_IDS_PER_REQUEST = 1000
const MAX_ID_LIST_BODY_BYTES = 1024 * 1024

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

/** Splits user ids, in order, into chunks that each fit one `{"user_ids": [...]}` request. */
export function userIdChunks(userIds: string[]): string[][] {
  const emptyBodyBytes = JSON.stringify({ user_ids: [] }).length
  const chunks: string[][] = []
  let chunk: string[] = []
  let bytes = emptyBodyBytes
  for (const id of userIds) {
    const idBytes = Buffer.byteLength(JSON.stringify(id))
    const full = chunk.length >= MAX_USER_IDS_PER_REQUEST || bytes + 1 + idBytes > MAX_ID_LIST_BODY_BYTES
    if (chunk.length > 0 && full) {
      chunks.push(chunk)
      chunk = []
      bytes = emptyBodyBytes
    }
    bytes += (chunk.length > 0 ? 1 : 0) + idBytes
    chunk.push(id)
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

/** Adds (`membership` true) or removes (false) users of one Appcues segment in one request. */
export function changeMembers(
  request: RequestClient,
  settings: Settings,
  target: SegmentTarget,
  segmentId: string,
  membership: boolean,
  userIds: string[]
) {
  const path = `/segments/${encodeId(segmentId, 'Appcues Segment ID')}/${membership ? 'add' : 'remove'}_user_ids`
  const hints =
    'segmentId' in target
      ? {
          ...KEY_PAIR_HINTS,
          404: `If the segment picked in Existing Appcues Segment ("${segmentId}") was deleted in Appcues, pick another one or clear the field to sync by name.`
        }
      : KEY_PAIR_HINTS
  return appcuesRequest(request, apiUrl(settings, path), { method: 'POST', json: { user_ids: userIds } }, hints)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function segmentOf(value: unknown): AppcuesSegment | undefined {
  if (!isRecord(value)) return undefined
  const { id, name } = value
  const usableId = (typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id))
  return usableId ? { id: String(id), name: typeof name === 'string' ? name : '' } : undefined
}

/**
 * Reads the answer of `GET …/segments`: a bare array, or an object that wraps one array (such as `{"data": [...]}`),
 * as Appcues' own command-line client reads it. An empty answer means no segments; anything else is undefined.
 */
function segmentsFromListAnswer(body: unknown): AppcuesSegment[] | undefined {
  if (body === undefined || body === null || body === '') return []
  const list = Array.isArray(body) ? body : isRecord(body) ? Object.values(body).find(Array.isArray) : undefined
  if (!list) return undefined
  return list.map(segmentOf).filter((segment): segment is AppcuesSegment => segment !== undefined)
}

/** The ID in the answer of `POST …/segments`: the created segment, bare or wrapped in an object. */
function segmentIdFromCreateAnswer(body: unknown): string | undefined {
  const direct = segmentOf(body)
  if (direct) return direct.id
  if (!isRecord(body)) return undefined
  for (const value of Object.values(body)) {
    const wrapped = segmentOf(value)
    if (wrapped) return wrapped.id
  }
  return undefined
}

/**
 * Finds Appcues segments by name for one action call (one event or one batch): the account's segments are listed at
 * most once, and a missing segment is created at most once, however many events name it.
 */
export class SegmentDirectory {
  private listing?: Promise<AppcuesSegment[]>
  private readonly created = new Map<string, Promise<string>>()

  /**
   * With `recheckAfterCreate`, a created segment is looked up again in the list. Events delivered one at a time run
   * in parallel and may each create a segment with the same name; all of them then use the first one listed, so that
   * the audience's users end up in one segment. A batch creates each segment once and skips the extra request.
   */
  constructor(
    private readonly request: RequestClient,
    private readonly settings: Settings,
    private readonly recheckAfterCreate = false
  ) {}

  /** The segments of the account, listed on first use. */
  segments(): Promise<AppcuesSegment[]> {
    this.listing ??= this.list()
    return this.listing
  }

  /**
   * The ID of the target segment. A segment found by name that does not exist yet is created when `create` is set;
   * otherwise the answer is undefined (nobody can be removed from a segment that does not exist).
   */
  async idFor(target: SegmentTarget, create: boolean): Promise<string | undefined> {
    if ('segmentId' in target) return target.segmentId
    const existing = (await this.segments()).find((segment) => segment.name === target.segmentName)
    if (existing) return existing.id
    if (!create) return undefined
    let creation = this.created.get(target.segmentName)
    if (!creation) {
      creation = this.create(target.segmentName, target.audienceKey)
      this.created.set(target.segmentName, creation)
    }
    return creation
  }

  private async list(): Promise<AppcuesSegment[]> {
    const answer = await appcuesRequest(this.request, apiUrl(this.settings, '/segments'), { method: 'GET' })
    const segments = segmentsFromListAnswer(answer.data ?? answer.content)
    if (!segments) {
      throw new IntegrationError(
        'Appcues answered the list of segments in a shape this destination does not read (neither a list nor an object holding one), so no segment could be found by name. Pick the segment in the Existing Appcues Segment field instead, and report the answer to the destination maintainers.',
        ErrorCodes.UNKNOWN_ERROR,
        // Not retried: the same answer would come again.
        400
      )
    }
    return segments
  }

  private async create(name: string, audienceKey: string): Promise<string> {
    const answer = await appcuesRequest(this.request, apiUrl(this.settings, '/segments'), {
      method: 'POST',
      json: {
        name,
        description: `Synced from Segment: the users in the Engage audience "${audienceKey}". Segment adds and removes them as they enter and leave the audience.`
      }
    })
    const answered = segmentIdFromCreateAnswer(answer.data ?? answer.content)
    if (answered && !this.recheckAfterCreate) return answered
    // The list also finds the ID when the answer had none (Appcues has not confirmed the answer's shape).
    const first = (await this.list()).find((segment) => segment.name === name)
    const id = first?.id ?? answered
    if (id) return id
    throw new RetryableError(
      `Appcues accepted the new segment "${name}" but did not return its ID, and the segment is not in the segment list yet; the events will be retried.`,
      503
    )
  }
}
