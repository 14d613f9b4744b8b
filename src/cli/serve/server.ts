import type { IncomingMessage, ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import type { AnyDestination } from '../load-destination'
import { apiRoutes } from './api-routes'
import { DEFAULT_BODY_LIMIT } from '../../local-server/body-limit'
import { HttpError, readJsonObject, sendJson } from './http'
import { corsHeaders, refusal } from './allowed-origins'
import { Redactor } from './secrets'
import { createTimedServer } from '../../local-server/timeouts'
import { describeTarget, requestPathname } from '../../local-server/request-target'
import type { ServerTimeouts } from '../../local-server/timeouts'
import type { DestinationSource } from './source'

export interface ServeContext {
  definition: AnyDestination
  directory: string
}

/**
 * A route added beside Segment's (for example a browser page at `GET /`, which the API routes leave free). It is
 * matched before the destination's routes and writes its own answer.
 */
export interface ServeRoute {
  method: 'GET' | 'POST'
  path: string
  handle(request: IncomingMessage, response: ServerResponse, context: ServeContext): void | Promise<void>
}

export interface ServeOptions {
  source: DestinationSource
  log: (line: string) => void
  /** Largest accepted request body in bytes (default 1 MB). */
  bodyLimit?: number
  routes?: ServeRoute[]
  /** Refuse requests whose Host is not a loopback name (on by default; the command turns it off for other hosts). */
  loopbackOnly?: boolean
  /** How long slow clients may take to send headers and body (small values in tests). */
  timeouts?: Partial<ServerTimeouts>
}

function routeList(routes: Array<{ method: string; path: string }>): string {
  return routes.map((route) => `${route.method} ${route.path}`).join(', ')
}

/** What one request has learnt so far, for its log line and for scrubbing an unexpected failure. */
interface Exchange {
  redactor: Redactor
  note?: string
}

/** The request listener: refusals, extra routes, then Segment's routes; every answer scrubbed of secrets. */
export function createRequestListener(options: ServeOptions) {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const loopbackOnly = options.loopbackOnly ?? true

  const handle = async (request: IncomingMessage, response: ServerResponse, exchange: Exchange) => {
    const method = request.method ?? 'GET'
    const pathname = requestPathname(request.url)
    if (pathname === undefined) {
      exchange.note = 'the request target is not a path'
      return sendJson(response, 400, {
        error: `The request target ${describeTarget(
          request.url
        )} is not a path. Send requests such as POST /trackEvent.`
      })
    }
    const cors = corsHeaders(request)
    const refused = refusal(request, loopbackOnly)
    if (refused) return sendJson(response, 403, { error: refused })
    if (method === 'OPTIONS') {
      response.writeHead(204, cors)
      return response.end()
    }
    const definition = options.source.current()
    const context: ServeContext = { definition, directory: options.source.directory }
    const extra = options.routes?.find((route) => route.method === method && route.path === pathname)
    if (extra) return extra.handle(request, response, context)

    const routes = apiRoutes(definition, options.source.directory)
    const route = routes.find((candidate) => candidate.path === pathname)
    if (!route) {
      const all = routeList([...(options.routes ?? []), ...routes])
      return sendJson(response, 404, { error: `There is no route ${method} ${pathname}. Routes: ${all}.` }, cors)
    }
    if (route.method !== method) {
      const headers = { ...cors, allow: route.method }
      return sendJson(response, 405, { error: `Use ${route.method} for ${pathname}.` }, headers)
    }
    const body = method === 'POST' ? await readJsonObject(request, limit) : {}
    exchange.redactor.addSettings(definition, route.settingsOf(body), body.auth)
    const answer = await route.handler(body)
    exchange.note = answer.note
    sendJson(response, answer.status, exchange.redactor.scrub(answer.body), cors)
  }

  return (request: IncomingMessage, response: ServerResponse): void => {
    const started = process.hrtime.bigint()
    const exchange: Exchange = { redactor: new Redactor() }
    response.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6)
      const where = requestPathname(request.url) ?? describeTarget(request.url)
      const note = exchange.note === undefined ? '' : ` (${exchange.note})`
      const status = response.writableFinished ? String(response.statusCode) : 'closed before an answer:'
      options.log(exchange.redactor.scrubText(`${status} ${request.method ?? ''} ${where} - ${ms}ms${note}`))
    })
    handle(request, response, exchange).catch((error: Error) => {
      if (error instanceof HttpError) {
        if (error.status === 413) exchange.note = 'request body too large'
        if (!response.headersSent) sendJson(response, error.status, { error: error.message }, error.headers)
      } else if (response.headersSent) {
        exchange.note = `unexpected server error: ${error.message}`
        response.end()
      } else {
        exchange.note = `unexpected server error: ${error.message}`
        const message = exchange.redactor.scrubText(`The server failed: ${error.message}. See the serve output.`)
        sendJson(response, 500, { error: message })
      }
    })
  }
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Starts listening (port 0 picks a free port) and resolves once the server accepts connections. */
export function startServer(options: ServeOptions & { host: string; port: number }): Promise<RunningServer> {
  const server = createTimedServer(createRequestListener(options), options.timeouts)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo
      const host = options.host.includes(':') ? `[${options.host}]` : options.host
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}
