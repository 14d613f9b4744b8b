import https from 'https'
import net from 'net'
import type { Duplex } from 'stream'
import { isLoopbackHost } from '../local-server/origins'

/** The hosts the destination sends to: the v2 Public API and the Segment endpoint, in both regions. */
export const APPCUES_HOSTS = ['api.appcues.com', 'api.eu.appcues.com', 'segment.appcues.com', 'segment.eu.appcues.com']

const ROUTE_MARK = Symbol.for('appcues-actions.simulator-route')

export class HostRouteError extends Error {
  name = 'HostRouteError'
}

/**
 * An https agent that opens a plain connection to the simulator for Appcues' hosts and a normal TLS connection for
 * every other host. The request itself is untouched: its URL, Host header, credentials and body are what the
 * destination built for Appcues, so the simulator sees exactly what Appcues would.
 */
class SimulatorRouteAgent extends https.Agent {
  readonly [ROUTE_MARK]: string

  constructor(private readonly port: number, private readonly address: string, target: string) {
    super({ keepAlive: true })
    this[ROUTE_MARK] = target
  }

  createConnection(options: { host?: string | null }, callback?: (error: Error | null, socket: Duplex) => void) {
    if (isAppcuesHost(options.host)) return net.connect(this.port, this.address)
    const superCreate = https.Agent.prototype as unknown as {
      createConnection(this: https.Agent, ...args: unknown[]): Duplex
    }
    return superCreate.createConnection.call(this, options, callback)
  }
}

export function isAppcuesHost(host: string | null | undefined): boolean {
  return typeof host === 'string' && APPCUES_HOSTS.includes(host.toLowerCase().replace(/\.$/, ''))
}

/** The simulator address Appcues' hosts are routed to in this process, or undefined when they go to Appcues. */
export function routedTarget(): string | undefined {
  return (https.globalAgent as unknown as { [ROUTE_MARK]?: string })[ROUTE_MARK]
}

/**
 * Routes every https request this process makes to one of Appcues' hosts to a simulator listening on this machine,
 * until the returned function is called. This is how the toolchain and the tests reach the simulator: nothing in
 * the destination's definition, settings or events can choose another host.
 */
export function routeAppcuesHostsTo(simulatorUrl: string): () => void {
  let url: URL
  try {
    url = new URL(simulatorUrl)
  } catch {
    throw new HostRouteError(
      `"${simulatorUrl}" is not an address. Give the simulator's, such as http://127.0.0.1:4567.`
    )
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
    throw new HostRouteError(
      `Only a simulator on this machine can stand in for Appcues: give an address such as http://127.0.0.1:4567, not "${simulatorUrl}".`
    )
  }
  // The URL parser drops a port that is the scheme's default: `http://127.0.0.1:80` names port 80 all the same.
  const port = url.port !== '' ? Number(url.port) : /^http:\/\/[^/?#]*:80(?:[/?#]|$)/i.test(simulatorUrl) ? 80 : 0
  if (port === 0) {
    throw new HostRouteError(
      `"${simulatorUrl}" names no port: give the simulator's, as it printed its address (such as http://127.0.0.1:4567).`
    )
  }
  const current = routedTarget()
  if (current !== undefined) {
    throw new HostRouteError(`Appcues' hosts are already routed to the simulator at ${current} in this process.`)
  }
  // A name under .localhost is loopback by definition (RFC 6761), which the system's resolver may not know.
  const address = url.hostname.endsWith('.localhost') ? 'localhost' : url.hostname.replace(/^\[(.*)\]$/, '$1')
  const previous = https.globalAgent
  const agent = new SimulatorRouteAgent(port, address, url.origin)
  https.globalAgent = agent
  return () => {
    if (https.globalAgent === agent) https.globalAgent = previous
    agent.destroy()
  }
}
