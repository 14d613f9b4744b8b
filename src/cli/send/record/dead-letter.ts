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
}

const isRegularFile = (file: string) => {
  try {
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * Appends undeliverable events, one JSON object a line, each with its reason and the original event, so that the
 * file can be given back to `send` once the cause is fixed. The file is created on the first dead letter. Should a
 * write fail (a full disk), nothing more is written to it: `write` returns the error, and the caller keeps the letter.
 */
export class DeadLetterFile {
  private fd?: number
  count = 0
  /** The error of the first write that failed. */
  failure?: Error

  constructor(readonly file: string, append: boolean) {
    // A fresh run starts an empty file; a resumed run adds to the dead letters of the interrupted one.
    if (!append && isRegularFile(file)) fs.truncateSync(file, 0)
  }

  /** Appends the letter; returns the error when it could not be written (then and for every later letter). */
  write(letter: DeadLetter): Error | undefined {
    if (this.failure) return this.failure
    try {
      this.fd ??= fs.openSync(this.file, 'a')
      fs.writeSync(this.fd, `${JSON.stringify(letter)}\n`)
      this.count++
      return undefined
    } catch (error) {
      this.failure = error as Error
      return this.failure
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}
