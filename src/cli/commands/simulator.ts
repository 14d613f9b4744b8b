import type { Command as Program } from 'commander'
import type { Command, CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine, UsageError } from '../args'
import type { ParsedArgs } from '../args'
import type { Simulator, SimulatorOptions } from '../../simulator'
import { numberFlag } from '../number-flags'
import { addSimulatorFlags, simulatorBehaviourFrom } from '../simulator-flags'
import { SUMMARIES } from '../summaries'

const DEFAULT_PORT = 4567

function simulatorProgram(io: CommandIO): Program {
  const program = subcommandProgram(SUMMARIES.simulator, io)
    .addHelpText(
      'before',
      'Runs a local Appcues simulator: every call the destination makes, with Appcues auth checks, contract checks,\n' +
        'the account rate limit and optional faults. Inspect it at GET /_simulator/state; clear it with\n' +
        'POST /_simulator/reset.\n'
    )
    .option('--port <N>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--host <HOST>', 'interface to listen on (default 127.0.0.1)')
    .option('--max-records <N>', 'records kept per collection (default 100000; counts stay exact)')
    .optionsGroup('Credentials it accepts (made-up defaults are printed at start):')
    .option('--account-id <N>', 'the account ID')
    .option('--api-key <KEY>', 'the API key')
    .option('--api-secret <SECRET>', 'the API secret')
    .option('--legacy-api-key <KEY>', 'the Legacy API key (deletions)')
    .optionsGroup('Behaviour:')
  return addSimulatorFlags(program)
}

function optionsFrom(parsed: ParsedArgs): SimulatorOptions {
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
    `Try a mapping with \`appcues-actions serve --simulator ${simulator.url}\`, or send events with:`,
    `  appcues-actions send FILE --endpoint ${simulator.url} --account-id ${accountId} --api-key ${
      given.has('api-key') ? 'KEY' : apiKey
    } --api-secret ${given.has('api-secret') ? 'SECRET' : apiSecret}`,
    `State: GET ${simulator.url}/_simulator/state   Reset: POST ${simulator.url}/_simulator/reset   Stop: Ctrl-C`
  ]
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine(simulatorProgram(io), args)
  if (parsed === 'help') return 0
  const options = optionsFrom(parsed)
  const { describeHoldings, startSimulator } = await import('../../simulator')
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
  const given = new Set(parsed.options.keys())
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

export const simulatorCommand: Command = { run }
