/**
 * Caps requests per second for the whole run. Waiting requests are released one at a time, evenly spaced
 * (1000 / rate ms apart), and no 1000 ms window ever holds more than `rate` releases. `pauseFor` (after a 429)
 * holds every waiting request until the pause is over.
 */
export class RequestRateLimiter {
  private readonly interval: number
  private readonly released: number[] = []
  private readonly waiting: Array<() => void> = []
  private nextFree = 0
  private pausedUntil = 0
  private timer?: NodeJS.Timeout

  constructor(private readonly rate: number, private readonly now: () => number = Date.now) {
    this.interval = rate > 0 ? 1000 / rate : 0
  }

  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      this.schedule()
    })
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms)
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    this.schedule()
  }

  private nextAllowed(now: number): number {
    let at = Math.max(now, this.pausedUntil)
    if (this.rate > 0) {
      at = Math.max(at, this.nextFree)
      if (this.released.length >= this.rate) at = Math.max(at, this.released[this.released.length - this.rate] + 1000)
    }
    return at
  }

  private schedule(): void {
    if (this.timer) return
    while (this.waiting.length > 0) {
      const now = this.now()
      const at = this.nextAllowed(now)
      if (at > now) {
        this.timer = setTimeout(() => {
          this.timer = undefined
          this.schedule()
        }, at - now)
        return
      }
      this.released.push(now)
      if (this.released.length > this.rate * 2) this.released.splice(0, this.released.length - this.rate)
      this.nextFree = now + this.interval
      this.waiting.shift()?.()
    }
  }
}
