import http from 'http'
import type { AddressInfo } from 'net'

/** One request as it left the client: what a raw HTTP client needs to send it again. */
export interface CapturedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

export interface CountingProxy {
  url: string
  requests: number
  bodyBytes: number
  /** Every request in order of arrival, when the proxy was started with `record: true`; empty otherwise. */
  records: CapturedRequest[]
  reset(): void
  close(): Promise<void>
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** Forwards every request to `target` and counts requests and request-body bytes on the way. */
export async function startCountingProxy(target: string, options: { record?: boolean } = {}): Promise<CountingProxy> {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const proxy: CountingProxy = {
    url: '',
    requests: 0,
    bodyBytes: 0,
    records: [],
    reset() {
      proxy.requests = 0
      proxy.bodyBytes = 0
      proxy.records = []
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        agent.destroy()
      })
  }
  const server = http.createServer((req, res) => {
    proxy.requests++
    const record: CapturedRequest | undefined = options.record
      ? { method: req.method ?? 'GET', path: req.url ?? '/', headers: flatHeaders(req.headers), body: '' }
      : undefined
    if (record) proxy.records.push(record)
    const chunks: Buffer[] = []
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
      if (record) chunks.push(chunk)
    })
    req.on('end', () => {
      if (record) record.body = Buffer.concat(chunks).toString('utf8')
    })
    req.pipe(forward)
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
