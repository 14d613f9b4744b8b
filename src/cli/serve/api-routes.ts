import path from 'path'
import type { AnyDestination } from '../load-destination'
import { authenticate, deletion, manifest, runAction } from './destination-routes'
import type { RouteAnswer } from './destination-routes'
import { createAudience, getAudience, supportsAudiences } from './audience-routes'
import { dynamicField, hook, hookInputChoices, hooksOf } from './mapping-routes'

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
  const post = (routePath: string, handler: Handler): ApiRoute => ({
    method: 'POST',
    path: routePath,
    handler,
    settingsOf: settingsField
  })
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
  if (definition.onDelete) routes.push(post('/delete', (body) => deletion(definition, body)))
  if (supportsAudiences(definition)) {
    routes.push(
      post('/createAudience', (body) => createAudience(definition, body)),
      post('/getAudience', (body) => getAudience(definition, body))
    )
  }
  for (const key of Object.keys(definition.actions)) {
    routes.push(post(`/${key}`, (body) => runAction(definition, key, body)))
    for (const field of Object.keys(definition.actions[key].dynamicFields ?? {})) {
      routes.push(post(`/${key}/${field}`, (body) => dynamicField(definition, key, field, body)))
    }
    for (const { hook: name, dynamicInputs } of hooksOf(definition, key)) {
      routes.push(post(`/${key}/hooks/${name}`, (body) => hook(definition, key, name, body)))
      for (const input of dynamicInputs) {
        routes.push(
          post(`/${key}/hooks/${name}/dynamic/${input}`, (body) => hookInputChoices(definition, key, name, input, body))
        )
      }
    }
  }
  return routes
}
