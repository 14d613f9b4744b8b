/** A sliding one-second window per key: at most `limit` requests in any 1000 ms. */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, number[]>()

  constructor(private readonly limit: number, private readonly windowMs = 1000) {}

  /** Counts the request and returns 0 when it is allowed, otherwise the milliseconds until a slot frees up. */
  take(key: string, now: number): number {
    if (this.limit <= 0) return 0
    const times = this.windows.get(key) ?? []
    while (times.length > 0 && times[0] <= now - this.windowMs) times.shift()
    this.windows.set(key, times)
    if (times.length < this.limit) {
      times.push(now)
      return 0
    }
    return Math.max(1, times[0] + this.windowMs - now)
  }

  reset(): void {
    this.windows.clear()
  }
}
