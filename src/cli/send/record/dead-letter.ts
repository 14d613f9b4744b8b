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

/**
 * Appends undeliverable events, one JSON object a line, each with its reason and the original event, so that the
 * file can be given back to `send` once the cause is fixed. The file is created on the first dead letter.
 */
export class DeadLetterFile {
  private fd?: number
  count = 0

  constructor(readonly file: string, append: boolean) {
    // A fresh run starts an empty file; a resumed run adds to the dead letters of the interrupted one.
    if (!append && fs.existsSync(file)) fs.truncateSync(file, 0)
  }

  write(letter: DeadLetter): void {
    this.fd ??= fs.openSync(this.file, 'a')
    fs.writeSync(this.fd, `${JSON.stringify(letter)}\n`)
    this.count++
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}
