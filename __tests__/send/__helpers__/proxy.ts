import http from 'http'
import type { AddressInfo, Socket } from 'net'
import type { Simulator } from '../../../src/simulator'
import { targetArgs } from '../helpers'

export type ProxyDecision = 'forward' | 'hold' | { status: number; body: unknown }

/** Appcues' answer to a request it could not take now. */
export const UNAVAILABLE: ProxyDecision = {
  status: 503,
  body: { error: true, status: 503, title: 'Service Unavailable', detail: 'Try again.' }
}

const running: Array<() => Promise<void>> = []

/**
 * A proxy in front of the simulator that decides, for each request (with its whole body), whether to forward it, to
 * hold it without an answer, or to answer it itself. Resolves to its address; `closeProxies` stops every one.
 */
export async function proxyInFront(
  target: string,
  decide: (req: http.IncomingMessage, body: Buffer) => ProxyDecision
): Promise<string> {
  const upstream = new URL(target)
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const decision = decide(req, body)
      if (decision === 'hold') return
      if (decision !== 'forward') {
        res.writeHead(decision.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(decision.body))
        return
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      forward.on('error', () => res.destroy())
      forward.end(body)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  running.push(async () => {
    sockets.forEach((socket) => socket.destroy())
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export async function closeProxies(): Promise<void> {
  await Promise.all(running.splice(0).map((close) => close()))
}

/** `send`'s flags for the simulator's account, with its requests going through the proxy at `endpoint`. */
export function targetThrough(sim: Simulator, endpoint: string): string[] {
  const args = targetArgs(sim)
  args[args.indexOf('--endpoint') + 1] = endpoint
  return args
}
