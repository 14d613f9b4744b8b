import type { DecoratedResponse } from '@segment/actions-core'
import { REDACTED } from './secrets'

/** One HTTP call the destination made, as Segment's `serve` reports it. */
export interface Exchange {
  request: { url: string; method: string; headers: Record<string, string>; body: string }
  response: { statusCode: number; statusMessage: string; headers: Record<string, string>; body: unknown }
}

/** Headers that carry credentials or identify a session (Segment's list, plus anything named like a secret). */
const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'www-authenticate',
  'proxy-authenticate',
  'x-csrf-token',
  'x-xsrf-token',
  'x-api-key',
  'x-client-id',
  'x-uid',
  'x-requested-with',
  'x-forwarded-for',
  'x-real-ip',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-user-agent'
])
const SECRET_NAME = /(auth|token|secret|password|api[-_]?key|session|signature|credential|cookie)/i

export function redactHeaders(headers: { forEach(callback: (value: string, key: string) => void): void }) {
  const result: Record<string, string> = {}
  headers.forEach((value, key) => {
    result[key] = SENSITIVE_HEADERS.has(key.toLowerCase()) || SECRET_NAME.test(key) ? REDACTED : value
  })
  return result
}

/** The URL with the values of secret-looking query parameters (api_key=…, token=…) redacted. */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  let changed = false
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_NAME.test(key)) {
      parsed.searchParams.set(key, REDACTED)
      changed = true
    }
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? REDACTED : ''
    parsed.password = parsed.password ? REDACTED : ''
    changed = true
  }
  return changed ? parsed.toString() : url
}

async function summarise(response: DecoratedResponse): Promise<Exchange> {
  const request = response.request.clone()
  return {
    request: {
      url: redactUrl(request.url),
      method: request.method,
      headers: redactHeaders(request.headers),
      body: (await request.text()) ?? ''
    },
    response: {
      statusCode: response.status,
      statusMessage: response.statusText,
      headers: redactHeaders(response.headers),
      body: response.data ?? response.content
    }
  }
}

/** The exchanges recorded by an actions-core Destination, in order. */
export function summariseExchanges(responses: DecoratedResponse[]): Promise<Exchange[]> {
  return Promise.all(responses.map(summarise))
}
