import { ErrorCodes, IntegrationError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { CreateAudienceInput, GetAudienceInput } from '@segment/actions-core/destination-kit'
import type { AudienceSettings, Settings } from '../generated-types'
import type { SettingHints } from '../types'
import type { AppcuesSegment, SegmentTarget } from './types'
import { apiUrl, appcuesRequest, encodeId, hintsNaming, isRecord, KEY_PAIR_HINTS, statusOf } from '../functions'

const segmentsUrl = (settings: Settings, segmentId?: string) =>
  apiUrl(settings, segmentId === undefined ? '/segments' : `/segments/${encodeId(segmentId, 'Appcues Segment ID')}`)

function segmentOf(value: unknown): AppcuesSegment | undefined {
  if (!isRecord(value)) return undefined
  const { id, name } = value
  const usableId = (typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id))
  return usableId ? { id: String(id), name: typeof name === 'string' ? name : '' } : undefined
}

/** A segment in an answer: the segment itself, or an object that wraps it (such as `{"data": {...}}`). */
function segmentInAnswer(body: unknown): AppcuesSegment | undefined {
  return segmentOf(body) ?? (isRecord(body) ? Object.values(body).map(segmentOf).find(Boolean) : undefined)
}

/**
 * Reads the answer of `GET …/segments`. Whether Appcues sends the list bare or wrapped is not confirmed, so both a bare
 * array and an object that wraps one array (such as `{"data": [...]}`) are read. An empty answer means no segments;
 * anything else is undefined.
 */
function segmentsInAnswer(body: unknown): AppcuesSegment[] | undefined {
  if (body === undefined || body === null || body === '') return []
  const list = Array.isArray(body) ? body : isRecord(body) ? Object.values(body).find(Array.isArray) : undefined
  return list?.map(segmentOf).filter((segment): segment is AppcuesSegment => segment !== undefined)
}

/** The account's segments. */
export async function listSegments(request: RequestClient, settings: Settings): Promise<AppcuesSegment[]> {
  const answer = await appcuesRequest(request, segmentsUrl(settings), { method: 'GET' })
  const segments = segmentsInAnswer(answer.data ?? answer.content)
  if (!segments) {
    throw new IntegrationError(
      'Appcues sent the list of segments in a form this destination does not understand, so no segment could be found by name. Connect the audience to Appcues (Actions) in Engage, or pick an existing segment when you save the Reverse ETL mapping: then no search by name is needed. If this keeps happening, contact Segment support and include this message.',
      ErrorCodes.UNKNOWN_ERROR,
      // Not retried: the same answer would come again.
      400
    )
  }
  return segments
}

/** What to do when Appcues answers 404 for a segment that this destination was given by its ID. */
function missingSegmentHint(segmentId: string, source: 'audience' | 'mapping'): string {
  const fix =
    source === 'audience'
      ? 'Remove the audience from Appcues (Actions) in Engage and connect it again: Segment then creates a new segment.'
      : 'Edit the Reverse ETL mapping and save it again to pick or create a segment.'
  return `Appcues has no segment "${segmentId}" in this account: it was deleted in Appcues, or the Account ID or Region setting names another account. ${fix}`
}

/** One segment by its ID. */
export async function getSegment(
  request: RequestClient,
  settings: Settings,
  segmentId: string,
  source: 'audience' | 'mapping'
): Promise<AppcuesSegment> {
  const hints = { ...KEY_PAIR_HINTS, 404: missingSegmentHint(segmentId, source) }
  const answer = await appcuesRequest(request, segmentsUrl(settings, segmentId), { method: 'GET' }, hints)
  return segmentInAnswer(answer.data ?? answer.content) ?? { id: segmentId, name: '' }
}

/**
 * Segments this process created, by account and name. A lookup whose list was asked for before one of them was
 * created (or while it is being created) uses it instead of creating a second segment of the same name.
 */
const creations = new Map<string, { id: Promise<string>; settledAt?: number }>()
let creationCount = 0
const REMEMBERED_CREATIONS = 1000

function remember(key: string, id: Promise<string>): void {
  const entry: { id: Promise<string>; settledAt?: number } = { id }
  creations.set(key, entry)
  id.then(
    () => {
      entry.settledAt = ++creationCount
      for (const oldest of creations.keys()) {
        if (creations.size <= REMEMBERED_CREATIONS) break
        creations.delete(oldest)
      }
    },
    () => {
      if (creations.get(key) === entry) creations.delete(key)
    }
  )
}

/**
 * Finds Appcues segments by name for one call (one event, one batch, one audience or mapping being connected): the
 * account's segments are listed at most once, and a missing segment is created at most once, however many events or
 * concurrent calls of this process name it.
 */
