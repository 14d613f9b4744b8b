import { isJsonWhitespace, JSON_BYTE } from '../../json-bytes'
import { readArrayElements } from './array-reader'
import { MAX_LINE_BYTES, readLines } from './line-reader'
import type { RawLine, ReadProgress } from './line-reader'

const { openArray, closeArray, openObject, closeObject, quote, backslash, newline: NEWLINE } = JSON_BYTE
/** The bytes of a UTF-8 byte-order mark, which may precede the first event like whitespace. */
const BYTE_ORDER_MARK = new Set([0xef, 0xbb, 0xbf])

export type InputFormat = 'json-lines' | 'json-array'

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk
}

async function* replay(head: Buffer[], rest: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  for (const chunk of head) yield chunk
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield toBuffer(next.value)
}

/**
 * Where the JSON array that opens at `start` closes, if it closes before the first newline: the offset after its
 * closing bracket, or undefined when the first line ends (or the text read so far ends) inside it.
 */
function closeOnFirstLine(bytes: Buffer, start: number): number | undefined {
  let depth = 0
  let inString = false
  let escaped = false
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]
    if (inString) {
      if (escaped) escaped = false
      else if (byte === backslash) escaped = true
      else if (byte === quote) inString = false
    } else if (byte === NEWLINE) {
      return undefined
    } else if (byte === quote) {
      inString = true
    } else if (byte === openArray || byte === openObject) {
      depth++
    } else if (byte === closeArray || byte === closeObject) {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return undefined
}

/**
 * Decides once, before any event is read, whether the input is JSON lines or one top-level JSON array. It is an
 * array when its first character is `[`, unless its first line holds a whole array and more text follows on later
 * lines: that is a JSON-lines file whose first line is an array (a malformed line), not an array that swallows the
 * rest. Looks ahead at most one line (up to the line size limit); nothing is read twice.
 */
async function decideFormat(
  iterator: AsyncIterator<Buffer | string>
): Promise<{ format: InputFormat; head: Buffer[] }> {
  const head: Buffer[] = []
  let bytes = Buffer.alloc(0)
  let done = false
  const more = async () => {
    const next = await iterator.next()
    if (next.done) done = true
    else {
      head.push(toBuffer(next.value))
      bytes = Buffer.concat([bytes, head[head.length - 1]])
    }
  }
  let start = -1
  while (start === -1 && !done) {
    await more()
    start = bytes.findIndex((byte) => !isJsonWhitespace(byte) && !BYTE_ORDER_MARK.has(byte))
  }
  if (start === -1 || bytes[start] !== openArray) return { format: 'json-lines', head }
  while (!done && bytes.indexOf(NEWLINE, start) === -1 && bytes.length - start <= MAX_LINE_BYTES) await more()
  const end = closeOnFirstLine(bytes, start)
  const newline = bytes.indexOf(NEWLINE, start)
  if (end === undefined || newline === -1 || bytes.subarray(end, newline).some((byte) => !isJsonWhitespace(byte))) {
    return { format: 'json-array', head }
  }
  // The first line is one whole array: JSON lines when anything but whitespace follows it.
  let rest = newline + 1
  for (;;) {
    while (rest < bytes.length && isJsonWhitespace(bytes[rest])) rest++
    if (rest < bytes.length) return { format: 'json-lines', head }
    if (done) return { format: 'json-array', head }
    await more()
  }
}

/**
 * Reads events from JSON lines, or from one top-level JSON array (elements are numbered like lines); the format is
 * decided once, before the first event (see `decideFormat`). Neither format is loaded whole.
 */
export async function* readEvents(
  input: AsyncIterable<Buffer | string>,
  progress: ReadProgress
): AsyncGenerator<RawLine> {
  const iterator = input[Symbol.asyncIterator]()
  const { format, head } = await decideFormat(iterator)
  const chunks = replay(head, iterator)
  if (format === 'json-array') yield* readArrayElements(chunks, progress)
  else yield* readLines(chunks, progress)
}
