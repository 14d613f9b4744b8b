/** Time and timers, injectable so that tests can run the limiter on a clock of their own. */
export interface LimiterClock {
  now(): number
  setTimer(callback: () => void, ms: number): unknown
  clearTimer(timer: unknown): void
}

const SYSTEM_CLOCK: LimiterClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout)
}

/** How many missed slots the limiter may make up at once after a stall: a tenth of the cap, at least one. */
const CATCH_UP_SHARE = 0.1

/**
 * Caps requests per second for the whole run: no 1000 ms window ever holds more than `rate` releases. Waiting
 * requests are released one at a time on a cadence of slots 1000 / rate ms apart. When the event loop stalls
 * (mapping a batch takes tens of milliseconds on a busy machine) or a timer fires late, the slots that passed
 * meanwhile are made up (up to a tenth of the cap at once, and only as far as the 1000 ms window allows), so the
 * cap is used in full. After an idle spell (nothing waiting), the cadence starts again from the present.
 * `pauseFor` (after a 429) holds every waiting request until the pause is over.
 */
export class RequestRateLimiter {
  private readonly interval: number
  /** The most slots that may be owed (and so released back to back) after a stall. */
  private readonly catchUp: number
  /** Release times of the latest requests, for the 1000 ms window. */
  private readonly released: number[] = []
  private readonly waiting: Array<() => void> = []
  /** The slot of the next release. */
  private nextSlot = 0
  private pausedUntil = 0
  private timer?: unknown

  constructor(private readonly rate: number, private readonly clock: LimiterClock = SYSTEM_CLOCK) {
    this.interval = rate > 0 ? 1000 / rate : 0
    this.catchUp = Math.max(1, Math.floor(rate * CATCH_UP_SHARE))
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
      // Nothing was waiting: an idle spell ends, and no slot of it is owed.
      if (this.waiting.length === 0) this.nextSlot = Math.max(this.nextSlot, this.clock.now())
      this.waiting.push(resolve)
      this.schedule()
    })
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms)
    if (this.timer !== undefined) {
      this.clock.clearTimer(this.timer)
      this.timer = undefined
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.timer !== undefined) return
    while (this.waiting.length > 0) {
      const now = this.clock.now()
      const slot = Math.max(this.pausedUntil, this.rate > 0 ? this.nextSlot : 0)
      const windowFree =
        this.rate > 0 && this.released.length >= this.rate ? this.released[this.released.length - this.rate] + 1000 : 0
      const due = Math.max(slot, windowFree)
      if (due > now) {
        this.timer = this.clock.setTimer(() => {
          this.timer = undefined
          this.schedule()
        }, due - now)
        return
      }
      if (this.rate > 0) {
        this.released.push(now)
        if (this.released.length > this.rate * 2) this.released.splice(0, this.released.length - this.rate)
        // The next slot follows this one's slot, not the present; of the slots that passed during a stall, at most
        // `catchUp` are still owed.
        this.nextSlot = Math.max(slot, now - this.interval * (this.catchUp - 1)) + this.interval
      }
      this.waiting.shift()?.()
    }
  }
}
