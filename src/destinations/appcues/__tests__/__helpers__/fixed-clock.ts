const RealDate = Date

/**
 * Freezes only `Date` (not timers), so that "now" in request bodies is the same on every run. Jest 27 cannot fake
 * `Date` alone, so the global is swapped for a subclass whose "now" is fixed.
 */
export function freezeDate(iso = '2024-01-01T00:00:00.000Z'): void {
  const frozen = new RealDate(iso).getTime()
  class FrozenDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(frozen)
      else super(...(args as [string]))
    }
    static now(): number {
      return frozen
    }
  }
  global.Date = FrozenDate as DateConstructor
}

/** Puts the real `Date` back. */
export function restoreDate(): void {
  global.Date = RealDate
}
