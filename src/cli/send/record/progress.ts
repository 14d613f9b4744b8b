import type { Tally } from './tally'

export interface ProgressSink {
  write: (text: string) => void
  isTTY: boolean
}

export interface ProgressSnapshot {
  tally: Tally
  bytesRead: number
  totalBytes?: number
  requests: number
}

const BAR_WIDTH = 24
const TTY_EVERY_MS = 100
const PLAIN_EVERY_MS = 5000

function describe({ tally, requests }: ProgressSnapshot): string {
  return `${tally.finished} events, ${tally.delivered} delivered, ${tally.rejected} rejected, ${tally.failed} failed, ${requests} requests, ${tally.retries} retries`
}

/** A bar redrawn in place on a terminal; otherwise a plain line every few seconds. Off with `enabled: false`. */
export class Progress {
  private lastDraw = 0
  private drawn = false
  private timer?: NodeJS.Timeout

  constructor(private readonly sink: ProgressSink | undefined, private readonly snapshot: () => ProgressSnapshot) {}

  start(): void {
    if (!this.sink) return
    const every = this.sink.isTTY ? TTY_EVERY_MS : PLAIN_EVERY_MS
    this.timer = setInterval(() => this.draw(), every)
    this.timer.unref()
  }

  /** Clears the bar so that a message can be printed on its own line; the next tick redraws it. */
  clear(): void {
    if (this.sink?.isTTY && this.drawn) this.sink.write('\r\x1b[K')
    this.drawn = false
  }

  private draw(): void {
    if (!this.sink) return
    const now = Date.now()
    const state = this.snapshot()
    if (!this.sink.isTTY) {
      if (now - this.lastDraw >= PLAIN_EVERY_MS) this.sink.write(`progress: ${describe(state)}\n`)
      this.lastDraw = now
      return
    }
    const fraction = state.totalBytes ? Math.min(1, state.bytesRead / state.totalBytes) : undefined
    const bar =
      fraction === undefined
        ? ''
        : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] ${String(
            Math.floor(fraction * 100)
          ).padStart(3)}% `
    this.sink.write(`\r\x1b[K${bar}${describe(state)}`)
    this.drawn = true
    this.lastDraw = now
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.clear()
  }
}
