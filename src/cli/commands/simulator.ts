import type { Command as Program } from 'commander'
import type { Command, CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine, UsageError } from '../args'
import type { ParsedArgs } from '../args'
import type { Simulator, SimulatorOptions } from '../../simulator'
import { numberFlag } from '../number-flags'
import { addSimulatorFlags, simulatorBehaviourFrom } from '../simulator-flags'
import { SUMMARIES } from '../summaries'
import { describeStart, exposureWarning } from './simulator-start'

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
  const warning = exposureWarning(options.host ?? '127.0.0.1')
  if (warning) io.stderr(warning)
  await untilStopped()
  const state = simulator.state()
  await simulator.close()
  io.stdout('Simulator stopped. It held:')
  describeHoldings(state).forEach((line) => io.stdout(line))
  return 0
}

export const simulatorCommand: Command = { run }
