import fs from 'fs'
import net from 'net'
import os from 'os'
import { PayloadValidationError } from '@segment/actions-core'
import { matchRoute } from '../../src/simulator/routes'

/** Host names of this machine, by an independent reading of the address (serve answers only those). */
export function isLoopbackName(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (net.isIPv4(bare)) return bare.split('.')[0] === '127'
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:(127\.|7f)/.test(bare)
  return false
}

const APPCUES_ORIGINS = [
  'https://api.appcues.com',
  'https://api.eu.appcues.com',
  'https://segment.appcues.com',
  'https://segment.eu.appcues.com'
]

/** The origin (`https://host`) of a request nock intercepted. */
export function originOf(request: { headers: Record<string, string> }): string {
  const proto = (request as unknown as { options?: { proto?: string } }).options?.proto ?? 'https'
  return `${proto}://${request.headers.host}`
}

/** The host rule: a request the destination makes goes to one of Appcues' documented hosts, over https. */
export function checkAppcuesOrigin(origin: string, what: string): void {
  const normalised = origin.toLowerCase().replace(/:443$/, '')
  if (!APPCUES_ORIGINS.includes(normalised)) {
    throw new Error(`${what}: a request went to ${origin}, not one of Appcues' hosts`)
  }
}

const ID_SHAPES: Record<string, { route: string; pattern: RegExp; param: 'userId' | 'groupId' }> = {
  userProfile: { route: 'userProfile', pattern: /^\/v2\/accounts\/7\/users\/([^/]+)\/profile$/, param: 'userId' },
  userEvents: { route: 'userEvents', pattern: /^\/v2\/accounts\/7\/users\/([^/]+)\/events$/, param: 'userId' },
  groupProfile: { route: 'groupProfile', pattern: /^\/v2\/accounts\/7\/groups\/([^/]+)\/profile$/, param: 'groupId' },
  groupUsers: { route: 'groupUsers', pattern: /^\/v2\/accounts\/7\/groups\/([^/]+)\/users$/, param: 'groupId' }
}

/** The ids a builder may refuse (with a PayloadValidationError): blank, `.`/`..`, and text that is not Unicode. */
export function mayRefuseId(id: string): boolean {
  return id.trim() === '' || id === '.' || id === '..' || !isWellFormed(id)
}

export function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)
}

/**
 * The id rule for one URL builder: the request path (as a URL parser reads it, after the base path `prefix`) has
 * the builder's fixed shape with the id in one segment, that segment decodes to the id, and the simulator's router
 * reads the same id from it. Refusing is allowed only for the ids of `mayRefuseId`, and only with a
 * PayloadValidationError.
 */
export function checkIdInPath(builder: string, id: string, build: () => string, prefix = ''): 'encoded' | 'refused' {
  let built: string
  try {
    built = build()
  } catch (error) {
    if (error instanceof PayloadValidationError && mayRefuseId(id)) return 'refused'
    throw new Error(`${builder}(${JSON.stringify(id)}) threw ${String(error)}`)
  }
  const shape = ID_SHAPES[builder]
  const { pathname, host } = new URL(built)
  if (!pathname.startsWith(prefix)) throw new Error(`${builder}(${JSON.stringify(id)}): ${pathname} left ${prefix}`)
  const match = shape.pattern.exec(pathname.slice(prefix.length))
  if (!match) throw new Error(`${builder}(${JSON.stringify(id)}) built the path ${pathname}`)
  let decoded: string
  try {
    decoded = decodeURIComponent(match[1])
  } catch {
    throw new Error(`${builder}(${JSON.stringify(id)}): segment ${match[1]} does not decode`)
  }
  if (decoded !== id)
    throw new Error(`${builder}(${JSON.stringify(id)}): segment decodes to ${JSON.stringify(decoded)}`)
  const route = matchRoute(pathname.slice(prefix.length), host)
  if (route?.name !== shape.route || route[shape.param] !== id) {
    throw new Error(`${builder}(${JSON.stringify(id)}): the simulator reads ${JSON.stringify(route)}`)
  }
  return 'encoded'
}

function ipv4FromProc(hex: string): string {
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.')
}

function ipv6FromProc(hex: string): string {
  const words = [0, 1, 2, 3].map(
    (i) =>
      hex
        .slice(i * 8, i * 8 + 8)
        .match(/../g)
        ?.reverse()
        .join('') ?? ''
  )
  const groups = words.join('').match(/.{4}/g) ?? []
  const text = groups.map((group) => parseInt(group, 16).toString(16)).join(':')
  return text.replace(/(^|:)0(:0)+(:|$)/, '::')
}

/**
 * The local addresses listening on `port` in this machine's network namespace (Linux, from /proc/net/tcp*), or
 * undefined where /proc is not available.
 */
export function listeningAddresses(port: number): string[] | undefined {
  const files = ['/proc/net/tcp', '/proc/net/tcp6'].filter((file) => fs.existsSync(file))
  if (files.length === 0) return undefined
  const addresses: string[] = []
  for (const file of files) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (!local || state !== '0A') continue
      const [hex, portHex] = local.split(':')
      if (parseInt(portHex, 16) !== port) continue
      addresses.push(hex.length === 8 ? ipv4FromProc(hex) : ipv6FromProc(hex))
    }
  }
  return addresses
}

/** Whether a TCP connection to address:port succeeds. */
export function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port })
    socket.setTimeout(3000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

/**
 * The loopback rule for a listening port: every address bound to it is a loopback address (read from /proc where
 * it exists), and no address of this machine's other interfaces accepts a connection.
 */
export async function assertLoopbackOnly(port: number): Promise<string[]> {
  const bound = listeningAddresses(port)
  if (bound !== undefined) {
    if (bound.length === 0) throw new Error(`nothing listens on port ${port}`)
    const open = bound.filter((address) => !isLoopbackName(address))
    if (open.length > 0) throw new Error(`port ${port} is bound to ${open.join(', ')}, not only to loopback`)
  }
  const external = Object.values(os.networkInterfaces())
    .flat()
    .filter((info): info is os.NetworkInterfaceInfo => info !== undefined && !info.internal)
    .map((info) => info.address)
  for (const address of external) {
    if (await connects(address, port)) throw new Error(`port ${port} accepts connections on ${address}`)
  }
  return bound ?? []
}

/** The CORS rule for one answer: no wildcard, and an allowed origin only when it is one of `allowed`, echoed. */
export function checkCors(headers: Record<string, unknown>, origin: string | undefined, allowed: string[]): void {
  const given = headers['access-control-allow-origin']
  if (given === undefined) return
  if (given === '*') throw new Error(`wildcard CORS for origin ${String(origin)}`)
  if (given !== origin || !allowed.includes(String(origin))) {
    throw new Error(`CORS allows ${String(given)} for origin ${String(origin)}`)
  }
}

/** The body rule for one answer: refused with `status` (413 oversized, 400 malformed) and a message saying why. */
export function checkRefusal(status: 400 | 413, answer: { status: number; json?: unknown }, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: answered ${answer.status}, expected ${status}`)
  const error = (answer.json as { error?: unknown } | undefined)?.error
  if (typeof error !== 'string' || error.trim() === '') throw new Error(`${what}: ${status} without a message`)
}
