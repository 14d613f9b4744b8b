import type { IncomingMessage } from 'http'

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
  /** Who the allowed origins are, as a refusal names them. */
  allowedOriginsName?: string
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
    const callers = `pages served by this server${rules.allowedOriginsName ? ` and ${rules.allowedOriginsName}` : ''}`
    return `Requests from the web page origin ${origin} are refused; only ${callers} may call it.`
  }
  return undefined
}
