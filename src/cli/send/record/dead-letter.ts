import fs from 'fs'
import type { SegmentEvent } from '@segment/actions-core'

export interface DeadLetter {
  outcome: 'rejected' | 'failed'
  reason: string
  status?: number
  /** The subscription that could not deliver the event; sending the line again runs only that one. */
  subscription: string
  action: string
  input: string
  line: number
  attempts: number
  at: string
  event: SegmentEvent
  /**
   * For an event that changes a user, group or segment membership: null, or the input line of a later event that
   * changed the same one and was delivered, so that sending this dead letter again would undo it (a replay skips it).
   */
  supersededBy?: number | null
}

const isRegularFile = (file: string) => {
  try {
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** Room left after `"supersededBy":null}` so that a line number (up to 15 digits) can be written there in place. */
const MARK_ROOM = ' '.repeat(16)
const NULL_MARK = 'null}'

/** Remembers this many keys' latest delivered line, for dead letters written after the delivery that supersedes them. */
const RECENT_DELIVERIES = 10_000

/**
 * Appends undeliverable events, one JSON object a line, each with its reason and the original event, so that the
 * file can be given back to `send` once the cause is fixed. The file is created on the first dead letter. Should a
 * write fail (a full disk), nothing more is written to it: `write` returns the error, and the caller keeps the letter.
 *
 * A dead letter of an event that changes something (a user's profile, a group's, a user's membership of a segment)
 * has a key, and `supersededBy`. When a later event with the same key is delivered, the letter's `null` is replaced in
 * place by that event's line (the line keeps its length), so that a replay of the file skips it instead of writing
 * the older change over the newer one. A resumed run reads the letters of the interrupted one to go on marking them.
 */
export class DeadLetterFile {
  private fd?: number
  private markFd?: number
  /** Bytes in the file, where the next letter starts. */
  private size = 0
  count = 0
  /** Letters marked as superseded by this run. */
  superseded = 0
  /** The error of the first write that failed. */
  failure?: Error
  /** Letters not superseded yet, by key: their line, and where their `null` stands in the file. */
  private readonly open = new Map<string, Array<{ line: number; at: number }>>()
  /** The latest delivered line of recently delivered keys. */
  private readonly deliveries = new Map<string, number>()
  private readonly marks: boolean

  constructor(readonly file: string, append: boolean, keyOf: (letter: DeadLetter) => string | undefined) {
    this.marks = !fs.existsSync(file) || isRegularFile(file)
    // A fresh run starts an empty file; a resumed run adds to the dead letters of the interrupted one.
    if (!append && isRegularFile(file)) fs.truncateSync(file, 0)
    if (append && isRegularFile(file)) this.readOpenLetters(keyOf)
  }

  /** The letters an interrupted run wrote that are not superseded yet. */
  private readOpenLetters(keyOf: (letter: DeadLetter) => string | undefined): void {
    const bytes = fs.readFileSync(this.file)
    this.size = bytes.length
    let start = 0
    for (let end = bytes.indexOf(0x0a); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) {
      let letter: DeadLetter
      try {
        letter = JSON.parse(bytes.subarray(start, end).toString('utf8')) as DeadLetter
      } catch {
        continue
      }
      const key = letter.supersededBy === null ? keyOf(letter) : undefined
      const at = bytes.lastIndexOf(`"supersededBy":${NULL_MARK}`, end) + '"supersededBy":'.length
      if (key !== undefined && at > start + '"supersededBy":'.length) this.remember(key, letter.line, at)
    }
  }

  private remember(key: string, line: number, at: number): void {
    const letters = this.open.get(key) ?? []
    letters.push({ line, at })
    this.open.set(key, letters)
  }

  /** Appends the letter; returns the error when it could not be written (then and for every later letter). */
  write(letter: DeadLetter, key?: string): Error | undefined {
    if (this.failure) return this.failure
    const marked = key !== undefined && this.marks
    const later = marked ? this.deliveries.get(key) : undefined
    const supersededBy = later !== undefined && later > letter.line ? later : null
    const json = JSON.stringify(marked ? { ...letter, supersededBy } : letter)
    const text = marked ? `${json}${MARK_ROOM}\n` : `${json}\n`
    try {
      this.fd ??= fs.openSync(this.file, 'a')
      fs.writeSync(this.fd, text)
    } catch (error) {
      this.failure = error as Error
      return this.failure
    }
    this.count++
    if (marked && supersededBy === null)
      this.remember(key, letter.line, this.size + Buffer.byteLength(json) - NULL_MARK.length)
    if (supersededBy !== null) this.superseded++
    this.size += Buffer.byteLength(text)
    return undefined
  }

  /** An event with this key was delivered from `line`: the earlier letters with the key are marked superseded. */
  delivered(key: string, line: number): void {
    if (!this.marks) return
    this.deliveries.delete(key)
    this.deliveries.set(key, line)
    if (this.deliveries.size > RECENT_DELIVERIES) this.deliveries.delete(this.deliveries.keys().next().value as string)
    const letters = this.open.get(key)
    if (!letters) return
    const remaining = letters.filter((letter) => letter.line >= line || !this.mark(letter.at, line))
    if (remaining.length > 0) this.open.set(key, remaining)
    else this.open.delete(key)
  }

  /** Writes the superseding line over the letter's `null` (padded to the same length); false if it could not. */
  private mark(at: number, line: number): boolean {
    try {
      this.markFd ??= fs.openSync(this.file, 'r+')
      fs.writeSync(this.markFd, `${line}}`.padEnd(NULL_MARK.length + MARK_ROOM.length), at)
      this.superseded++
      return true
    } catch {
      return false
    }
  }

  close(): void {
    for (const fd of [this.fd, this.markFd]) if (fd !== undefined) fs.closeSync(fd)
    this.fd = undefined
    this.markFd = undefined
  }
}
