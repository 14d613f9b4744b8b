import type { ServerResponse } from 'http'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** An error in Appcues' v2 shape: `{error, status, title, detail}` (details end without a period, like Appcues'). */
export function appcuesError(status: number, detail: string, headers?: Record<string, string>): Answer {
  const text = detail.replace(/\.$/, '')
  return { status, body: { error: true, status, title: TITLES[status] ?? 'Error', detail: text }, headers }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Writes the answer; with `slowMs`, the body goes out in pieces spread over that time. */
export async function send(res: ServerResponse, answer: Answer, slowMs = 0): Promise<void> {
  const payload = answer.body === undefined ? '' : JSON.stringify(answer.body)
  const headers: Record<string, string | number> = { ...answer.headers }
  if (payload) headers['content-type'] = 'application/json; charset=utf-8'
  headers['content-length'] = Buffer.byteLength(payload)
  res.writeHead(answer.status, headers)
  if (slowMs <= 0 || !payload) {
    res.end(payload)
    return
  }
  res.flushHeaders()
  const pieces = Math.min(5, payload.length)
  const size = Math.ceil(payload.length / pieces)
  for (let i = 0; i < payload.length; i += size) {
    await sleep(slowMs / pieces)
    if (res.destroyed) return
    res.write(payload.slice(i, i + size))
  }
  res.end()
}
