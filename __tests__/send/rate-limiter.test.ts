import { RequestRateLimiter } from '../../src/cli/send/deliver/rate-limiter'
import type { LimiterClock } from '../../src/cli/send/deliver/rate-limiter'

const settle = () => new Promise((resolve) => setImmediate(resolve))

/**
 * A clock that moves only when told, whose timers fire `lateMs` after they are due: on a busy machine, Node's
 * timers always fire a little late, which is what made the limiter run under its cap.
 */
class LateClock implements LimiterClock {
  private time = 0
  private timers: Array<{ at: number; callback: () => void }> = []
  private set = 0

  /** `lateMs` is how late each timer fires: a number, or one that changes from timer to timer. */
  constructor(private readonly lateMs: number | ((timer: number) => number)) {}

  now = () => this.time

  setTimer = (callback: () => void, ms: number) => {
    const late = typeof this.lateMs === 'number' ? this.lateMs : this.lateMs(this.set++)
    const timer = { at: this.time + ms + late, callback }
    this.timers.push(timer)
    return timer
  }

  clearTimer = (timer: unknown) => {
    this.timers = this.timers.filter((item) => item !== timer)
  }

  /**
   * Fires every timer due until `until`, in time order; a timer's callback may set new ones. Before the clock moves,
   * the promise callbacks of what was released run, so that they see the time of their release.
   */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await settle()
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0]
      if (next === undefined || next.at > until) break
      this.timers = this.timers.filter((item) => item !== next)
      this.time = next.at
      next.callback()
    }
    this.time = until
  }
}

/** Requests `count` slots at once and records when each one was released. */
function takeMany(limiter: RequestRateLimiter, clock: LateClock, count: number): number[] {
  const released: number[] = []
  for (let i = 0; i < count; i++) void limiter.take().then(() => released.push(clock.now()))
  return released
}

function maxInAnySecond(times: number[]): number {
  let best = 0
  let start = 0
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

describe('the request-rate limiter on a clock whose timers fire late', () => {
  it('uses its whole cap: timers 3 ms late cost under 1%, and no second holds more than the cap', async () => {
    const clock = new LateClock(3)
    const limiter = new RequestRateLimiter(50, clock)
    const released = takeMany(limiter, clock, 2000)
    await clock.runUntil(30_000)
    const inWindow = released.filter((at) => at < 30_000).length
    // 30 s at 50 per second is 1,500 releases; scheduling each from the moment its timer fired gave about 1,300.
    expect(inWindow).toBeGreaterThanOrEqual(0.99 * 1500)
    expect(inWindow).toBeLessThanOrEqual(1500)
    expect(maxInAnySecond(released)).toBeLessThanOrEqual(50)
  })

  it('uses its whole cap when timers are late by changing amounts, and no second holds more than the cap', async () => {
    // Late by 0 to 15 ms, in a fixed irregular pattern.
    const clock = new LateClock((timer) => (timer * 7) % 16)
    const limiter = new RequestRateLimiter(50, clock)
    const released = takeMany(limiter, clock, 2000)
    await clock.runUntil(30_000)
    const inWindow = released.filter((at) => at < 30_000).length
    expect(inWindow).toBeGreaterThanOrEqual(0.99 * 1500)
    expect(maxInAnySecond(released)).toBeLessThanOrEqual(50)
  })

  it('makes up the slots of a stalled event loop, at most a tenth of the cap at once, within the cap', async () => {
    // Every 50th timer fires 100 ms late, as when the event loop is busy mapping a batch on a loaded machine.
    const clock = new LateClock((timer) => (timer % 50 === 49 ? 100 : 0))
    const limiter = new RequestRateLimiter(50, clock)
    const released = takeMany(limiter, clock, 2000)
    await clock.runUntil(30_000)
    const inWindow = released.filter((at) => at < 30_000).length
    // Scheduling each release from the present lost every stall whole: about 1,360 releases.
    expect(inWindow).toBeGreaterThanOrEqual(0.98 * 1500)
    expect(maxInAnySecond(released)).toBeLessThanOrEqual(50)
    const runs = released.map((at) => released.filter((other) => other === at).length)
    expect(Math.max(...runs)).toBeLessThanOrEqual(5)
  })

  it('spaces releases by the interval and starts its cadence again after being idle, without a burst', async () => {
    const clock = new LateClock(0)
    const limiter = new RequestRateLimiter(10, clock)
    const first = takeMany(limiter, clock, 3)
    await clock.runUntil(5_000)
    expect(first).toEqual([0, 100, 200])
    const second = takeMany(limiter, clock, 3)
    await clock.runUntil(10_000)
    expect(second).toEqual([5_000, 5_100, 5_200])
  })

  it('holds every waiting request until a pause is over', async () => {
    const clock = new LateClock(0)
    const limiter = new RequestRateLimiter(10, clock)
    const released = takeMany(limiter, clock, 3)
    await clock.runUntil(50)
    limiter.pauseFor(1_000)
    await clock.runUntil(5_000)
    expect(released).toEqual([0, 1_050, 1_150])
  })

  it('releases everything at once without a cap', async () => {
    const clock = new LateClock(0)
    const released = takeMany(new RequestRateLimiter(0, clock), clock, 100)
    await clock.runUntil(0)
    expect(released).toHaveLength(100)
    expect(new Set(released)).toEqual(new Set([0]))
  })
})
