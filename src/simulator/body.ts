import type { IncomingMessage } from 'http'

export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** Reads the whole request body, refusing more than `limit` bytes. Resolves undefined if the client went away. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => {
      if (tooLarge) reject(new BodyError(413, `The body has ${size} bytes; the limit is ${limit}.`))
      else resolve(Buffer.concat(chunks))
    })
    req.on('aborted', () => resolve(undefined))
    req.on('error', () => resolve(undefined))
  })
}

/** Parses a JSON body, checking the content type the way Appcues does (JSON only). */
export function parseJson(contentType: string | undefined, raw: Buffer): unknown {
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    throw new BodyError(415, `Send the body as JSON with the header "Content-Type: application/json".`)
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  } catch (error) {
    throw new BodyError(400, `The body is not valid JSON (${(error as Error).message}).`)
  }
}
