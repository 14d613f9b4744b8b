import { createHash } from 'crypto'
import type { Hash } from 'crypto'
import type { RawLine } from './line-reader'

/** What the first `lines` lines (or array elements) of an input held, whatever the input's name: a SHA-256 of them. */
export interface ContentMark {
  lines: number
  sha256: string
}

/** The lines read so far, hashed as they are read; a checkpoint records the mark so that a resume can check it. */
export class ContentFingerprint {
  private readonly hash: Hash = createHash('sha256')
  private lines = 0
  private latest?: ContentMark
  /** False while a resumed run has not yet checked the lines its checkpoint recorded. */
  trusted = false

  add(raw: RawLine): void {
    this.lines++
    this.latest = undefined
    // Each line with its kind and length, so that no two different inputs hash alike by moving a boundary.
    if (raw.tooLong) this.hash.update('L\n')
    else if (raw.invalidUtf8) this.hash.update('U\n')
    else if (raw.unreadable !== undefined) this.hash.update(`R${raw.unreadable.length}:${raw.unreadable}\n`)
    else this.hash.update(`T${raw.text.length}:${raw.text}\n`)
  }

  /** The mark of every line read so far. */
  mark(): ContentMark {
    this.latest ??= { lines: this.lines, sha256: this.hash.copy().digest('base64url') }
    return this.latest
  }
}

/** The input is not the one a checkpoint recorded: it differs within the lines the checkpoint covers. */
export class ContentMismatch extends Error {
  constructor(readonly expected: ContentMark, readonly linesRead: number) {
    super(
      linesRead < expected.lines
        ? `the input ends after ${linesRead} lines, before line ${expected.lines}`
        : `its first ${expected.lines} lines differ`
    )
    this.name = 'ContentMismatch'
  }
}

/**
 * Hashes each line into `fingerprint` and passes it on. With `expected` (a resumed run), the first `expected.lines`
 * lines are held back until their hash is checked, so that no line of another input is released: a mismatch throws
 * a ContentMismatch before any line is yielded. The lines held back are those an earlier run had read beyond its
 * finished lines, a few batches' worth.
 */
export async function* fingerprinted(
  lines: AsyncGenerator<RawLine>,
  fingerprint: ContentFingerprint,
  expected?: ContentMark
): AsyncGenerator<RawLine> {
  const held: RawLine[] = []
  fingerprint.trusted = expected === undefined || expected.lines === 0
  if (!fingerprint.trusted && expected) {
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      fingerprint.add(next.value)
      held.push(next.value)
      if (held.length === expected.lines) break
    }
    if (held.length < expected.lines || fingerprint.mark().sha256 !== expected.sha256) {
      throw new ContentMismatch(expected, held.length)
    }
    fingerprint.trusted = true
    for (const raw of held.splice(0)) yield raw
  }
  for await (const raw of lines) {
    fingerprint.add(raw)
    yield raw
  }
}
