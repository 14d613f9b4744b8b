import { IntegrationError, RetryableError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import { createSegment, listSegments } from '../appcues-client'
import type { AppcuesSegment } from './segment-list'
import { segmentIdFromCreateAnswer, segmentsFromListAnswer } from './segment-list'

/** Which Appcues segment an audience change goes to: one picked by id, or one found (or created) by name. */
export type SegmentTarget = { segmentId: string } | { segmentName: string; audienceKey: string }

export function targetKey(target: SegmentTarget): string {
  return 'segmentId' in target ? `id:${target.segmentId}` : `name:${target.segmentName}`
}

export function segmentDescription(audienceKey: string): string {
  return `Synced from Segment: the users in the Engage audience "${audienceKey}". Segment adds and removes them as they enter and leave the audience.`
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
   * The id of the target segment. A segment found by name that does not exist yet is created when `create` is set;
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
    const answer = await listSegments(this.request, this.settings)
    const segments = segmentsFromListAnswer(answer.data ?? answer.content)
    if (!segments) {
      throw new IntegrationError(
        'Appcues answered the list of segments in a shape this destination does not read (neither a list nor an object holding one), so no segment could be found by name. Pick the segment in the Existing Appcues Segment field instead, and report the answer to the destination maintainers.',
        'UNEXPECTED_SEGMENT_LIST',
        // Not retried: the same answer would come again.
        400
      )
    }
    return segments
  }

  private async create(name: string, audienceKey: string): Promise<string> {
    const answer = await createSegment(this.request, this.settings, {
      name,
      description: segmentDescription(audienceKey)
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
