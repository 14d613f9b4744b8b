import type { Command, CommandIO } from '../command'
import { parseArgs, UsageError } from '../args'
import { describeHoldings, startSimulator } from '../../simulator'
import type { Simulator, SimulatorOptions } from '../../simulator'
import { numberFlag } from '../send/numbers'
import {
  SIMULATOR_BEHAVIOUR_OPTIONS,
  SIMULATOR_BEHAVIOUR_SWITCHES,
  SIMULATOR_FLAGS_HELP,
  simulatorBehaviourFrom
} from '../send/simulator-flags'

const USAGE = 'simulator [--port N] [--rate-limit N] [...]'
const DEFAULT_PORT = 4567

const HELP = [
  `Usage: appcues-actions ${USAGE}`,
  '',
  'Runs a local Appcues simulator: every call the destination makes, with Appcues auth checks, contract checks,',
  'the account rate limit and optional faults. Inspect it at GET /_simulator/state; clear it with POST /_simulator/reset.',
  '',
  `  --port N             port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`,
  '  --host H             interface to listen on (default 127.0.0.1)',
  ...SIMULATOR_FLAGS_HELP.map((line) => `  ${line}`),
  '  --account-id N --api-key K --api-secret S --legacy-api-key L   the credentials it accepts (defaults are printed)',
  '  --max-records N      records kept per collection (default 100000; counts stay exact)'
]

const CREDENTIAL_FLAGS = ['account-id', 'api-key', 'api-secret', 'legacy-api-key']

function optionsFrom(args: string[]): SimulatorOptions {
  const spec = {
    switches: SIMULATOR_BEHAVIOUR_SWITCHES,
    options: ['port', 'host', 'max-records', ...CREDENTIAL_FLAGS, ...SIMULATOR_BEHAVIOUR_OPTIONS]
  }
  const parsed = parseArgs(args, spec, USAGE)
  const { options } = parsed
  const port = options.get('port')
  const maxRecords = options.get('max-records')
  const accountId = options.get('account-id')
  const credentials = {
    ...(accountId ? { accountId: numberFlag('account-id', accountId, { min: 1, integer: true }) } : {}),
    ...(options.has('api-key') ? { apiKey: options.get('api-key') } : {}),
    ...(options.has('api-secret') ? { apiSecret: options.get('api-secret') } : {}),
    ...(options.has('legacy-api-key') ? { legacyApiKey: options.get('legacy-api-key') } : {})
  }
  return {
    port: port === undefined ? DEFAULT_PORT : numberFlag('port', port, { max: 65535, integer: true }),
    host: options.get('host') ?? '127.0.0.1',
    credentials,
    maxRecords: maxRecords === undefined ? 100_000 : numberFlag('max-records', maxRecords, { min: 1, integer: true }),
    ...simulatorBehaviourFrom(parsed)
  }
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

function describeStart(simulator: Simulator, options: SimulatorOptions, given: Set<string>): string[] {
  const { accountId, apiKey, apiSecret, legacyApiKey } = simulator.credentials
  // Credentials given on the command line are not echoed; the made-up defaults are, since they are needed.
  const show = (flag: string, value: string) => (given.has(flag) ? '(as given)' : value)
  const faults = options.faults ?? {}
  const faultText = [
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
  return [
    `Appcues simulator listening on ${simulator.url}`,
    `  account ID      ${accountId}`,
    `  API key         ${show('api-key', apiKey)}`,
    `  API secret      ${show('api-secret', apiSecret)}`,
    `  Legacy API key  ${show('legacy-api-key', legacyApiKey)}`,
    `  rate limit      ${options.rateLimit ?? 60} requests per second${options.rateLimit === 0 ? ' (off)' : ''}`,
    `  faults          ${faultText.length > 0 ? faultText.join('; ') : 'none'}`,
    `Set the destination's Endpoint Override to ${simulator.url}, or run:`,
    `  appcues-actions send FILE --endpoint ${simulator.url} --account-id ${accountId} --api-key ${
      given.has('api-key') ? 'KEY' : apiKey
    } --api-secret ${given.has('api-secret') ? 'SECRET' : apiSecret}`,
    `State: GET ${simulator.url}/_simulator/state   Reset: POST ${simulator.url}/_simulator/reset   Stop: Ctrl-C`
  ]
}

async function run(args: string[], io: CommandIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    HELP.forEach((line) => io.stdout(line))
    return 0
  }
  const options = optionsFrom(args)
  let simulator: Simulator
  try {
    simulator = await startSimulator(options)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `Port ${options.port ?? DEFAULT_PORT} is in use; choose another with --port (0 picks a free one).`
      )
    throw new UsageError(`The simulator could not start: ${(error as Error).message}`)
  }
  const given = new Set(args.map((arg) => arg.replace(/^--/, '').split('=')[0]))
  describeStart(simulator, options, given).forEach((line) => io.stdout(line))
  if (options.host !== '127.0.0.1' && options.host !== 'localhost') {
    io.stderr(`Warning: listening on ${options.host} makes the simulator and its state reachable from other machines.`)
  }
  await untilStopped()
  const state = simulator.state()
  await simulator.close()
  io.stdout('Simulator stopped. It held:')
  describeHoldings(state).forEach((line) => io.stdout(line))
  return 0
}

export const simulatorCommand: Command = {
  summary: 'run a local Appcues simulator (auth, contract checks, rate limit, faults, inspectable state)',
  usage: USAGE,
  run
}
