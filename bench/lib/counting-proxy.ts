import http from 'http'
import type { AddressInfo } from 'net'

export interface CountingProxy {
  url: string
  requests: number
  bodyBytes: number
  reset(): void
  close(): Promise<void>
}

/** Forwards every request to `target` and counts requests and request-body bytes on the way. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const proxy: CountingProxy = {
    url: '',
    requests: 0,
    bodyBytes: 0,
    reset() {
      proxy.requests = 0
      proxy.bodyBytes = 0
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
  const server = http.createServer((req, res) => {
    proxy.requests++
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.on('data', (chunk: Buffer) => {
      proxy.bodyBytes += chunk.length
    })
    req.pipe(forward)
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
