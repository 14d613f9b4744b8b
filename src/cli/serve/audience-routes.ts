import { Destination } from '@segment/actions-core'
import type { AnyDestination } from '../load-destination'
import type { RouteAnswer } from './destination-routes'
import { errorOutput } from './errors'

type Body = Record<string, unknown>

/** Whether the definition creates and reads audiences (`audienceConfig` with createAudience and getAudience). */
export function supportsAudiences(definition: AnyDestination): boolean {
  const config = (definition as { audienceConfig?: Record<string, unknown> }).audienceConfig
  return typeof config?.createAudience === 'function' && typeof config.getAudience === 'function'
}

/** A failure as Segment's serve answers these two routes: 400 with ok false and the error. */
function failure(error: unknown): RouteAnswer {
  const { message } = errorOutput(error)
  return { status: 400, body: { ok: false, error: message }, note: message }
}

/** POST /createAudience: body {settings, audienceName, audienceSettings?, personas?}; answers {externalId}. */
export async function createAudience(definition: AnyDestination, body: Body): Promise<RouteAnswer> {
  try {
    const created = await new Destination(definition).createAudience(body as never)
    return { status: 200, body: created, note: `audience ${created.externalId}` }
  } catch (error) {
    return failure(error)
  }
}

/** POST /getAudience: body {settings, externalId, audienceSettings?}; answers {externalId}. */
export async function getAudience(definition: AnyDestination, body: Body): Promise<RouteAnswer> {
  try {
    return { status: 200, body: await new Destination(definition).getAudience(body as never) }
  } catch (error) {
    return failure(error)
  }
}
