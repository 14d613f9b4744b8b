import { spawn } from 'child_process'
import type { ChildProcess } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'

export const ROOT = path.resolve(__dirname, '..', '..')
const BIN = path.join(ROOT, 'bin', 'appcues-actions.js')

export interface Child {
  pid: number
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill: (signal: NodeJS.Signals) => void
}

const children: ChildProcess[] = []
const directories: string[] = []

/** Runs the real CLI as a child process, with only PATH and the given variables in its environment. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal }))
  )
  return {
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exit,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    }
  }
}

/** Runs the CLI to its end; a child that outlives `timeoutMs` is killed and reported. */
export async function cliToEnd(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000) {
  const child = cli(args, env)
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const { code, signal } = await child.exit
  clearTimeout(timer)
  if (signal)
    throw new Error(`appcues-actions ${args[0]} was killed (${signal}) after ${timeoutMs} ms:\n${child.stderr()}`)
  return { code, stdout: child.stdout(), stderr: child.stderr() }
}

/** Ends the children the tests started (by their own handles) and removes the temporary folders. */
export function cleanUp(): void {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const dir of directories.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-reliability-'))
  directories.push(dir)
  return dir
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `condition` holds; throws after `timeoutMs` (generous: a loaded machine is slow, not wrong). */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}
