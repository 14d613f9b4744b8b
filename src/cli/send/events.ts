import type { SegmentEvent } from '@segment/actions-core'
import type { RawLine } from './line-reader'

export type ParsedLine =
  | { kind: 'blank'; line: number }
  | { kind: 'malformed'; line: number; error: string }
  | {
      kind: 'event'
      line: number
      event: SegmentEvent
      /** From a dead-letter record: only this subscription is run again. */
      only?: string
    }

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A dead-letter line is `{reason, ..., event}`; `send` takes it back as the event it holds. */
function unwrapDeadLetter(value: Record<string, unknown>): { event: Record<string, unknown>; only?: string } {
  if (value.type === undefined && isObject(value.event) && typeof value.reason === 'string') {
    return { event: value.event, ...(typeof value.subscription === 'string' ? { only: value.subscription } : {}) }
  }
  return { event: value }
}

export function parseLine({ line, text, tooLong }: RawLine): ParsedLine {
  if (tooLong) return { kind: 'malformed', line, error: 'the line is too long to be one event' }
  if (text.trim() === '') return { kind: 'blank', line }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { kind: 'malformed', line, error: `not valid JSON (${(error as Error).message})` }
  }
  if (!isObject(value)) return { kind: 'malformed', line, error: 'not a JSON object (each line must hold one event)' }
  const { event, only } = unwrapDeadLetter(value)
  if (typeof event.type !== 'string' || event.type === '') {
    return {
      kind: 'malformed',
      line,
      error: 'not a Segment event: it has no "type" (identify, track, page, screen, group, ...)'
    }
  }
  return { kind: 'event', line, event: event as unknown as SegmentEvent, ...(only ? { only } : {}) }
}
