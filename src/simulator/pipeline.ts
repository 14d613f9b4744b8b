import type { IncomingMessage } from 'http'
import { checkApiKeyPair, checkLegacyKey } from './auth'
import { BodyError, parseJson } from './body'
import { HANDLERS } from './handlers'
import type { ResolvedOptions } from './options'
import type { SlidingWindowLimiter } from './rate-limit'
import type { Answer } from './respond'
import { appcuesError } from './respond'
import type { RouteMatch } from './routes'
import type { Store } from './store'
import { validateBody } from './validation'

export interface ApiRequest {
  req: IncomingMessage
  route: RouteMatch
  method: string
  raw: Buffer
  now: number
}

export interface PipelineContext {
  options: ResolvedOptions
  store: Store
  limiter: SlidingWindowLimiter
}

/** Authentication, account, rate limit, body and contract checks, then the route's handler. */
export function answerApiRequest({ req, route, method, raw, now }: ApiRequest, context: PipelineContext): Answer {
  const { options, store, limiter } = context
  const { credentials } = options
  const authorization = req.headers.authorization
  const refused =
    route.name === 'gdprDelete'
      ? checkLegacyKey(authorization, credentials)
      : checkApiKeyPair(authorization, credentials)
  if (refused) return appcuesError(401, refused, { 'www-authenticate': 'Basic realm="Appcues"' })

  if (route.accountId !== undefined && route.accountId !== String(credentials.accountId)) {
    return appcuesError(404, `No account "${route.accountId}" is reachable with this API key.`)
  }

  const waitMs = limiter.take(route.accountId ?? 'gdpr', now)
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000)
    return appcuesError(
      429,
      `The account rate limit of ${options.rateLimit} requests per second was exceeded; retry after ${seconds} s.`,
      { 'retry-after': String(seconds) }
    )
  }

  let body: unknown
  if (method === 'POST' || method === 'PATCH') {
    try {
      body = parseJson(req.headers['content-type'], raw)
    } catch (error) {
      if (error instanceof BodyError) return appcuesError(error.status, error.message)
      throw error
    }
    const problem = validateBody(route.name, body)
    if (problem) return appcuesError(400, `Invalid request body: ${problem}.`)
  }

  return HANDLERS[route.name]({
    route,
    method,
    body,
    accountId: credentials.accountId,
    store,
    rejectDropped: options.rejectDropped
  })
}
