import { isLoopbackHost } from '../../local-server/origins'
import { DEFAULT_CREDENTIALS, DEFAULT_RATE_LIMIT } from '../../simulator/options'
import type { SimulatorCredentials, SimulatorOptions } from '../../simulator/options'

function faultsInWords(options: SimulatorOptions): string {
  const faults = options.faults ?? {}
  const parts = [
    faults.errorRates &&
      Object.entries(faults.errorRates)
        .map(([status, rate]) => `${status} at ${rate}`)
        .join(', '),
    faults.latencyMs !== undefined &&
      `latency ${Array.isArray(faults.latencyMs) ? faults.latencyMs.join('-') : faults.latencyMs} ms`,
    faults.dropRate && `drops at ${faults.dropRate}`,
    faults.slowBodyRate && `slow answers at ${faults.slowBodyRate}`,
    faults.seed !== undefined && `seed ${faults.seed}`,
    faults.routes && `only on ${faults.routes.join(', ')}`
  ].filter(Boolean)
  return parts.length > 0 ? parts.join('; ') : 'none'
}

const usesDefaultCredentials = (credentials: SimulatorCredentials) =>
  (Object.keys(DEFAULT_CREDENTIALS) as Array<keyof SimulatorCredentials>).every(
    (key) => credentials[key] === DEFAULT_CREDENTIALS[key]
  )

/**
 * How to point serve and send at the simulator. Both route Appcues' hosts only to a loopback address, so there are
 * none for a simulator that listens elsewhere.
 */
function commandHints(url: string, credentials: SimulatorCredentials, given: Set<string>): string[] {
  if (!isLoopbackHost(new URL(url).hostname)) {
    return [
      'serve --simulator and send --endpoint take only a simulator on a loopback address: start one with --host 127.0.0.1 to use them.'
    ]
  }
  const { accountId, apiKey, apiSecret } = credentials
  const playground = usesDefaultCredentials(credentials)
    ? 'its playground fills empty credentials with these'
    : 'enter the credentials above in its playground: it fills empty ones with the made-up defaults, not these'
  return [
    `Try a mapping with \`appcues-actions serve --simulator ${url}\` (${playground}), or send events with:`,
    `  appcues-actions send FILE --endpoint ${url} --account-id ${accountId} --api-key ${
      given.has('api-key') ? 'KEY' : apiKey
    } --api-secret ${given.has('api-secret') ? 'SECRET' : apiSecret}`
  ]
}

/** What `appcues-actions simulator` prints once it listens; `given` holds the flags given on the command line. */
export function describeStart(
  simulator: { url: string; credentials: SimulatorCredentials },
  options: SimulatorOptions,
  given: Set<string>
): string[] {
  const { url, credentials } = simulator
  // Credentials given on the command line are not echoed; the made-up defaults are, since they are needed.
  const show = (flag: string, value: string) => (given.has(flag) ? '(as given)' : value)
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT
  return [
    `Appcues simulator listening on ${url}`,
    `  account ID      ${credentials.accountId}`,
    `  API key         ${show('api-key', credentials.apiKey)}`,
    `  API secret      ${show('api-secret', credentials.apiSecret)}`,
    `  Legacy API key  ${show('legacy-api-key', credentials.legacyApiKey)}`,
    `  rate limit      ${rateLimit} requests per second${rateLimit === 0 ? ' (off)' : ''}`,
    `  faults          ${faultsInWords(options)}`,
    ...commandHints(url, credentials, given),
    `State: GET ${url}/_simulator/state   Reset: POST ${url}/_simulator/reset   Stop: Ctrl-C`
  ]
}

/** The warning for a simulator that other machines can reach, or undefined when it listens on loopback only. */
export function exposureWarning(host: string): string | undefined {
  return isLoopbackHost(host)
    ? undefined
    : `Warning: listening on ${host} makes the simulator and its state reachable from other machines.`
}
