import { routeAppcuesHostsTo } from './host-route'
import { startSimulator } from './server'
import type { Simulator } from './server'
import type { SimulatorOptions } from './options'

/**
 * Starts a simulator and routes this process's requests for Appcues' hosts to it; `close` removes the route, then
 * stops the simulator.
 */
export async function startRoutedSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = await startSimulator(options)
  let restore: () => void
  try {
    restore = routeAppcuesHostsTo(simulator.url)
  } catch (error) {
    await simulator.close()
    throw error
  }
  return {
    ...simulator,
    close: async () => {
      restore()
      await simulator.close()
    }
  }
}
