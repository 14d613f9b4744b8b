import type { Command as Program } from 'commander'
import type { ParsedArgs } from './args'
import type { FaultOptions, SimulatorOptions } from '../simulator'
import { UsageError } from './args'
import { ROUTE_NAMES } from '../simulator/routes'
import type { RouteName } from '../simulator/routes'
import { numberFlag, rangeFlag, statusRatesFlag } from './number-flags'

function routesFlag(flag: string, value: string): RouteName[] {
  const routes = value.split(',').map((route) => route.trim())
  const unknown = routes.find((route) => !(ROUTE_NAMES as string[]).includes(route))
  if (unknown) throw new UsageError(`--${flag}: "${unknown}" is not a route; use ${ROUTE_NAMES.join(', ')}.`)
  return routes as RouteName[]
}

interface SimulatorFlag {
  name: string
  /** The value's placeholder in help; a flag without one is a switch. */
  value?: string
  description: string
}

/** The simulator's behaviour flags, without prefix (`send` accepts them as --sim-NAME). */
export const SIMULATOR_BEHAVIOUR_FLAGS: SimulatorFlag[] = [
  {
    name: 'rate-limit',
    value: 'N',
    description: 'requests per second per account before 429 (default 60; 0 = no limit)'
  },
  {
    name: 'error-rate',
    value: 'S=P,...',
    description: 'answer status S with probability P instead of processing, e.g. 503=0.1,500=0.05'
  },
  { name: 'latency', value: 'MS|MIN-MAX', description: 'added latency per request' },
  { name: 'drop-rate', value: 'P', description: 'probability of closing the connection without an answer' },
  { name: 'slow-rate', value: 'P', description: 'probability of sending the answer slowly (over slow-ms)' },
  { name: 'slow-ms', value: 'MS', description: 'how long a slow answer takes (default 1000)' },
  { name: 'seed', value: 'N', description: 'seed of the fault dice (same seed, same faults)' },
  {
    name: 'fault-routes',
    value: 'R,...',
    description: `inject faults only into these routes (${ROUTE_NAMES.join(', ')})`
  },
  {
    name: 'reject-dropped',
    description: 'answer 400 for values Appcues would silently drop, instead of only recording them'
  }
]

/** Declares the behaviour flags on a command, named --PREFIXNAME. */
export function addSimulatorFlags(program: Program, prefix = ''): Program {
  for (const flag of SIMULATOR_BEHAVIOUR_FLAGS) {
    program.option(`--${prefix}${flag.name}${flag.value ? ` <${flag.value}>` : ''}`, flag.description)
  }
  return program
}

/** Reads the simulator's limit and fault flags (optionally prefixed, as `send` takes them). */
export function simulatorBehaviourFrom(
  args: Pick<ParsedArgs, 'switches' | 'options'>,
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
