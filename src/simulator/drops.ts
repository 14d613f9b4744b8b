export type StoredValue = string | number | boolean | null

export interface DroppedValue {
  key: string
  reason: string
}

const REASONS = {
  object: 'a nested object; Appcues ignores objects (flatten it into parent_child attributes)',
  array: 'a list; Appcues ignores lists (send comma-separated text)',
  reserved: 'the name starts with "_", which Appcues reserves for its own attributes',
  empty: 'an empty string; Appcues advises null or leaving the attribute out'
}

function reasonFor(key: string, value: unknown): string | undefined {
  if (key.startsWith('_')) return REASONS.reserved
  if (value === '') return REASONS.empty
  if (Array.isArray(value)) return REASONS.array
  if (value !== null && typeof value === 'object') return REASONS.object
  return undefined
}

/**
 * Splits attributes into what real Appcues keeps (flat strings, numbers, booleans, null) and what it would drop
 * without an error. The simulator stores only the first and reports the second, so tests can assert it is empty.
 */
export function splitAttributes(attributes: Record<string, unknown>): {
  kept: Record<string, StoredValue>
  dropped: DroppedValue[]
} {
  const kept: Record<string, StoredValue> = {}
  const dropped: DroppedValue[] = []
  for (const [key, value] of Object.entries(attributes)) {
    const reason = reasonFor(key, value)
    if (reason) dropped.push({ key, reason })
    else kept[key] = value as StoredValue
  }
  return { kept, dropped }
}