export class SegmentDirectory {
  private listing?: Promise<{ segments: AppcuesSegment[]; listedAfter: number }>

  constructor(private readonly request: RequestClient, private readonly settings: Settings) {}

  /** The segments of the account, listed on first use. */
  async segments(): Promise<AppcuesSegment[]> {
    return (await this.list()).segments
  }

  private list() {
    if (!this.listing) {
      const listedAfter = creationCount
      this.listing = listSegments(this.request, this.settings).then((segments) => ({ segments, listedAfter }))
    }
    return this.listing
  }

  private key(name: string): string {
    return `${segmentsUrl(this.settings)} ${name}`
  }

  /** The ID of the segment named `name`, or undefined when there is none. */
  async find(name: string): Promise<string | undefined> {
    const { segments, listedAfter } = await this.list()
    const existing = segments.find((segment) => segment.name === name)
    if (existing) return existing.id
    const known = creations.get(this.key(name))
    return known && (known.settledAt === undefined || known.settledAt > listedAfter) ? known.id : undefined
  }

  /** The ID of the segment named `name`, created (with `description`) when there is none. */
  async findOrCreate(name: string, description: string): Promise<string> {
    const found = await this.find(name)
    if (found !== undefined) return found
    const id = this.create(name, description)
    remember(this.key(name), id)
    return id
  }

  private async create(name: string, description: string): Promise<string> {
    const url = segmentsUrl(this.settings)
    const answer = await appcuesRequest(this.request, url, { method: 'POST', json: { name, description } })
    const created = segmentInAnswer(answer.data ?? answer.content)
    if (created) return created.id
    // Appcues has not confirmed the answer's shape: the list finds the new segment too.
    const listed = (await listSegments(this.request, this.settings)).find((segment) => segment.name === name)
    if (listed) return listed.id
    throw new IntegrationError(
      `Appcues accepted the new segment "${name}" but did not return its ID, and the segment is not in the segment list yet.`,
      ErrorCodes.CREATE_AUDIENCE_FAILED,
      503
    )
  }
}

/** The description of a segment this destination creates. */
export const segmentDescription = (source: string) =>
  `Synced from Segment: the users in ${source}. Segment adds and removes them as they enter and leave it.`

/** Adds (`membership` true) or removes (false) users of one Appcues segment in one request. */
export async function changeMembers(
  request: RequestClient,
  settings: Settings,
  target: SegmentTarget,
  segmentId: string,
  membership: boolean,
  userIds: string[]
) {
  const change = membership ? 'add' : 'remove'
  const hints: SettingHints =
    'source' in target
      ? { ...KEY_PAIR_HINTS, 404: missingSegmentHint(segmentId, target.source) }
      : hintsNaming(`the segment "${target.segmentName}"`)
  return appcuesRequest(
    request,
    `${segmentsUrl(settings, segmentId)}/${change}_user_ids`,
    { method: 'POST', json: { user_ids: userIds } },
    hints
  )
}

/**
 * Engage calls this when an audience is connected to Appcues: the segment named in the audience settings (by
 * default the audience's own name) is reused when one exists, and created otherwise.
 */
export async function createAudienceSegment(
  request: RequestClient,
  input: CreateAudienceInput<Settings, AudienceSettings>
): Promise<{ externalId: string }> {
  const name = input.audienceSettings?.segmentName?.trim() || input.audienceName?.trim()
  if (!name) {
    throw new IntegrationError(
      'The audience has no name, so no Appcues segment can be named after it. Enter an Appcues Segment Name in the audience settings.',
      ErrorCodes.CREATE_AUDIENCE_FAILED,
      400
    )
  }
  const directory = new SegmentDirectory(request, input.settings)
  const source = `the Segment audience "${input.audienceName?.trim() || name}"`
  return { externalId: await directory.findOrCreate(name, segmentDescription(source)) }
}

/** Engage calls this to check that the audience's segment still exists. */
export async function getAudienceSegment(
  request: RequestClient,
  input: GetAudienceInput<Settings, AudienceSettings>
): Promise<{ externalId: string }> {
  if (typeof input.externalId !== 'string' || input.externalId.trim() === '') {
    throw new IntegrationError(
      'The audience has no Appcues segment ID to check. Remove the audience from Appcues (Actions) in Engage and connect it again: Segment then creates the segment and stores its ID.',
      ErrorCodes.GET_AUDIENCE_FAILED,
      400
    )
  }
  try {
    await getSegment(request, input.settings, input.externalId, 'audience')
    return { externalId: input.externalId }
  } catch (error) {
    if (statusOf(error) !== 404) throw error
    throw new IntegrationError((error as Error).message, ErrorCodes.GET_AUDIENCE_FAILED, 404)
  }
}
