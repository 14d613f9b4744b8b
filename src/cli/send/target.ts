import type { JSONObject } from '@segment/actions-core'
import { UsageError } from '../args'
import { startRoutedSimulator } from '../../simulator'
import type { Simulator, SimulatorOptions } from '../../simulator'
import { routeFlagToSimulator } from '../simulator-route'
import type { TargetDescription } from './record/summary'

/** Where events go: the in-process simulator, or Appcues (or a simulator standing in for it) with the given credentials. */
export type TargetChoice =
  | {
      kind: 'simulator'
      options: SimulatorOptions
      /** --simulate was given (credentials may be set). */ forced?: boolean
    }
  | {
      kind: 'appcues'
      accountId: number
      apiKey: string
      apiSecret: string
      region: 'US' | 'EU'
      legacyApiKey?: string
      /** A simulator on this machine that Appcues' hosts are routed to (--endpoint). */
      endpoint?: string
    }

export interface Target {
  description: TargetDescription
  /** The destination settings (they hold secrets: never print them). */
  settings: JSONObject
  simulator?: Simulator
  /** A line telling the user where events go; it never contains a secret. */
  notice: string
  close(): Promise<void>
}

export async function openTarget(choice: TargetChoice): Promise<Target> {
  if (choice.kind === 'appcues') {
    const { accountId, apiKey, apiSecret, region, legacyApiKey, endpoint } = choice
    const restore = endpoint ? routeFlagToSimulator('--endpoint', endpoint) : undefined
    return {
      description: { kind: 'appcues', where: endpoint ?? region, accountId },
      settings: { accountId, apiKey, apiSecret, region, ...(legacyApiKey ? { legacyApiKey } : {}) },
      notice: endpoint
        ? `Sending to the simulator at ${endpoint} (it stands in for Appcues ${region}), account ${accountId}.`
        : `Sending to Appcues ${region}, account ${accountId}.`,
      close: () => Promise.resolve(restore?.())
    }
  }
  let simulator: Simulator
  try {
    simulator = await startRoutedSimulator(choice.options)
  } catch (error) {
    throw new UsageError(`Could not start the Appcues simulator: ${(error as Error).message}`)
  }
  const { accountId, apiKey, apiSecret, legacyApiKey } = simulator.credentials
  return {
    description: { kind: 'simulator', where: simulator.url, accountId },
    settings: { accountId, apiKey, apiSecret, legacyApiKey, region: 'US' },
    simulator,
    notice: choice.forced
      ? `Simulating (--simulate): events go to an in-process Appcues simulator at ${simulator.url}; nothing leaves this machine.`
      : `Simulating: no Appcues credentials were given, so events go to an in-process Appcues simulator at ${simulator.url} ` +
        `and nothing leaves this machine. To send to Appcues, give --account-id, --api-key and --api-secret ` +
        `(or APPCUES_ACCOUNT_ID, APPCUES_API_KEY and APPCUES_API_SECRET).`,
    close: () => simulator.close()
  }
}
