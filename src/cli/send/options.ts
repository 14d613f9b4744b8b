import path from 'path'
import type { Command as Program } from 'commander'
import { helpReference, parseCommandLine, UsageError } from '../args'
import type { CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { SUMMARIES } from '../summaries'
import { MAX_BATCH_SIZE } from '../../destinations/appcues/fields'
import type { SimulatorOptions } from '../../simulator'
import { numberFlag } from '../number-flags'
import type { RetryPolicy } from './deliver/retry'
import { addSimulatorFlags, simulatorBehaviourFrom } from '../simulator-flags'
import type { TargetChoice } from './target'

export interface SendOptions {
  /** A file path, or `-` for standard input. */
  input: string
  mapping?: string
  target: TargetChoice
  /** Events in flight at once with batchSize 1; requests in flight at once with batching. */
  concurrency: number
  /** Events per batch of one subscription; 1 sends one event at a time. */
  batchSize: number
  /** Requests per second; 0 for no cap. */
  rate: number
  retry: RetryPolicy
  deadLetter: string
  checkpoint?: string
  json: boolean
  /** Events that may be refused (rejected, or lines malformed) with exit status 0. */
  maxRefused: number
  quiet: boolean
}

/**
 * Batches merge repeated profile updates (per user and per group within a batch), and larger batches merge more. But
 * the batches in flight are what a stopped run finishes first, and an event waits while its batch fills. At 100, a
 * batch takes about two seconds at the default rate, and the benchmark stream already needs 18% fewer requests.
 */
export const DEFAULT_SEND_BATCH_SIZE = 100

const SEND_HELP_REFERENCE = helpReference('appcues-actions send')

/** The flags of `send`, grouped as its help shows them. */
export function sendProgram(io: CommandIO): Program {
  const program = subcommandProgram(SUMMARIES.send, io)
    .argument(
      '[FILE|-]',
      'the events, one JSON object a line or one JSON array of them: a file, or - for standard input'
    )
    .allowExcessArguments()
    .optionsGroup('Target (without credentials, send simulates):')
    .option('--account-id <N>', 'Appcues account ID (or APPCUES_ACCOUNT_ID)')
    .option('--api-key <KEY>', 'Appcues API key (or APPCUES_API_KEY; prefer the environment for secrets)')
    .option('--api-secret <SECRET>', 'Appcues API secret (or APPCUES_API_SECRET; prefer the environment for secrets)')
    .option('--region <US|EU>', 'the Appcues region (or APPCUES_REGION; default US)')
    .option('--legacy-api-key <KEY>', 'for deletions (or APPCUES_LEGACY_API_KEY)')
    .option(
      '--endpoint <URL>',
      'send to a simulator on this machine started with `appcues-actions simulator`, with the credentials it prints (or APPCUES_ENDPOINT)'
    )
    .option('--simulate', 'always use the in-process simulator, even when credentials are set')
    .optionsGroup('Delivery:')
    .option('--mapping <FILE>', 'JSON list of {subscribe, partnerAction, mapping, name?} instead of the presets')
    .option(
      '--batch-size <N>',
      "events per batch of one subscription, sent through the actions' batch path, which merges profile updates " +
        `per user and group (default ${DEFAULT_SEND_BATCH_SIZE}; 1 = one event at a time; at most ${MAX_BATCH_SIZE})`
    )
    .option('--concurrency <N>', 'events in flight at once; with batching, requests in flight at once (default 10)')
    .option('--rate <N>', 'requests per second at most (default 50, below the Appcues limit of 60; 0 = no cap)')
    .option('--max-retries <N>', 'retries of a retryable failure (default 5), with exponential backoff and Retry-After')
    .option('--retry-delay <MS>', 'first backoff delay in milliseconds (default 500)')
    .option('--dead-letter <FILE>', 'where undeliverable events go (default: next to FILE, NAME.dead-letter.jsonl)')
    .option('--checkpoint <FILE>', 'record progress; run again with the same file to resume without re-sending')
    .optionsGroup('Output:')
    .option('--json', 'print the summary as one JSON object')
    .option(
      '--max-refused <N>',
      'exit 0 although up to N events were rejected or lines malformed (default 0); they are still counted, and rejected events dead-lettered'
    )
    .option('--quiet', 'no progress and no per-line messages')
    .optionsGroup('Simulator behaviour (only when simulating; see `appcues-actions simulator --help`):')
  return addSimulatorFlags(program, 'sim-').addHelpText(
    'after',
    '\nExit status: 0 when every event was delivered or skipped (no subscription matched, a repeated messageId, a\n' +
      'superseded dead letter); 1 when one was not delivered: a delivery failed, an event was rejected or a line\n' +
      'malformed (more than --max-refused), an event was left unfinished, the input was incomplete or the run\n' +
      'stopped early; 2 for a usage error.'
  )
}

/** The help of `send`, as lines. */
export function sendHelp(): string[] {
  return sendProgram({ stdout: () => undefined, stderr: () => undefined })
    .helpInformation()
    .trimEnd()
    .split('\n')
}

function targetFrom(
  options: Map<string, string>,
  switches: Set<string>,
  env: NodeJS.ProcessEnv,
  simulator: SimulatorOptions
): TargetChoice {
  const value = (flag: string, variable: string) => options.get(flag) ?? (env[variable]?.trim() || undefined)
  const accountId = value('account-id', 'APPCUES_ACCOUNT_ID')
  const apiKey = value('api-key', 'APPCUES_API_KEY')
  const apiSecret = value('api-secret', 'APPCUES_API_SECRET')
  const simFlags = [...options.keys(), ...switches].filter((name) => name.startsWith('sim-'))
  const given = [accountId, apiKey, apiSecret].filter((item) => item !== undefined).length
  const endpoint = value('endpoint', 'APPCUES_ENDPOINT')
  if (endpoint && switches.has('simulate')) {
    throw new UsageError('--endpoint and --simulate both choose a simulator: give one of them.')
  }
  if (endpoint && given === 0) {
    throw new UsageError(
      '--endpoint sends to a simulator you started, with its credentials: also give --account-id, --api-key and --api-secret (the simulator prints them), or leave out --endpoint to simulate in this process.'
    )
  }
  if (switches.has('simulate') || given === 0)
    return { kind: 'simulator', options: simulator, forced: switches.has('simulate') }
  if (given < 3) {
    const missing = [
      accountId === undefined && '--account-id (APPCUES_ACCOUNT_ID)',
      apiKey === undefined && '--api-key (APPCUES_API_KEY)',
      apiSecret === undefined && '--api-secret (APPCUES_API_SECRET)'
    ].filter(Boolean)
    throw new UsageError(`To send to Appcues, also give ${missing.join(' and ')}; or give none of them to simulate.`)
  }
  if (simFlags.length > 0) {
    throw new UsageError(`--${simFlags[0]} applies only to the simulator; add --simulate or leave out the credentials.`)
  }
  const region = (value('region', 'APPCUES_REGION') ?? 'US').toUpperCase()
  if (region !== 'US' && region !== 'EU') throw new UsageError(`--region must be US or EU, got "${region}".`)
  const legacyApiKey = value('legacy-api-key', 'APPCUES_LEGACY_API_KEY')
  return {
    kind: 'appcues',
    accountId: numberFlag('account-id', accountId ?? '', { min: 1, integer: true }),
    apiKey: apiKey ?? '',
    apiSecret: apiSecret ?? '',
    region,
    ...(legacyApiKey ? { legacyApiKey } : {}),
    ...(endpoint ? { endpoint } : {})
  }
}

function batchSizeFrom(text: string | undefined): number {
  return text === undefined
    ? DEFAULT_SEND_BATCH_SIZE
    : numberFlag('batch-size', text, { min: 1, max: MAX_BATCH_SIZE, integer: true })
}

function defaultDeadLetter(input: string): string {
  if (input === '-') return 'stdin.dead-letter.jsonl'
  const { dir, name } = path.parse(input)
  return path.join(dir, `${name}.dead-letter.jsonl`)
}

/** Reads send's command line; 'help' when --help was asked for (the help is printed through `io`). */
export function readSendArgs(args: string[], env: NodeJS.ProcessEnv, io: CommandIO): SendOptions | 'help' {
  const parsed = parseCommandLine(sendProgram(io), args)
  if (parsed === 'help') return 'help'
  const { switches, options, positionals } = parsed
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `send needs the events to send: a JSON-lines or JSON-array FILE, or - to read standard input. ${SEND_HELP_REFERENCE}`
        : `send takes one input, got ${positionals.join(' ')}. ${SEND_HELP_REFERENCE}`
    )
  }
  const input = positionals[0]
  const simulator = simulatorBehaviourFrom({ switches, options }, 'sim-')
  const integer = (flag: string, fallback: number, min: number) => {
    const text = options.get(flag)
    return text === undefined ? fallback : numberFlag(flag, text, { min, integer: true })
  }
  const deadLetter = options.get('dead-letter') ?? defaultDeadLetter(input)
  const checkpoint = options.get('checkpoint')
  const mapping = options.get('mapping')
  return {
    input,
    ...(mapping ? { mapping } : {}),
    target: targetFrom(options, switches, env, simulator),
    concurrency: integer('concurrency', 10, 1),
    batchSize: batchSizeFrom(options.get('batch-size')),
    rate: integer('rate', 50, 0),
    retry: {
      maxRetries: integer('max-retries', 5, 0),
      baseDelayMs: integer('retry-delay', 500, 0),
      maxDelayMs: 30_000
    },
    deadLetter,
    ...(checkpoint ? { checkpoint } : {}),
    json: switches.has('json'),
    maxRefused: integer('max-refused', 0, 0),
    quiet: switches.has('quiet')
  }
}

/** Reads send's command line, for callers that never ask for help. */
export function parseSendArgs(args: string[], env: NodeJS.ProcessEnv = process.env): SendOptions {
  const options = readSendArgs(args, env, { stdout: () => undefined, stderr: () => undefined })
  if (options === 'help') throw new UsageError('--help prints the help; it does not make a send run.')
  return options
}
