import type { SegmentEvent } from '@segment/actions-core'
import { eventShapeProblem, isObject, MAX_EVENT_DEPTH, nestedDeeperThan } from '../../event-shape'
import type { RawLine } from '../read/line-reader'
import { inexactNumber } from './exact-numbers'

export type ParsedLine =
  | { kind: 'blank'; line: number }
  | { kind: 'malformed'; line: number; error: string }
  | {
      kind: 'event'
      line: number
      event: SegmentEvent
      /** From a dead-letter record: only this subscription is run again. */
      only?: string
      /** Set when the event's shape is wrong: it is rejected without being sent. */
      problem?: string
      /** From a dead-letter record marked superseded: the later input line whose delivered event made it out of date. */
      supersededBy?: number
    }

/** A dead-letter line is `{reason, ..., event}`; `send` takes it back as the event it holds. */
function unwrapDeadLetter(value: Record<string, unknown>): {
  event: Record<string, unknown>
  only?: string
  supersededBy?: number
} {
  if (value.type === undefined && isObject(value.event) && typeof value.reason === 'string') {
    return {
      event: value.event,
      ...(typeof value.subscription === 'string' ? { only: value.subscription } : {}),
      ...(typeof value.supersededBy === 'number' ? { supersededBy: value.supersededBy } : {})
    }
  }
  return { event: value }
}

export function parseLine({ line, text, tooLong, invalidUtf8, unreadable }: RawLine): ParsedLine {
  if (tooLong) return { kind: 'malformed', line, error: 'the line is too long to be one event' }
  if (unreadable) return { kind: 'malformed', line, error: unreadable }
  if (invalidUtf8) {
    return {
      kind: 'malformed',
      line,
      error: 'not valid UTF-8 (the line holds bytes that are not UTF-8 text); save the file as UTF-8'
    }
  }
  if (text.trim() === '') return { kind: 'blank', line }
  if (nestedDeeperThan(text)) {
    return {
      kind: 'malformed',
      line,
      error: `nested more than ${MAX_EVENT_DEPTH} levels deep (send reads events nested at most ${MAX_EVENT_DEPTH} levels)`
    }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { kind: 'malformed', line, error: `not valid JSON (${(error as Error).message})` }
  }
  if (Array.isArray(value)) {
    return {
      kind: 'malformed',
      line,
      error:
        'a JSON array on one line: a JSON-lines file holds one event, a JSON object, on each line (a file that is one JSON array is read element by element)'
    }
  }
  if (!isObject(value)) return { kind: 'malformed', line, error: 'not a JSON object (each line must hold one event)' }
  const inexact = inexactNumber(text)
  if (inexact) return { kind: 'malformed', line, error: `a number would change: ${inexact}` }
  const { event, only, supersededBy } = unwrapDeadLetter(value)
  if (typeof event.type !== 'string' || event.type === '') {
    return {
      kind: 'malformed',
      line,
      error: 'not a Segment event: it has no "type" (identify, track, page, screen, group, ...)'
    }
  }
  const problem = eventShapeProblem(event)
  return {
    kind: 'event',
    line,
    event: event as unknown as SegmentEvent,
    ...(only ? { only } : {}),
    ...(problem ? { problem } : {}),
    ...(supersededBy !== undefined ? { supersededBy } : {})
  }
}
