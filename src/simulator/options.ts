import { DEFAULT_BODY_LIMIT } from '../local-server/body-limit'
import type { ServerTimeouts } from '../local-server/timeouts'
import { ROUTE_NAMES } from './routes'
import type { RouteName } from './routes'

/** The credentials the simulator accepts. They are made up; nothing here is an Appcues secret. */
export interface SimulatorCredentials {
  accountId: number
  apiKey: string
  apiSecret: string
  /** The Legacy API key, the user name (with an empty password) of the GDPR deletion endpoint. */
  legacyApiKey: string
}

export interface FaultOptions {
  /** Probability (0 to 1) of answering each status instead of processing the request, e.g. `{ 503: 0.1 }`. */
  errorRates?: Record<number, number>
  /** Added latency before each answer, in milliseconds: a fixed value or a `[min, max]` range. */
  latencyMs?: number | [number, number]
  /** Probability of closing the connection without answering (the request is not processed). */
  dropRate?: number
  /** Probability of sending the answer slowly, spread over `slowBodyMs` (the request is processed). */
  slowBodyRate?: number
  slowBodyMs?: number
  /** Seed of the fault dice: the same seed and the same order of requests give the same faults. */
  seed?: number
  /** Inject faults only into these routes (e.g. `['userEvents']`); all API routes when absent. */
  routes?: RouteName[]
}

export interface SimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string
  credentials?: Partial<SimulatorCredentials>
  /** Requests per second per account, like Appcues' account-wide limit; 0 turns the limit off. Default 60. */
  rateLimit?: number
  faults?: FaultOptions
  /** Answer 400 instead of recording a finding when a body holds values that Appcues would silently drop. */
  rejectDropped?: boolean
  /** Largest accepted request body in bytes (413 beyond it). Default 1 MiB. */
  maxBodyBytes?: number
  /** Most records kept per collection (older ones are discarded, counts stay exact). Default unlimited. */
  maxRecords?: number
  /** How long slow clients may take to send headers and body; tests make them small. */
  timeouts?: Partial<ServerTimeouts>
}

export const DEFAULT_CREDENTIALS: SimulatorCredentials = {
  accountId: 10001,
  apiKey: 'simulator-api-key',
  apiSecret: 'simulator-api-secret',
  legacyApiKey: 'simulator-legacy-api-key'
}

export const DEFAULT_RATE_LIMIT = 60

export interface ResolvedOptions {
  port: number
  host: string
  credentials: SimulatorCredentials
  rateLimit: number
  faults: FaultOptions
  rejectDropped: boolean
  maxBodyBytes: number
  maxRecords: number
}

export class SimulatorOptionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimulatorOptionError'
  }
}

function checkProbability(name: string, value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new SimulatorOptionError(`${name} must be a probability between 0 and 1, got ${value}.`)
  }
}

function checkNonNegative(name: string, value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isFinite(value) || value < 0) {
    throw new SimulatorOptionError(`${name} must be a number of 0 or more, got ${value}.`)
  }
}

/** Throws a SimulatorOptionError naming the first invalid fault setting. */
export function checkFaults(faults: FaultOptions): void {
  let total = 0
  for (const [status, rate] of Object.entries(faults.errorRates ?? {})) {
    const code = Number(status)
    if (!Number.isInteger(code) || code < 400 || code > 599) {
      throw new SimulatorOptionError(`Error rates need an HTTP error status from 400 to 599, got "${status}".`)
    }
    checkProbability(`The error rate of ${status}`, rate)
    total += rate
  }
  if (total > 1) throw new SimulatorOptionError(`The error rates add up to ${total}; together they must not exceed 1.`)
  checkProbability('The drop rate', faults.dropRate)
  checkProbability('The slow-body rate', faults.slowBodyRate)
  checkNonNegative('The slow-body time', faults.slowBodyMs)
  const latency = faults.latencyMs
  if (Array.isArray(latency)) {
    latency.forEach((value) => checkNonNegative('The latency', value))
    if (latency[0] > latency[1]) throw new SimulatorOptionError('The latency range must be written as MIN-MAX.')
  } else {
    checkNonNegative('The latency', latency)
  }
  const unknownRoute = faults.routes?.find((route) => !ROUTE_NAMES.includes(route))
  if (unknownRoute) {
    throw new SimulatorOptionError(`"${unknownRoute}" is not a route; the routes are ${ROUTE_NAMES.join(', ')}.`)
  }
  if (faults.seed !== undefined && !Number.isInteger(faults.seed)) {
    throw new SimulatorOptionError(`The seed must be a whole number, got ${faults.seed}.`)
  }
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials }
  if (!Number.isSafeInteger(credentials.accountId) || credentials.accountId <= 0) {
    throw new SimulatorOptionError('The simulated account ID must be a positive whole number.')
  }
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT
  if (!Number.isInteger(rateLimit) || rateLimit < 0) {
    throw new SimulatorOptionError(`The rate limit must be a whole number of requests per second (0 for none).`)
  }
  const faults = options.faults ?? {}
  checkFaults(faults)
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    credentials,
    rateLimit,
    faults,
    rejectDropped: options.rejectDropped ?? false,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_BODY_LIMIT,
    maxRecords: options.maxRecords ?? Number.POSITIVE_INFINITY
  }
}
