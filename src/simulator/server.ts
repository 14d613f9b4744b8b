import type { IncomingMessage, ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import { guardRefusal, isLoopbackHost } from '../local-server/origins'
import type { GuardRules } from '../local-server/origins'
import { createTimedServer } from '../local-server/timeouts'
import { describeTarget, requestPathname } from '../local-server/request-target'
import { APPCUES_HOSTS } from './host-route'
import { BodyError, readBody } from './body'
import { FaultInjector } from './faults'
import type { FaultOptions, SimulatorCredentials, SimulatorOptions } from './options'
import { checkFaults, resolveOptions } from './options'
import { answerApiRequest } from './pipeline'
import type { PipelineContext } from './pipeline'
import { SlidingWindowLimiter } from './rate-limit'
import type { Answer } from './respond'
import { appcuesError, send } from './respond'
import { BadPathError, matchRoute } from './routes'
import type { RequestRecord, SimulatorCounts, SimulatorState } from './store'
import { Store } from './store'

export interface Simulator {
  /** `http://127.0.0.1:<port>`: route Appcues' hosts here with `routeAppcuesHostsTo`. */
  url: string
  port: number
  credentials: SimulatorCredentials
  /** A deep copy of everything received so far. */
  state(): SimulatorState
  counts(): SimulatorCounts
  /** Forgets everything received and the rate-limit windows. */
  reset(): void
  /** Replaces the fault settings (and restarts the dice from their seed). */
  setFaults(faults: FaultOptions): void
  /** Holds every API request that arrives from now on until `resume()`; held requests whose client left are dropped. */
  pause(): void
  resume(): void
  /** How many API requests `pause()` is holding now. */
  held(): number
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

class Gate {
  private opened: Promise<void> = Promise.resolve()
  private release?: () => void
  /** Requests waiting at the closed gate. */
  waiting = 0

  close(): void {
    if (this.release) return
    this.opened = new Promise((resolve) => (this.release = resolve))
  }

  open(): void {
    this.release?.()
    this.release = undefined
  }

  async wait(): Promise<void> {
    if (!this.release) return
    this.waiting++
    try {
      await this.opened
    } finally {
      this.waiting--
    }
  }
}

interface Runtime extends PipelineContext {
  faults: FaultInjector
  gate: Gate
  guard: GuardRules
}

function clientGone(req: IncomingMessage): boolean {
  return req.socket.destroyed
}

function adminAnswer(method: string, path: string, runtime: Runtime): Answer {
  if (path === '/_simulator/state' && method === 'GET') return { status: 200, body: runtime.store.state() }
  if ((path === '/_simulator/reset' && method === 'POST') || (path === '/_simulator/state' && method === 'DELETE')) {
    runtime.store.reset()
    runtime.limiter.reset()
    return { status: 204 }
  }
  if (path === '/_simulator/health' && method === 'GET') return { status: 200, body: { ok: true } }
  return appcuesError(
    404,
    `The simulator has GET /_simulator/state, POST /_simulator/reset and GET /_simulator/health.`
  )
}

async function handle(req: IncomingMessage, res: ServerResponse, runtime: Runtime): Promise<void> {
  const at = Date.now()
  const method = (req.method ?? 'GET').toUpperCase()
  const path = req.url ?? '/'
  const record = (status: number, extra: Partial<RequestRecord> = {}) =>
    runtime.store.addRequest({ at, method, path, status, ...extra })

  // Every local server's rules: no answer to a page that reached the port through DNS rebinding or from another origin.
  const refused = guardRefusal(req, runtime.guard)
  if (refused) {
    await send(res, appcuesError(403, refused))
    return
  }

  if (requestPathname(path) === undefined) {
    record(400)
    await send(res, appcuesError(400, `The request target ${describeTarget(path)} is not a path.`))
    return
  }

  if (path.startsWith('/_simulator/')) {
    await send(res, adminAnswer(method, path.split('?')[0], runtime))
    return
  }

  let route
  try {
    route = matchRoute(path, req.headers.host)
  } catch (error) {
    if (!(error instanceof BadPathError)) throw error
    record(400)
    await send(res, appcuesError(400, error.message))
    return
  }
  if (!route) {
    record(404)
    await send(res, appcuesError(404, `No Appcues endpoint has the path ${path.split('?')[0]}.`))
    return
  }
  if (!route.methods.includes(method)) {
    record(405, { route: route.name })
    await send(
      res,
      appcuesError(405, `Use ${route.methods.join(' or ')} for this path.`, { allow: route.methods.join(', ') })
    )
    return
  }

  const fault = runtime.faults.decide(route.name)
  if (fault.drop) {
    record(0, { route: route.name, fault: 'drop' })
    req.socket.destroy()
    return
  }
  let raw: Buffer | undefined
  try {
    raw = await readBody(req, runtime.options.maxBodyBytes)
  } catch (error) {
    if (!(error instanceof BodyError)) throw error
    record(error.status, { route: route.name })
    await send(res, appcuesError(error.status, error.message))
    return
  }
  if (fault.latencyMs > 0) await sleep(fault.latencyMs)
  await runtime.gate.wait()
  if (raw === undefined || clientGone(req)) {
    record(0, { route: route.name })
    return
  }
  if (fault.status) {
    record(fault.status, { route: route.name, fault: 'error' })
    await send(res, appcuesError(fault.status, 'Injected fault: the simulator answers this status on purpose.'))
    return
  }
  const answer = answerApiRequest({ req, route, method, raw, now: at }, runtime)
  record(answer.status, { route: route.name, ...(fault.slowBodyMs > 0 ? { fault: 'slow' as const } : {}) })
  await send(res, answer, fault.slowBodyMs)
}

/** Starts an Appcues simulator: a real HTTP server answering every call the destination makes. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options)
  const runtime: Runtime = {
    options: resolved,
    store: new Store(resolved.maxRecords),
    limiter: new SlidingWindowLimiter(resolved.rateLimit),
    faults: new FaultInjector(resolved.faults),
    gate: new Gate(),
    guard: { loopbackOnly: isLoopbackHost(resolved.host), allowedOrigins: [], extraHosts: APPCUES_HOSTS }
  }
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, runtime).catch((error: Error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify(appcuesError(500, `Simulator bug: ${error.message}`).body))
      } else {
        res.destroy()
      }
    })
  }
  const server = createTimedServer(listener, options.timeouts)
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  // Listening on every interface: the address to print is this machine's own, which a local client can reach.
  const everyInterface: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' }
  const host = everyInterface[resolved.host] ?? resolved.host
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    credentials: { ...resolved.credentials },
    state: () => runtime.store.state(),
    counts: () => runtime.store.counts(),
    reset: () => {
      runtime.store.reset()
      runtime.limiter.reset()
    },
    setFaults: (faults) => {
      checkFaults(faults)
      runtime.faults.set(faults)
    },
    pause: () => runtime.gate.close(),
    resume: () => runtime.gate.open(),
    held: () => runtime.gate.waiting,
    close: () =>
      new Promise<void>((resolve, reject) => {
        runtime.gate.open()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}
