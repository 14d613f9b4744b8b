import type { IncomingMessage } from 'http'

/** Web origins allowed to call the server from a browser: Segment's Actions Tester (as Segment's serve allows). */
export const ALLOWED_ORIGINS = [
  'https://app.segment.com',
  'https://eu1.app.segment.com',
  'https://app.segment.build',
  'https://eu1.app.segment.build',
  'http://localhost:8000'
]

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname)
}

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname
  } catch {
    return hostHeader
  }
}

export interface GuardRules {
  /** Refuse requests whose Host is not a loopback name (DNS rebinding); off when the server listens elsewhere. */
  loopbackOnly: boolean
  /** Web origins other than the server's own that may call it from a browser. */
  allowedOrigins: string[]
  /** Host names accepted besides the loopback ones. */
  extraHosts?: string[]
}

/** Why a local server refuses a request (DNS rebinding, foreign web origins), or undefined when it may proceed. */
export function guardRefusal(request: IncomingMessage, rules: GuardRules): string | undefined {
  const host = request.headers.host ?? ''
  const hostname = hostnameOf(host)
  if (rules.loopbackOnly && !isLoopbackHost(hostname) && !rules.extraHosts?.includes(hostname.toLowerCase())) {
    return `This server answers only requests addressed to localhost or 127.0.0.1, not to "${host}".`
  }
  const origin = request.headers.origin
  if (origin !== undefined && !rules.allowedOrigins.includes(origin) && origin !== `http://${host}`) {
    return `Requests from the web page origin ${origin} are refused; only pages served by this server${
      rules.allowedOrigins.length > 0 ? " and Segment's Actions Tester" : ''
    } may call it.`
  }
  return undefined
}

/** serve's rules: loopback Host names (when listening on loopback), Segment's Actions Tester and its own pages. */
export function refusal(request: IncomingMessage, loopbackOnly: boolean): string | undefined {
  return guardRefusal(request, { loopbackOnly, allowedOrigins: ALLOWED_ORIGINS })
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
