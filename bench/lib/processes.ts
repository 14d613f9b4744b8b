import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import type { SimulatorCredentials } from '../../src/simulator'
import { DEFAULT_CREDENTIALS } from '../../src/simulator'
import type { SendSummary } from '../../src/cli/send'

export const ROOT = path.resolve(__dirname, '..', '..')
/** The executable users run (`npx appcues-actions`); it runs the compiled dist/ (`npm run bench` builds it first). */
export const BIN = path.join(ROOT, 'bin', 'appcues-actions.js')
const PEAK_RSS_PRELOAD = path.join(__dirname, 'peak-rss.js')

export interface ChildResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunningChild {
  child: ChildProcess
  done: Promise<ChildResult>
}

/** Starts `node ARGS` in the package root, collecting its output. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv = {}): RunningChild {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

export function describeFailure(what: string, result: ChildResult): Error {
  const tail = result.stderr.trim().split('\n').slice(-15).join('\n')
  return new Error(`${what} exited with ${result.signal ?? `code ${String(result.code)}`}:\n${tail}`)
}

/** A temporary directory for one figure's files. */
export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `appcues-bench-${name}-`))
}

/** `send` arguments that point it at a simulator as if it were Appcues (the simulator's made-up credentials). */
export function targetArgs(url: string, credentials: SimulatorCredentials = DEFAULT_CREDENTIALS): string[] {
  return [
    '--endpoint',
    url,
    '--account-id',
    String(credentials.accountId),
    '--api-key',
    credentials.apiKey,
    '--api-secret',
    credentials.apiSecret,
    '--legacy-api-key',
    credentials.legacyApiKey
  ]
}

export interface SendRunResult {
  summary: SendSummary
  exitCode: number | null
  /** Memory of the `send` process in kilobytes, when asked for. */
  memory?: { maxRssKb: number; heapUsedAfterGcKb: number }
}

/**
 * Starts `appcues-actions send FILE --json --quiet ...` as a child process, the way a user runs it. With `peakRss`,
 * a preloaded module records the process's peak RSS and its heap after a full collection at exit.
 */
export function startSend(
  file: string,
  flags: string[],
  options: { peakRss?: boolean; dir: string }
): { child: ChildProcess; result: Promise<SendRunResult> } {
  const rssFile = path.join(options.dir, `peak-rss-${process.hrtime.bigint()}.json`)
  const preload = options.peakRss ? ['--expose-gc', '--require', PEAK_RSS_PRELOAD] : []
  const { child, done } = spawnNode(
    [...preload, BIN, 'send', file, '--json', '--quiet', ...flags],
    options.peakRss ? { BENCH_PEAK_RSS_FILE: rssFile } : {}
  )
  const result = done.then((outcome) => {
    const json = outcome.stdout.trim().split('\n').pop() ?? ''
    let summary: SendSummary
    try {
      summary = JSON.parse(json) as SendSummary
    } catch {
      throw describeFailure(`send ${path.basename(file)}`, outcome)
    }
    const run: SendRunResult = { summary, exitCode: outcome.code }
    if (options.peakRss) {
      run.memory = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as SendRunResult['memory']
    }
    return run
  })
  return { child, result }
}

export interface SimulatorProcess {
  url: string
  credentials: SimulatorCredentials
  close(): Promise<void>
}

/** Runs `appcues-actions simulator` in a process of its own, so that its CPU time is not counted as the client's. */
export async function startSimulatorProcess(flags: string[]): Promise<SimulatorProcess> {
  const { child, done } = spawnNode([BIN, 'simulator', '--port', '0', ...flags])
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    const onData = (text: string) => {
      seen += text
      const match = /listening on (http:\/\/\S+)/.exec(seen)
      if (match) {
        child.stdout?.off('data', onData)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    done.then((result) => reject(describeFailure('The simulator', result)), reject)
  })
  return {
    url,
    credentials: DEFAULT_CREDENTIALS,
    close: async () => {
      child.kill('SIGTERM')
      await done
    }
  }
}
