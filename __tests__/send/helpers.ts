import { spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Readable } from 'stream'
import { parseSendArgs, runSend } from '../../src/cli/send'
import type { SendResult } from '../../src/cli/send'
import type { Simulator, SimulatorState } from '../../src/simulator'

export const ROOT = path.resolve(__dirname, '..', '..')
export const EXAMPLE = path.join(ROOT, 'examples', 'events.jsonl')
export const MAPPING = path.join(ROOT, 'examples', 'mapping.json')
const BIN = path.join(ROOT, 'bin', 'appcues-actions.js')

/** The outcome of examples/events.jsonl through the presets, checked by hand against the file. */
/** Flags for a run that nothing slows down: no progress, no rate cap, and a simulator without its rate limit. */
export const UNTHROTTLED = ['--quiet', '--rate', '0', '--sim-rate-limit', '0']

export const EXAMPLE_COUNTS = {
  lines: 59,
  read: 54,
  malformed: 4,
  delivered: 46,
  // The presets take only calls with a User ID: the 4 anonymous calls match none, like the one unsubscribed call.
  skipped: 5,
  rejected: 3,
  failed: 0,
  // 1 credentials check + 9 profiles + 30 events + 7 group profiles + 6 memberships
  requests: 53
}
/**
 * The same file with the default batching: the same outcomes, fewer requests, since Identify Group batches send one
 * group profile update per group and one membership call per group with its users (4 and 3 instead of 7 and 6).
 */
export const EXAMPLE_BATCHED_COUNTS = { ...EXAMPLE_COUNTS, requests: 47 }
export const EXAMPLE_MALFORMED_LINES = [10, 22, 35, 48]
export const EXAMPLE_REJECTED_LINES = [54, 55, 56]

const directories: string[] = []

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-send-test-'))
  directories.push(dir)
  return dir
}

export function removeTempDirs(): void {
  killChildren()
  for (const dir of directories.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

export interface InProcessRun {
  result: SendResult
  stdout: string[]
  stderr: string[]
}

/** Runs `send` in this process with the given arguments; the environment is empty unless given. */
export async function send(
  args: string[],
  { env = {}, stdin }: { env?: NodeJS.ProcessEnv; stdin?: Readable } = {}
): Promise<InProcessRun> {
  const stdout: string[] = []
  const stderr: string[] = []
  const options = parseSendArgs(args, env)
  const result = await runSend(options, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    stdin
  })
  return { result, stdout, stderr }
}

/** Arguments that point `send` at a simulator started by the test, as if it were Appcues. */
export function targetArgs(sim: Simulator): string[] {
  const { accountId, apiKey, apiSecret, legacyApiKey } = sim.credentials
  return [
    '--endpoint',
    sim.url,
    '--account-id',
    String(accountId),
    '--api-key',
    apiKey,
    '--api-secret',
    apiSecret,
    '--legacy-api-key',
    legacyApiKey
  ]
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])])
    )
  }
  return value
}

/** Every write the simulator stored, without arrival order or times, as sorted lists: equal lists = same writes, each as often. */
export function writes(state: SimulatorState): Record<string, string[]> {
  const list = (records: object[]) =>
    records
      .map((record) => {
        const { seq: _seq, receivedAt: _receivedAt, ...rest } = record as Record<string, unknown>
        return JSON.stringify(sortKeys(rest))
      })
      .sort()
  return {
    profiles: list(state.profiles),
    events: list(state.events),
    groups: list(state.groups),
    memberships: list(state.memberships),
    deletions: list(state.deletions),
    segmentMessages: list(state.segmentMessages)
  }
}

const references = new Map<string, SimulatorState>()

/**
 * What the simulator holds after `input` (by default examples/events.jsonl) went through once without faults, with
 * the default batch size or the one given (computed once for each).
 */
export async function referenceState(batchSize?: number, input = EXAMPLE): Promise<SimulatorState> {
  const key = `${input} ${batchSize ?? 'default'}`
  let reference = references.get(key)
  if (!reference) {
    const dir = tempDir()
    const { result } = await send([
      input,
      '--simulate',
      ...UNTHROTTLED,
      '--dead-letter',
      path.join(dir, 'dl.jsonl'),
      ...(batchSize === undefined ? [] : ['--batch-size', String(batchSize)])
    ])
    reference = result.simulatorState
    if (reference) references.set(key, reference)
  }
  if (!reference) throw new Error('the reference run did not simulate')
  return reference
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test data of any shape
export function readJsonLines(file: string): any[] {
  if (!fs.existsSync(file)) return []
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))
}

export interface Child {
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill: (signal: NodeJS.Signals) => void
}

const children: Array<{
  kill: (signal: NodeJS.Signals) => boolean
  exitCode: number | null
  signalCode: string | null
}> = []

/** Kills the CLI processes a test left running (a failed assertion must not leave a server behind). */
export function killChildren(): void {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** Runs the real CLI (`bin/appcues-actions.js`) as a child process; `removeTempDirs` or `killChildren` ends it. */
export function cli(
  args: string[],
  { stdin, env = {} }: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv } = {}
): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  // 'close', not 'exit': 'exit' can come before the last output of the child has been read.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal }))
  )
  if (stdin !== undefined) child.stdin.end(stdin)
  else child.stdin.end()
  return { stdout: () => out, stderr: () => err, exit, kill: (signal) => child.kill(signal) }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}
