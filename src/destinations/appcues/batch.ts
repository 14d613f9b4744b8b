import { ErrorCodes, MultiStatusResponse } from '@segment/actions-core'
import type { JSONLikeObject, ModifiedResponse } from '@segment/actions-core'
import { appcuesBodyOf } from './errors'

/** At most this many Appcues requests of one batch are in flight at once. */
export const BATCH_CONCURRENCY = 10

type Sent = JSONLikeObject | string

/** Runs `task` over `items`, at most `limit` at a time, in order of start. */
export async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

function asBody(value: unknown): JSONLikeObject | string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? (value as JSONLikeObject) : String(value)
}

function errorType(code: unknown): keyof typeof ErrorCodes | undefined {
  return typeof code === 'string' && code in ErrorCodes ? (code as keyof typeof ErrorCodes) : undefined
}

/** Collects one outcome per event of a batch; events that shared a request share its outcome. */
export class BatchResults {
  readonly response = new MultiStatusResponse()

  succeed(indices: number[], answer: ModifiedResponse, sent: Sent): void {
    const body = asBody(answer.data ?? answer.content)
    for (const index of indices) this.response.setSuccessResponseAtIndex(index, { status: answer.status, sent, body })
  }

  fail(indices: number[], error: Error & { status?: number; code?: string }, sent?: Sent): void {
    const appcuesBody = appcuesBodyOf(error)
    const outcome = {
      status: error.status ?? 500,
      errortype: errorType(error.code),
      errormessage: error.message,
      // An error Appcues answered is the destination's; one found before sending is the integration's.
      ...(appcuesBody === undefined ? {} : { sent: sent ?? '', body: asBody(appcuesBody) })
    }
    for (const index of indices) this.response.setErrorResponseAtIndex(index, outcome)
  }

  /** Runs one request for `indices` and records its outcome for all of them. Resolves to whether it succeeded. */
  async settle(indices: number[], sent: Sent, send: () => Promise<ModifiedResponse>): Promise<boolean> {
    try {
      this.succeed(indices, await send(), sent)
      return true
    } catch (error) {
      this.fail(indices, error as Error, sent)
      return false
    }
  }
}

/**
 * Prepares each payload on its own, so that an invalid one fails alone: `prepare` either returns its value or throws
 * an actions-core error, which is recorded for that event.
 */
export function prepareEach<P, T>(
  payloads: P[],
  results: BatchResults,
  prepare: (payload: P) => T
): Array<[number, T]> {
  const prepared: Array<[number, T]> = []
  payloads.forEach((payload, index) => {
    try {
      prepared.push([index, prepare(payload)])
    } catch (error) {
      results.fail([index], error as Error)
    }
  })
  return prepared
}

/**
 * The largest body of a request that lists ids (erasure, segment membership). Appcues publishes one size limit, for
 * erasure files (8 MB), and none for JSON bodies: stay far under it.
 */
export const MAX_ID_LIST_BODY_BYTES = 1024 * 1024

/**
 * Splits ids, in order, into chunks that each fit one `{"<listKey>": [...]}` body of at most `maxBytes` bytes and
 * `maxIds` ids. An id larger than the limit on its own still gets a chunk of its own.
 */
export function idChunks(
  ids: string[],
  listKey: string,
  maxBytes = MAX_ID_LIST_BODY_BYTES,
  maxIds = Infinity
): string[][] {
  const emptyBodyBytes = JSON.stringify({ [listKey]: [] }).length
  const chunks: string[][] = []
  let chunk: string[] = []
  let bytes = emptyBodyBytes
  for (const id of ids) {
    const idBytes = Buffer.byteLength(JSON.stringify(id))
    if (chunk.length > 0 && (chunk.length >= maxIds || bytes + 1 + idBytes > maxBytes)) {
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
