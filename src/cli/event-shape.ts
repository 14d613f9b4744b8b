import { JSON_BYTE } from './json-bytes'

/**
 * The deepest nesting of objects and arrays an event may have. Deeper events are refused before they are parsed:
 * actions-core walks mappings and payloads recursively, and an event nested a few thousand levels deep exhausts the
 * stack. The destination itself flattens at most 16 levels of properties or traits.
 */
export const MAX_EVENT_DEPTH = 64

const { openObject, openArray, closeObject, closeArray, quote, backslash } = JSON_BYTE

/** Whether the JSON text nests objects and arrays deeper than `limit`, found without parsing it (strings skipped). */
export function nestedDeeperThan(text: string, limit = MAX_EVENT_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === backslash) i++
      else if (code === quote) inString = false
    } else if (code === quote) {
      inString = true
    } else if (code === openObject || code === openArray) {
      if (++depth > limit) return true
    } else if (code === closeObject || code === closeArray) {
      depth--
    }
  }
  return false
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

/** A plain object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * What is wrong with the shape of an event that actions-core would trip over (and, in a batch, fail every event of
 * the batch for), or undefined. Segment sends `context` as an object; an event whose context is not one is refused.
 * A page or screen call's `context.page` must be an object too: the Page View fields read `context.page.search`, which
 * on a string is `String.prototype.search`, and the event would be refused for a reason that names no real problem.
 */
export function eventShapeProblem(event: Record<string, unknown>): string | undefined {
  const { context } = event
  if (context === undefined) return undefined
  if (!isObject(context)) {
    return `context must be an object, but it is ${kindOf(context)}. Fix the event's "context" (or leave it out).`
  }
  const objects = event.type === 'page' || event.type === 'screen' ? ['personas', 'page'] : ['personas']
  for (const key of objects) {
    const value = context[key]
    if (value !== undefined && !isObject(value)) {
      return `context.${key} must be an object, but it is ${kindOf(
        value
      )}. Fix the event's "context.${key}" (or leave it out).`
    }
  }
  return undefined
}
