import { Destination } from '@segment/actions-core'
import type { DecoratedResponse, JSONObject } from '@segment/actions-core'
import type { AnyDestination } from '../../load-destination'
import { supportsAudiences } from '../audience-routes'
import { errorOutput } from '../errors'
import { summariseExchanges } from '../exchanges'
import type { Exchange } from '../exchanges'
import { HttpError } from '../http'
import { instrumented } from './run'
import { settingsForRun } from './settings'
import type { SimulatorTarget } from '../appcues-target'
import type { RunTarget } from './settings'

/** What the page asks for: connect an audience, as Engage does when an audience is connected to the destination. */
export interface AudienceRequest {
  audienceName: string
  audienceSettings: JSONObject
  settings: unknown
}

export interface AudienceResult {
  ok: boolean
  /** The ID Engage would store and send with every event of the audience (context.personas.external_audience_id). */
  externalId?: string
  error?: { statusCode: number; message: string }
  exchanges: Exchange[]
  target: RunTarget
}

/** Checks the shape of a POST /playground/audience body. */
export function parseAudienceRequest(body: Record<string, unknown>, definition: AnyDestination): AudienceRequest {
  if (!supportsAudiences(definition)) throw new HttpError(400, 'This destination does not create audiences.')
  const { audienceName, audienceSettings } = body
  if (typeof audienceName !== 'string' || !audienceName.trim()) {
    throw new HttpError(400, '"audienceName" must be the audience’s name, for example "Trial users who invited".')
  }
  if (audienceSettings !== undefined && (typeof audienceSettings !== 'object' || audienceSettings === null)) {
    throw new HttpError(400, '"audienceSettings" must be a JSON object of audience settings.')
  }
  return {
    audienceName,
    audienceSettings: (audienceSettings ?? {}) as JSONObject,
    settings: body.settings
  }
}

/** Runs createAudience the way Engage does when an audience is connected, and collects its requests. */
export async function connectAudience(
  definition: AnyDestination,
  request: AudienceRequest,
  simulator?: SimulatorTarget
): Promise<AudienceResult> {
  const { settings, target } = settingsForRun(request.settings, simulator)
  const responses: DecoratedResponse[] = []
  const destination = new Destination(instrumented(definition, responses, undefined, () => undefined))
  const result: AudienceResult = { ok: false, exchanges: [], target }
  try {
    const { externalId } = await destination.createAudience({
      settings,
      audienceName: request.audienceName,
      audienceSettings: request.audienceSettings
    })
    Object.assign(result, { ok: true, externalId })
  } catch (error) {
    const { statusCode, message } = errorOutput(error)
    result.error = { statusCode, message }
  }
  result.exchanges = await summariseExchanges(responses)
  return result
}
