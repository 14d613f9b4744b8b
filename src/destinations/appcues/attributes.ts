import { PayloadValidationError } from '@segment/actions-core'

export type AttributeValue = string | number | boolean | null
export type Attributes = Record<string, AttributeValue>

const SEPARATOR = '_'
const MAX_DEPTH = 16

type Primitive = string | number | boolean

function isPrimitive(value: unknown): value is Primitive {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function arrayToAttribute(values: unknown[], path: string, fieldLabel: string): string | undefined {
  if (values.every(isPrimitive)) {
    const joined = values.filter((value) => value !== '').join(',')
    return joined === '' ? undefined : joined
  }
  try {
    return JSON.stringify(values)
  } catch {
    throw new PayloadValidationError(
      `${fieldLabel} has a value at "${path}" that cannot be written as JSON. Map plain data.`
    )
  }
}

/**
 * Appcues stores flat string, number, boolean and date values and silently ignores anything else, so nested
 * objects become `parent_child` keys, arrays of plain values a comma-separated string, other arrays a JSON string.
 * Empty strings (also inside lists) and empty lists are left out, `null` is kept (it clears the attribute), and keys that start with
 * `_` are left out because Appcues reserves them for its own attributes (as is a key with no name).
 */
export function toAppcuesAttributes(
  source: Record<string, unknown> | undefined | null,
  fieldLabel: string
): Attributes {
  const flat = new Map<string, AttributeValue>()
  const ancestors = new Set<object>()

  const put = (name: string, value: AttributeValue) => {
    if (name === '' || name.startsWith('_')) return
    if (flat.has(name)) {
      throw new PayloadValidationError(
        `${fieldLabel} has two values for the Appcues attribute "${name}" (a nested key and a flat key flatten to the same name). Rename one of them in the mapping.`
      )
    }
    flat.set(name, value)
  }

  const walk = (object: Record<string, unknown>, prefix: string, depth: number) => {
    if (ancestors.has(object)) {
      throw new PayloadValidationError(`${fieldLabel} refers to itself at "${prefix}". Map plain data.`)
    }
    if (depth > MAX_DEPTH) {
      throw new PayloadValidationError(
        `${fieldLabel} is nested more than ${MAX_DEPTH} levels deep at "${prefix}". Map a flatter object.`
      )
    }
    ancestors.add(object)
    for (const [key, value] of Object.entries(object)) {
      const name = prefix ? `${prefix}${SEPARATOR}${key}` : key
      if (value === undefined || value === '') continue
      if (value === null || typeof value === 'string' || typeof value === 'boolean') {
        put(name, value)
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) {
          throw new PayloadValidationError(
            `${fieldLabel} has a number at "${name}" that is not finite. Map a real number.`
          )
        }
        put(name, value)
      } else if (Array.isArray(value)) {
        const joined = arrayToAttribute(value, name, fieldLabel)
        if (joined !== undefined) put(name, joined)
      } else if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new PayloadValidationError(`${fieldLabel} has an invalid date at "${name}". Map a real date.`)
        }
        put(name, value.toISOString())
      } else if (isPlainObject(value)) {
        walk(value, name, depth + 1)
      } else {
        throw new PayloadValidationError(
          `${fieldLabel} has a value of an unsupported type at "${name}". Map plain data.`
        )
      }
    }
    ancestors.delete(object)
  }

  if (source) walk(source, '', 0)
  return Object.fromEntries(flat)
}

/**
 * Event timestamps go to Appcues as ISO-8601. Numbers (also as text) are epoch milliseconds, or seconds when below
 * 1e11 (a date before 1973 in milliseconds).
 */
export function toIsoTimestamp(
  value: string | number | undefined,
  fieldLabel: string,
  now: () => Date = () => new Date()
): string {
  if (value === undefined || value === '') return now().toISOString()
  const epoch = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined
  const date = epoch === undefined ? new Date(value) : new Date(Math.abs(epoch) < 1e11 ? epoch * 1000 : epoch)
  const year = date.getUTCFullYear()
  if (year < 0 || year > 9999) {
    throw new PayloadValidationError(
      `${fieldLabel} "${String(
        value
      )}" is outside the years 0000 to 9999. Map the event's real date as an ISO-8601 timestamp.`
    )
  }
  if (Number.isNaN(date.getTime())) {
    throw new PayloadValidationError(
      `${fieldLabel} "${String(value)}" is not a date. Map an ISO-8601 timestamp such as 2024-05-01T12:00:00.000Z.`
    )
  }
  return date.toISOString()
}
