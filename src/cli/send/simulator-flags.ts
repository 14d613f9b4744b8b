import type { ParsedArgs } from '../args'
import type { FaultOptions, SimulatorOptions } from '../../simulator'
import { UsageError } from '../args'
import { ROUTE_NAMES } from '../../simulator'
import type { RouteName } from '../../simulator'
import { numberFlag, rangeFlag, statusRatesFlag } from './numbers'

function routesFlag(flag: string, value: string): RouteName[] {
  const routes = value.split(',').map((route) => route.trim())
  const unknown = routes.find((route) => !(ROUTE_NAMES as string[]).includes(route))
  if (unknown) throw new UsageError(`--${flag}: "${unknown}" is not a route; use ${ROUTE_NAMES.join(', ')}.`)
  return routes as RouteName[]
}

/** Simulator flags that take a value, without prefix (`send` accepts them as --sim-NAME). */
export const SIMULATOR_BEHAVIOUR_OPTIONS = [
  'rate-limit',
  'error-rate',
  'latency',
  'drop-rate',
  'slow-rate',
  'slow-ms',
  'seed',
  'fault-routes'
]
export const SIMULATOR_BEHAVIOUR_SWITCHES = ['reject-dropped']

export const SIMULATOR_FLAGS_HELP = [
  '--rate-limit N        requests per second per account before 429 (default 60; 0 = no limit)',
  '--error-rate S=P,...  answer status S with probability P instead of processing, e.g. 503=0.1,500=0.05',
  '--latency MS|MIN-MAX  added latency per request',
  '--drop-rate P         probability of closing the connection without an answer',
  '--slow-rate P         probability of sending the answer slowly (over --slow-ms, default 1000)',
  '--seed N              seed of the fault dice (same seed, same faults)',
  '--fault-routes R,...  inject faults only into these routes (userProfile, userEvents, groupProfile, groupUsers,',
  '                      gdprDelete, segmentDirect, tags, segments, segmentAddUsers, segmentRemoveUsers)',
  '--reject-dropped      answer 400 for values Appcues would silently drop, instead of only recording them'
]

/** Reads the simulator's limit and fault flags (optionally prefixed, as `send` takes them). */
export function simulatorBehaviourFrom(
  args: ParsedArgs,
  prefix = ''
): Pick<SimulatorOptions, 'rateLimit' | 'faults' | 'rejectDropped'> {
  const get = (name: string) => args.options.get(`${prefix}${name}`)
  const flag = (name: string) => `${prefix}${name}`
  const faults: FaultOptions = {}
  const errorRate = get('error-rate')
  if (errorRate !== undefined) faults.errorRates = statusRatesFlag(flag('error-rate'), errorRate)
  const latency = get('latency')
  if (latency !== undefined) faults.latencyMs = rangeFlag(flag('latency'), latency)
  const dropRate = get('drop-rate')
  if (dropRate !== undefined) faults.dropRate = numberFlag(flag('drop-rate'), dropRate, { max: 1 })
  const slowRate = get('slow-rate')
  if (slowRate !== undefined) faults.slowBodyRate = numberFlag(flag('slow-rate'), slowRate, { max: 1 })
  const slowMs = get('slow-ms')
  if (slowMs !== undefined) faults.slowBodyMs = numberFlag(flag('slow-ms'), slowMs, { integer: true })
  const seed = get('seed')
  if (seed !== undefined) faults.seed = numberFlag(flag('seed'), seed, { integer: true })
  const routes = get('fault-routes')
  if (routes !== undefined) faults.routes = routesFlag(flag('fault-routes'), routes)
  const rateLimit = get('rate-limit')
  return {
    faults,
    ...(rateLimit !== undefined ? { rateLimit: numberFlag(flag('rate-limit'), rateLimit, { integer: true }) } : {}),
    rejectDropped: args.switches.has(`${prefix}reject-dropped`)
  }
}
