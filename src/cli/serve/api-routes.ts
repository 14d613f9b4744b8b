import path from 'path'
import type { AnyDestination } from '../load-destination'
import { authenticate, deletion, manifest, runAction } from './destination-routes'
import type { RouteAnswer } from './destination-routes'

type Handler = (body: Record<string, unknown>) => Promise<RouteAnswer> | RouteAnswer

export interface ApiRoute {
  method: 'GET' | 'POST'
  path: string
  handler: Handler
  /** Where the password settings of this route's request are. */
  settingsOf: (body: Record<string, unknown>) => unknown
}

/** Segment's routes for the definition as it is now (actions come and go when the source reloads). */
export function apiRoutes(definition: AnyDestination, directory: string): ApiRoute[] {
  const settingsField = (body: Record<string, unknown>) => body.settings
  const routes: ApiRoute[] = [
    {
      method: 'GET',
      path: '/manifest',
      handler: () => manifest(definition, path.basename(directory)),
      settingsOf: () => undefined
    },
    {
      method: 'POST',
      path: '/authenticate',
      handler: (body) => authenticate(definition, body),
      settingsOf: (body) => body
    }
  ]
  if (definition.onDelete) {
    routes.push({
      method: 'POST',
      path: '/delete',
      handler: (body) => deletion(definition, body),
      settingsOf: settingsField
    })
  }
  for (const key of Object.keys(definition.actions)) {
    routes.push({
      method: 'POST',
      path: `/${key}`,
      handler: (body) => runAction(definition, key, body),
      settingsOf: settingsField
    })
  }
  return routes
}
