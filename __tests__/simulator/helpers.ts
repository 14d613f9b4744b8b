import { startRoutedSimulator, startSimulator } from '../../src/simulator'
import type { Simulator, SimulatorOptions } from '../../src/simulator'

export interface Reply {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of any shape
  body: any
}

const running: Simulator[] = []

/** Starts a simulator on an ephemeral 127.0.0.1 port; every one started is closed after each test. */
export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const started = await startSimulator({ host: '127.0.0.1', ...options })
  running.push(started)
  return started
}

/** Like `simulator`, with this process's requests for Appcues' hosts routed to it until it is closed. */
export async function routedSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const started = await startRoutedSimulator({ host: '127.0.0.1', ...options })
  running.push(started)
  return started
}

export async function closeSimulators(): Promise<void> {
  await Promise.all(running.splice(0).map((started) => started.close()))
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

export function keyPair(sim: Simulator): string {
  return basic(sim.credentials.apiKey, sim.credentials.apiSecret)
}

export function legacy(sim: Simulator): string {
  return basic(sim.credentials.legacyApiKey, '')
}

export async function call(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
  { auth = keyPair(sim), headers = {} }: { auth?: string | null; headers?: Record<string, string> } = {}
): Promise<Reply> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {})
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed }
}

export const account = (sim: Simulator) => `/v2/accounts/${sim.credentials.accountId}`
