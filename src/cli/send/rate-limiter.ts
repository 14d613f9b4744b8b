/** Time and timers, injectable so that tests can run the limiter on a clock of their own. */
export interface LimiterClock {
  now(): number
  setTimer(callback: () => void, ms: number): unknown
  clearTimer(timer: unknown): void
}

export const SYSTEM_CLOCK: LimiterClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout)
}

/**
 * Caps requests per second for the whole run. Waiting requests are released one at a time, evenly spaced
 * (1000 / rate ms apart), and no 1000 ms window ever holds more than `rate` releases. `pauseFor` (after a 429)
 * holds every waiting request until the pause is over.
 */
export class RequestRateLimiter {
  private readonly interval: number
  private readonly released: number[] = []
  private readonly waiting: Array<() => void> = []
  /** The slot of the next release: a timer that fires late does not push back the releases after it. */
  private nextSlot = 0
  private pausedUntil = 0
  private timer?: unknown

  constructor(private readonly rate: number, private readonly clock: LimiterClock = SYSTEM_CLOCK) {
    this.interval = rate > 0 ? 1000 / rate : 0
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
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

  /** The earliest time the next request may go, not counting the present moment. */
  private dueSlot(): number {
    let at = this.pausedUntil
    if (this.rate > 0) {
      at = Math.max(at, this.nextSlot)
      if (this.released.length >= this.rate) at = Math.max(at, this.released[this.released.length - this.rate] + 1000)
    }
    return at
  }

  private schedule(): void {
    if (this.timer !== undefined) return
    while (this.waiting.length > 0) {
      const now = this.clock.now()
      const due = this.dueSlot()
      if (due > now) {
        this.timer = this.clock.setTimer(() => {
          this.timer = undefined
          this.schedule()
        }, due - now)
        return
      }
      this.released.push(now)
      if (this.released.length > this.rate * 2) this.released.splice(0, this.released.length - this.rate)
      // Late by less than one slot: the timer fired late, so the next slot keeps the cadence. Later than that, the
      // limiter was idle, and the cadence starts again from now rather than letting a burst catch up.
      this.nextSlot = (now - due < this.interval ? due : now) + this.interval
      this.waiting.shift()?.()
    }
  }
}
