import path from 'path'
import { parseArgs, UsageError } from '../args'
import { MAX_BATCH_SIZE } from '../../destinations/appcues/fields'
import type { SimulatorOptions } from '../../simulator'
import { numberFlag } from './numbers'
import type { RetryPolicy } from './retry'
import { SIMULATOR_BEHAVIOUR_OPTIONS, SIMULATOR_BEHAVIOUR_SWITCHES, simulatorBehaviourFrom } from './simulator-flags'
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
  strict: boolean
  quiet: boolean
}

/**
 * Batches merge repeated profile updates (per user and per group within a batch), and larger batches merge more. But
 * the batches in flight are what a stopped run finishes first, and an event waits while its batch fills. At 100, a
 * batch takes about two seconds at the default rate, and the benchmark stream already needs 18% fewer requests.
 */
export const DEFAULT_SEND_BATCH_SIZE = 100

export const SEND_USAGE =
  'send [FILE|-] [--mapping FILE] [--checkpoint FILE] [--dead-letter FILE] [--json] [--strict] [...]'

const SIM_OPTIONS = SIMULATOR_BEHAVIOUR_OPTIONS.map((name) => `sim-${name}`)
const SIM_SWITCHES = SIMULATOR_BEHAVIOUR_SWITCHES.map((name) => `sim-${name}`)

const SPEC = {
  switches: ['simulate', 'json', 'strict', 'quiet', ...SIM_SWITCHES],
  options: [
    'mapping',
    'account-id',
    'api-key',
    'api-secret',
    'region',
    'legacy-api-key',
    'endpoint',
    'concurrency',
    'batch-size',
    'rate',
    'max-retries',
    'retry-delay',
    'dead-letter',
    'checkpoint',
    ...SIM_OPTIONS
  ]
}

export const SEND_HELP = [
  `Usage: appcues-actions ${SEND_USAGE}`,
  '',
  'Sends Segment events (one JSON object a line, from FILE or - for standard input) through the destination',
  "and its presets' subscriptions (or --mapping FILE) to Appcues, or to an in-process Appcues simulator.",
  '',
  'Target (without credentials, send simulates):',
  '  --account-id N --api-key K --api-secret S   Appcues credentials (or APPCUES_ACCOUNT_ID, APPCUES_API_KEY,',
  '                                              APPCUES_API_SECRET; prefer the environment for secrets)',
  '  --region US|EU          (APPCUES_REGION, default US)',
  '  --legacy-api-key K      for deletions (APPCUES_LEGACY_API_KEY)',
  '  --endpoint URL          Endpoint Override, e.g. a simulator started with `appcues-actions simulator`',
  '  --simulate              always use the in-process simulator, even when credentials are set',
  '',
  'Delivery:',
  '  --mapping FILE          JSON list of {subscribe, partnerAction, mapping, name?} instead of the presets',
  "  --batch-size N          events per batch of one subscription, sent through the actions' batch path, which merges",
  `                          profile updates per user and group (default ${DEFAULT_SEND_BATCH_SIZE}: merges repeats, yet a stop finishes`,
  '                          in seconds; 1 = one event at a time; at most 1000)',
  '  --concurrency N         events in flight at once; with batching, requests in flight at once (default 10)',
  '  --rate N                requests per second at most (default 50, below the Appcues limit of 60; 0 = no cap)',
  '  --max-retries N         retries of a retryable failure (default 5), with exponential backoff and Retry-After',
  '  --retry-delay MS        first backoff delay (default 500)',
  '  --dead-letter FILE      where undeliverable events go (default: next to FILE, NAME.dead-letter.jsonl)',
  '  --checkpoint FILE       record progress; run again with the same file to resume without re-sending',
  '',
  'Output:',
  '  --json                  print the summary as one JSON object',
  '  --strict                exit 1 also when an event was rejected or a line was malformed',
  '  --quiet                 no progress and no per-line messages',
  '',
  'Simulator behaviour (only when simulating): --sim-rate-limit, --sim-error-rate, --sim-latency, --sim-drop-rate,',
  '--sim-slow-rate, --sim-slow-ms, --sim-seed, --sim-fault-routes, --sim-reject-dropped (see `appcues-actions simulator --help`).',
  '',
  'Exit status: 0 when every event was delivered, skipped or rejected; 1 when a delivery failed or the run stopped',
  'early (and, with --strict, when an event was rejected or a line malformed); 2 for a usage error.'
]

/** Splits positional arguments from flags, since the shared parser takes flags only. */
function splitPositionals(args: string[]): { positionals: string[]; flags: string[] } {
  const positionals: string[] = []
  const flags: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    flags.push(arg)
    if (!arg.includes('=') && SPEC.options.includes(arg.slice(2)) && i + 1 < args.length) flags.push(args[++i])
  }
  return { positionals, flags }
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
  const endpoint = value('endpoint', 'APPCUES_ENDPOINT')
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

export function parseSendArgs(args: string[], env: NodeJS.ProcessEnv = process.env): SendOptions {
  const { positionals, flags } = splitPositionals(args)
  const { switches, options } = parseArgs(flags, SPEC, SEND_USAGE)
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `send needs the events to send: a JSON-lines FILE, or - to read standard input. Usage: ${SEND_USAGE}`
        : `send takes one input, got ${positionals.join(' ')}. Usage: ${SEND_USAGE}`
    )
  }
  const input = positionals[0]
  const simulator = simulatorBehaviourFrom({ switches, options }, 'sim-')
  const integer = (flag: string, fallback: number, min: number) => {
    const text = options.get(flag)
    return text === undefined ? fallback : numberFlag(flag, text, { min, integer: true })
  }
  const deadLetter = options.get('dead-letter') ?? defaultDeadLetter(input)
  if (input !== '-' && path.resolve(deadLetter) === path.resolve(input)) {
    throw new UsageError(`--dead-letter must not be the input file ${input}; choose another file.`)
  }
  const checkpoint = options.get('checkpoint')
  if (checkpoint && [input, deadLetter].some((file) => path.resolve(file) === path.resolve(checkpoint))) {
    throw new UsageError(`--checkpoint must be a file of its own, not the input or the dead-letter file.`)
  }
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
    strict: switches.has('strict'),
    quiet: switches.has('quiet')
  }
}
