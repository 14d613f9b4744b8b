import { UsageError } from './args'

/** Parses a flag value as a number within bounds, or throws a UsageError that names the flag and the fix. */
export function numberFlag(
  flag: string,
  value: string,
  { min = 0, max = Number.POSITIVE_INFINITY, integer = false }: { min?: number; max?: number; integer?: boolean } = {}
): number {
  const number = Number(value)
  const kind = integer ? 'a whole number' : 'a number'
  if (value.trim() === '' || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${flag} must be ${kind}, got "${value}".`)
  }
  if (number < min || number > max) {
    const range = max === Number.POSITIVE_INFINITY ? `${min} or more` : `from ${min} to ${max}`
    throw new UsageError(`--${flag} must be ${kind} ${range}, got ${value}.`)
  }
  return number
}

/** Parses `503=0.1,500=0.05` into `{503: 0.1, 500: 0.05}`. */
export function statusRatesFlag(flag: string, value: string): Record<number, number> {
  const rates: Record<number, number> = {}
  for (const part of value.split(',')) {
    const match = /^\s*(\d{3})\s*=\s*([\d.]+)\s*$/.exec(part)
    if (!match) throw new UsageError(`--${flag} takes STATUS=RATE pairs such as 503=0.1,500=0.05; got "${part}".`)
    rates[Number(match[1])] = numberFlag(flag, match[2], { max: 1 })
  }
  return rates
}

/** Parses `50` or `20-80` (milliseconds). */
export function rangeFlag(flag: string, value: string): number | [number, number] {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(value)
  if (!match) throw new UsageError(`--${flag} takes milliseconds, as 50 or as a range 20-80; got "${value}".`)
  if (match[2] === undefined) return Number(match[1])
  const range: [number, number] = [Number(match[1]), Number(match[2])]
  if (range[0] > range[1]) throw new UsageError(`--${flag} range must be written as MIN-MAX; got "${value}".`)
  return range
}
