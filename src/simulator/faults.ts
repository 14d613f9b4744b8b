import type { FaultOptions } from './options'
import { seededRandom } from './random'
import type { RouteName } from './routes'

export interface FaultDecision {
  latencyMs: number
  drop: boolean
  /** An error status to answer instead of processing the request. */
  status?: number
  /** When above 0, the answer is sent in pieces over this many milliseconds. */
  slowBodyMs: number
}

/** Rolls the fault dice once per request. Every request draws the same number of values, so a seed replays exactly. */
export class FaultInjector {
  private random: () => number

  constructor(private faults: FaultOptions) {
    this.random = seededRandom(faults.seed ?? 1)
  }

  set(faults: FaultOptions): void {
    this.faults = faults
    this.random = seededRandom(faults.seed ?? 1)
  }

  /** Rolls for a request to `route`; routes outside `faults.routes` get no fault (and roll no dice). */
  decide(route: RouteName): FaultDecision {
    if (this.faults.routes && !this.faults.routes.includes(route)) return { latencyMs: 0, drop: false, slowBodyMs: 0 }
    const [latencyRoll, dropRoll, statusRoll, slowRoll] = [this.random(), this.random(), this.random(), this.random()]
    const { latencyMs = 0, dropRate = 0, errorRates = {}, slowBodyRate = 0, slowBodyMs = 1000 } = this.faults
    const latency = Array.isArray(latencyMs)
      ? Math.round(latencyMs[0] + latencyRoll * (latencyMs[1] - latencyMs[0]))
      : latencyMs
    return {
      latencyMs: latency,
      drop: dropRoll < dropRate,
      status: pickStatus(errorRates, statusRoll),
      slowBodyMs: slowRoll < slowBodyRate ? slowBodyMs : 0
    }
  }
}

function pickStatus(errorRates: Record<number, number>, roll: number): number | undefined {
  let threshold = 0
  for (const [status, rate] of Object.entries(errorRates).sort(([a], [b]) => Number(a) - Number(b))) {
    threshold += rate
    if (roll < threshold) return Number(status)
  }
  return undefined
}
