import { isUtf8 } from 'buffer'
import { JSON_BYTE } from '../../json-bytes'

export interface RawLine {
  /** 1-based line number in the input. */
  line: number
  text: string
  /** Set when the line was longer than the limit; `text` is then empty. */
  tooLong?: boolean
  /** Set when the line's bytes are not UTF-8; `text` is then empty (decoding would replace them silently). */
  invalidUtf8?: boolean
  /** Set when the input holds something here that is no event, and why; `text` is then empty. */
  unreadable?: string
  /** Set when the input ends before its format says it is complete (a JSON array without its closing bracket). */
  truncated?: boolean
}

export interface ReadProgress {
  /** Bytes of the lines yielded so far (not of what was read ahead), so that a progress bar follows the work. */
  bytes: number
}

const NEWLINE = JSON_BYTE.newline

/** The largest line (or array element) read as an event: 8 MiB. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024

function decode(line: number, parts: Buffer[], first: boolean): RawLine {
  const bytes = Buffer.concat(parts)
  if (!isUtf8(bytes)) return { line, text: '', invalidUtf8: true }
  let text = bytes.toString('utf8')
  if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return { line, text: text.endsWith('\r') ? text.slice(0, -1) : text }
}

/**
 * Yields the lines of a stream one by one. It pulls the next chunk only when asked for the next line, so memory
 * stays flat whatever the input size; a line longer than `maxLineBytes` is reported instead of being buffered.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  progress: ReadProgress,
  maxLineBytes = MAX_LINE_BYTES
): AsyncGenerator<RawLine> {
  let parts: Buffer[] = []
  let pending = 0
  let line = 0
  let skipping = false
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    let start = 0
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      line++
      progress.bytes += pending + (end - start) + 1
      // The whole line counts, the part in this chunk too: a line one byte over the limit is too long.
      if (skipping || pending + (end - start) > maxLineBytes) {
        yield { line, text: '', tooLong: true }
      } else {
        parts.push(buffer.subarray(start, end))
        yield decode(line, parts, line === 1)
      }
      parts = []
      pending = 0
      skipping = false
      start = end + 1
    }
    if (start < buffer.length) {
      pending += buffer.length - start
      if (pending > maxLineBytes) {
        skipping = true
        parts = []
      } else if (!skipping) {
        parts.push(Buffer.from(buffer.subarray(start)))
      }
    }
  }
  progress.bytes += pending
  if (skipping) yield { line: line + 1, text: '', tooLong: true }
  else if (parts.length > 0) yield decode(line + 1, parts, line === 0)
}
