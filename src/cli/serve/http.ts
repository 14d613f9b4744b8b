import type { IncomingMessage, ServerResponse } from 'http'

/** An answer the server gives instead of running a route: a status and a message saying what to change. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message)
    this.name = 'HttpError'
  }
}

/**
 * An oversized body is read to its end and thrown away, so that the client, still sending, gets its 413 answer.
 * Past this many times the limit the server stops reading: it answers 413 and closes the connection.
 */
const DRAIN_LIMIT_FACTOR = 32

function tooLargeError(limit: number, closing: boolean): HttpError {
  return new HttpError(
    413,
    `The request body is larger than ${limit} bytes. Send fewer events per request (split a batch), or smaller ones.`,
    closing ? { connection: 'close' } : {}
  )
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else if (size > limit * DRAIN_LIMIT_FACTOR) {
        request.pause()
        reject(tooLargeError(limit, true))
      }
    })
    request.on('end', () => (size > limit ? reject(tooLargeError(limit, false)) : resolve(Buffer.concat(chunks))))
    request.on('error', reject)
  })
}

/** Reads a JSON object body (an empty body counts as {}), enforcing the size limit. */
export async function readJsonObject(request: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const text = (await readBody(request, limit)).toString('utf8')
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (caught) {
    throw new HttpError(
      400,
      `The request body is not valid JSON: ${
        (caught as Error).message
      }. Send a JSON object, for example {"payload": {...}, "settings": {...}}.`
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(
      400,
      'The request body must be a JSON object, for example {"payload": {...}, "settings": {...}}.'
    )
  }
  return parsed as Record<string, unknown>
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store'
  })
  response.end(text)
}
