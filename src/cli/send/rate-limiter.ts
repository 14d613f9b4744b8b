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
 * Caps requests per second for the whole run. Waiting requests are released one at a time on a cadence of slots
 * 1000 / rate ms apart, so no 1000 ms of slots holds more than `rate`. A timer that fires late (a busy machine)
 * releases its request late but does not move the slots after it, so the cap is used in full; arrivals may then
 * bunch by up to one slot (at most rate + 1 in a second). After an idle spell longer than one slot, the cadence
 * starts again from the present rather than catching up in a burst. `pauseFor` (after a 429) holds every waiting
 * request until the pause is over.
 */
export class RequestRateLimiter {
  private readonly interval: number
  private readonly waiting: Array<() => void> = []
  /** The earliest slot of the next release. */
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

  private schedule(): void {
    if (this.timer !== undefined) return
    while (this.waiting.length > 0) {
      const now = this.clock.now()
      const due = Math.max(this.pausedUntil, this.rate > 0 ? this.nextSlot : 0)
      if (due > now) {
        this.timer = this.clock.setTimer(() => {
          this.timer = undefined
          this.schedule()
        }, due - now)
        return
      }
      // Late by less than one slot: the timer fired late, and the next slot keeps the cadence. Later than that,
      // nothing was waiting, and the cadence starts from now.
      this.nextSlot = (now - due < this.interval ? due : now) + this.interval
      this.waiting.shift()?.()
    }
  }
}
