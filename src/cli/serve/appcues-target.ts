import { DEFAULT_CREDENTIALS, startRoutedSimulator } from '../../simulator'
import type { Simulator, SimulatorCredentials, SimulatorState } from '../../simulator'
import { routeFlagToSimulator } from '../simulator-route'

/**
 * The simulator that Appcues' hosts are routed to while serve runs: where it listens, the (made-up) credentials it
 * accepts, and, for one running in this process, what it holds.
 */
export interface SimulatorTarget {
  url: string
  credentials: SimulatorCredentials
  /** What a simulator running in this process holds, and how to clear it. */
  state?: () => SimulatorState
  reset?: () => void
}

/** Where serve's requests for Appcues go: a simulator (in this process, or on this machine) or Appcues itself. */
export interface ServeTarget {
  /** The simulator Appcues' hosts are routed to; undefined when requests go to Appcues. */
  simulator?: SimulatorTarget
  /** What the terminal is told; it never holds a secret the user gave. */
  notice: string
  close(): Promise<void>
}

export type ServeTargetChoice = { kind: 'in-process' } | { kind: 'simulator'; url: string } | { kind: 'appcues' }

function credentialsLine({ accountId, apiKey, apiSecret }: SimulatorTarget['credentials']): string {
  return `account ID ${accountId}, API key ${apiKey}, API secret ${apiSecret}`
}

/** A simulator running in this process, as the playground uses it: it can show and clear what the simulator holds. */
export function inProcessTarget(running: Simulator): SimulatorTarget {
  return {
    url: running.url,
    credentials: running.credentials,
    state: () => running.state(),
    reset: () => running.reset()
  }
}

export async function openServeTarget(choice: ServeTargetChoice): Promise<ServeTarget> {
  if (choice.kind === 'appcues') {
    return {
      notice: 'Requests go to Appcues itself, with the credentials each request carries (--no-simulator).',
      close: () => Promise.resolve()
    }
  }
  if (choice.kind === 'simulator') {
    const restore = routeFlagToSimulator('--simulator', choice.url)
    return {
      simulator: { url: choice.url, credentials: { ...DEFAULT_CREDENTIALS } },
      notice: `Requests for Appcues go to the simulator at ${
        choice.url
      }. Empty credentials in the playground are filled with a simulator's defaults (${credentialsLine(
        DEFAULT_CREDENTIALS
      )}).`,
      close: () => Promise.resolve(restore())
    }
  }
  const running = await startRoutedSimulator({ maxRecords: 10_000 })
  return {
    simulator: inProcessTarget(running),
    notice: `Requests for Appcues go to an Appcues simulator in this process at ${running.url} (${credentialsLine(
      running.credentials
    )}); nothing leaves this machine. Run serve with --no-simulator to send to Appcues.`,
    close: () => running.close()
  }
}
