import path from 'path'
import type { CommandIO } from '../command'
import { isLoopbackHost } from '../../local-server/origins'
import { apiRoutes } from './api-routes'
import { startServer } from './server'
import type { RunningServer, ServeRoute } from './server'
import type { ServerTimeouts } from '../../local-server/timeouts'
import { watchedDestination } from './source'
import type { DestinationSource, SourceOptions } from './source'

export type { ServeRoute, ServeContext, RunningServer } from './server'

export interface ServeSettings {
  directory: string
  host: string
  port: number
  bodyLimit?: number
  /** How long slow clients may take to send a request (tests make them small). */
  timeouts?: Partial<ServerTimeouts>
  /** Extra routes, such as a browser page at `GET /`. */
  routes?: ServeRoute[]
  /** Overrides how the destination is (re)loaded; tests use it. */
  load?: SourceOptions['load']
  onReload?: SourceOptions['onReload']
}

export interface Serving {
  server: RunningServer
  source: DestinationSource
  stop(): Promise<void>
}

/** Loads the destination, starts the server and reloads the destination when its files change. */
export async function serve(settings: ServeSettings, io: CommandIO): Promise<Serving> {
  const relative = path.relative(process.cwd(), settings.directory) || '.'
  const source = watchedDestination(settings.directory, {
    load: settings.load,
    onReload: (error, changed) => {
      if (error) io.stderr(`reload failed after a change to ${changed}; still serving the previous version.\n${error}`)
      else io.stdout(`reloaded ${relative} after a change to ${changed}`)
      settings.onReload?.(error, changed)
    }
  })
  const loopback = isLoopbackHost(settings.host)
  let server: RunningServer
  try {
    server = await startServer({
      source,
      host: settings.host,
      port: settings.port,
      bodyLimit: settings.bodyLimit,
      timeouts: settings.timeouts,
      routes: settings.routes,
      loopbackOnly: loopback,
      log: io.stdout
    })
  } catch (error) {
    source.close()
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${settings.port} on ${settings.host} is already in use. Stop the other server, or pass --port with another number (--port 0 picks a free one).`
      )
    }
    throw error
  }
  if (!loopback) {
    io.stderr(
      `warning: listening on ${settings.host}, not on loopback. Anyone who can reach this address can send requests with your credentials; prefer --host 127.0.0.1.`
    )
  }
  const routes = apiRoutes(source.current(), settings.directory).map((route) => `  ${route.method} ${route.path}`)
  io.stdout(`Serving ${relative} at ${server.url}\n${routes.join('\n')}`)
  return {
    server,
    source,
    stop: async () => {
      source.close()
      await server.close()
    }
  }
}
