/** An Appcues segment as the list and create calls answer it (only the parts this action reads). */
export interface AppcuesSegment {
  id: string
  name: string
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
 * Reads the answer of `GET …/segments`. Appcues has not confirmed its shape: a bare array, or an object that wraps
 * one array (such as `{"data": [...]}`), are both read, as Appcues' own command-line client reads them. An empty
 * answer means no segments. Anything else is undefined, so that the caller can say the answer was not understood.
 */
export function segmentsFromListAnswer(body: unknown): AppcuesSegment[] | undefined {
  if (body === undefined || body === null || body === '') return []
  const list = Array.isArray(body) ? body : isRecord(body) ? Object.values(body).find(Array.isArray) : undefined
  if (!list) return undefined
  return list.map(segmentOf).filter((segment): segment is AppcuesSegment => segment !== undefined)
}

/** The id in the answer of `POST …/segments`: the created segment, bare or wrapped in an object. */
export function segmentIdFromCreateAnswer(body: unknown): string | undefined {
  const direct = segmentOf(body)
  if (direct) return direct.id
  if (!isRecord(body)) return undefined
  for (const value of Object.values(body)) {
    const wrapped = segmentOf(value)
    if (wrapped) return wrapped.id
  }
  return undefined
}
