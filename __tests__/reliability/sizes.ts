/** Sizes and seed of the reliability suite; every one can be raised from the environment for a longer run. */
function positive(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text.trim() === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${text}"`)
  return value
}

/** Cases per property (hostile events per action, ids, URLs, origins, bodies). */
export const RUNS = positive('RELIABILITY_RUNS', 100)
/** Lines of the generated event stream that each fault scenario sends. */
export const EVENTS = positive('RELIABILITY_EVENTS', 150)
/** SIGKILLs per kill-and-resume scenario. */
export const KILLS = positive('RELIABILITY_KILLS', 3)
export const SEED = positive('RELIABILITY_SEED', 20261128)

/** A timeout that grows with the stream, for the tests that send it (generous: a loaded machine is slow, not wrong). */
export const streamTimeout = (baseMs: number) => baseMs + EVENTS * 600 * Math.max(1, KILLS)

/** Prints what a part ran, in one line that docs/RELIABILITY.md quotes. */
export function printCounts(part: string, counts: unknown): void {
  process.stdout.write(`reliability ${part}: ${JSON.stringify(counts)}\n`)
}
