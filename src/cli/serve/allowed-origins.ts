import type { IncomingMessage } from 'http'
import { guardRefusal } from '../../local-server/origins'

/** Web origins allowed to call the server from a browser: Segment's Actions Tester (as Segment's serve allows). */
export const ALLOWED_ORIGINS = [
  'https://app.segment.com',
  'https://eu1.app.segment.com',
  'https://app.segment.build',
  'https://eu1.app.segment.build',
  'http://localhost:8000'
]

/** serve's rules: loopback Host names (when listening on loopback), Segment's Actions Tester and its own pages. */
export function refusal(request: IncomingMessage, loopbackOnly: boolean): string | undefined {
  return guardRefusal(request, {
    loopbackOnly,
    allowedOrigins: ALLOWED_ORIGINS,
    allowedOriginsName: "Segment's Actions Tester"
  })
}

/** CORS headers for an allowed cross-origin caller (never a wildcard). */
export function corsHeaders(request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin
  if (origin === undefined || !ALLOWED_ORIGINS.includes(origin)) return {}
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    vary: 'Origin'
  }
}
