import http from 'http'

/** How long a local server waits for a client that is slow to send its request (slow-trickle connections). */
export interface ServerTimeouts {
  /** Until the request's headers are complete (Node answers 408 and closes the connection). */
  headersMs: number
  /** Until the whole request, body included, has arrived. */
  requestMs: number
  /** How often Node checks the two above. */
  checkIntervalMs: number
}

const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 60_000, checkIntervalMs: 1_000 }

/** An HTTP server that closes connections whose headers or body trickle in too slowly. */
export function createTimedServer(listener: http.RequestListener, timeouts: Partial<ServerTimeouts> = {}): http.Server {
  const { headersMs, requestMs, checkIntervalMs } = { ...DEFAULT_SERVER_TIMEOUTS, ...timeouts }
  return http.createServer(
    {
      headersTimeout: Math.min(headersMs, requestMs),
      requestTimeout: requestMs,
      connectionsCheckingInterval: checkIntervalMs
    },
    listener
  )
}
