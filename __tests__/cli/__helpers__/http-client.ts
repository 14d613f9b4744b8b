import http from 'http'

export interface HttpAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, read freely by the tests
  json: any
}

export interface HttpCall {
  method?: string
  body?: unknown
  /** Sent as it is, instead of JSON-encoding `body`. */
  raw?: string | Buffer
  headers?: Record<string, string>
}

/** A plain node http call to the local server, so that tests control the Host header and the body bytes. */
export function call(baseUrl: string, path: string, options: HttpCall = {}): Promise<HttpAnswer> {
  const url = new URL(path, baseUrl)
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json', ...options.headers }
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json })
        })
      }
    )
    request.on('error', reject)
    request.end(payload)
  })
}
