/*
 * Validation reads definitions that may be broken in any way, so it looks at them as plain data, never trusting the
 * TypeScript types.
 */

export type Loose = Record<string, unknown>

export function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function record(value: unknown): Loose {
  return isRecord(value) ? value : {}
}

/** The entries of a record whose values are records themselves (fields, settings, actions). */
export function recordEntries(value: unknown): Array<[string, Loose]> {
  return Object.entries(record(value)).map(([key, child]) => [key, record(child)])
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : []
}

export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/** A short, safe rendering of a definition value for messages. */
export function show(value: unknown): string {
  if (typeof value === 'function') return 'a function'
  const text = JSON.stringify(value)
  if (text === undefined) return String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
