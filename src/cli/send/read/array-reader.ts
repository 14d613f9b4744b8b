import { isUtf8 } from 'buffer'
import { isJsonWhitespace, JSON_BYTE } from '../../json-bytes'
import { MAX_LINE_BYTES } from './line-reader'
import type { RawLine, ReadProgress } from './line-reader'

/** Collects one element's bytes, up to a limit past which only its length is counted. */
class Element {
  parts: Buffer[] = []
  size = 0

  constructor(private readonly maxBytes: number) {}

  add(bytes: Buffer): void {
    this.size += bytes.length
    if (this.size <= this.maxBytes) this.parts.push(Buffer.from(bytes))
    else this.parts = []
  }

  take(number: number): RawLine {
    const bytes = Buffer.concat(this.parts)
    const tooLong = this.size > this.maxBytes
    this.parts = []
    this.size = 0
    if (tooLong) return { line: number, text: '', tooLong: true }
    if (!isUtf8(bytes)) return { line: number, text: '', invalidUtf8: true }
    return { line: number, text: bytes.toString('utf8') }
  }
}

/**
 * Yields the elements of a top-level JSON array (`[{...}, {...}]`, a common export format) one by one, numbered from
 * 1 like lines, without holding the whole document: only the element being read is kept, and one longer than
 * `maxElementBytes` is reported instead of being buffered. Text after the closing bracket is yielded as one more
 * element, so that it is reported as malformed rather than dropped; an array that never closes is reported as
 * truncated.
 */
export async function* readArrayElements(
  chunks: AsyncIterable<Buffer>,
  progress: ReadProgress,
  maxElementBytes = MAX_LINE_BYTES
): AsyncGenerator<RawLine> {
  const element = new Element(maxElementBytes)
  let number = 0
  let opened = false
  let closed = false
  let trailing = false
  let depth = 0
  let inString = false
  let escaped = false
  for await (const chunk of chunks) {
    let start = 0
    let i = 0
    for (; i < chunk.length && !closed; i++) {
      const byte = chunk[i]
      if (!opened) {
        // Skips what precedes the bracket (whitespace, a byte-order mark).
        if (byte === JSON_BYTE.openArray) {
          opened = true
          progress.bytes += i + 1
          start = i + 1
        }
      } else if (inString) {
        if (escaped) escaped = false
        else if (byte === JSON_BYTE.backslash) escaped = true
        else if (byte === JSON_BYTE.quote) inString = false
      } else if (byte === JSON_BYTE.quote) {
        inString = true
      } else if (byte === JSON_BYTE.openObject || byte === JSON_BYTE.openArray) {
        depth++
      } else if ((byte === JSON_BYTE.closeObject || byte === JSON_BYTE.closeArray) && depth > 0) {
        depth--
      } else if (depth === 0 && (byte === JSON_BYTE.comma || byte === JSON_BYTE.closeArray)) {
        element.add(chunk.subarray(start, i))
        progress.bytes += i + 1 - start
        start = i + 1
        closed = byte === JSON_BYTE.closeArray
        const raw = element.take(number + 1)
        // `[]` and a trailing comma hold no element: nothing to report.
        if (raw.tooLong || raw.invalidUtf8 || raw.text.trim() !== '') {
          number++
          yield raw
        }
      }
    }
    if (!closed) {
      if (opened && start < chunk.length) element.add(chunk.subarray(start))
      progress.bytes += opened ? chunk.length - start : chunk.length
    } else {
      const rest = chunk.subarray(i)
      progress.bytes += rest.length
      trailing ||= rest.some((byte) => !isJsonWhitespace(byte))
    }
  }
  if (trailing) {
    yield { line: number + 1, text: '', unreadable: 'text follows the closing bracket of the JSON array' }
  } else if (opened && !closed) {
    // The document ended inside the array: what was read of the last element is yielded (a complete element is an
    // event; a cut one is malformed), then the truncation itself, which the run reports and fails on.
    const last = element.take(number + 1)
    if (last.tooLong || last.invalidUtf8 || last.text.trim() !== '') {
      number++
      yield last
    }
    yield {
      line: number + 1,
      text: '',
      truncated: true,
      unreadable: `the input ends after element ${number} without the closing bracket ] of its JSON array: the export is incomplete (cut short?). Export it again, or add the bracket if nothing is missing`
    }
  }
}
