import { readArrayElements } from './array-reader'
import { readLines } from './line-reader'
import type { RawLine, ReadProgress } from './line-reader'

const OPEN_ARRAY = 0x5b
/** Whitespace and the bytes of a UTF-8 byte-order mark, which may precede the first event. */
const LEADING = new Set([0x20, 0x0a, 0x0d, 0x09, 0xef, 0xbb, 0xbf])

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk
}

async function* replay(head: Buffer[], rest: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  for (const chunk of head) yield chunk
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield toBuffer(next.value)
}

/**
 * Reads events from JSON lines, or from a top-level JSON array when the input's first character is `[` (elements
 * are numbered like lines). Only the first chunks are looked at to decide; neither format is loaded whole.
 */
export async function* readEvents(
  input: AsyncIterable<Buffer | string>,
  progress: ReadProgress
): AsyncGenerator<RawLine> {
  const iterator = input[Symbol.asyncIterator]()
  const head: Buffer[] = []
  let first: number | undefined
  while (first === undefined) {
    const next = await iterator.next()
    if (next.done) break
    const chunk = toBuffer(next.value)
    head.push(chunk)
    first = chunk.find((byte) => !LEADING.has(byte))
  }
  const chunks = replay(head, iterator)
  if (first === OPEN_ARRAY) yield* readArrayElements(chunks, progress)
  else yield* readLines(chunks, progress)
}
