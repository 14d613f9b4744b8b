import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import type { ServeRoute } from '../../src/cli/serve'
import { createRequestListener } from '../../src/cli/serve/server'
import type { DestinationSource } from '../../src/cli/serve/source'

/** serve's request listener over the destination as it is on disk, without a file watcher, to mount in any server. */
export function createListenerForTest(options: {
  log: (line: string) => void
  routes?: ServeRoute[]
  bodyLimit?: number
}) {
  const definition = loadDestination().definition
  const source: DestinationSource = {
    directory: DESTINATION_DIR,
    current: () => definition,
    reload: () => undefined,
    close: () => undefined
  }
  return { listener: createRequestListener({ source, ...options }), close: () => source.close() }
}
