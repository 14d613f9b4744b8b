import { UsageError } from './args'
import { HostRouteError, routeAppcuesHostsTo } from '../simulator'

/** Routes Appcues' hosts to the simulator that `flag` names; a refusal is a usage error of that flag. */
export function routeFlagToSimulator(flag: string, simulatorUrl: string): () => void {
  try {
    return routeAppcuesHostsTo(simulatorUrl)
  } catch (error) {
    if (error instanceof HostRouteError) throw new UsageError(`${flag}: ${error.message}`)
    throw error
  }
}
