import { IntegrationError, InvalidAuthenticationError, RetryableError } from '@segment/actions-core'
import { AggregateAjvError } from '@segment/ajv-human-errors'
import type { InputField } from '@segment/actions-core'
import { matchRoute } from '../../src/simulator/routes'
import { validateBody } from '../../src/simulator/validation'

/** Errors a destination may surface: actions-core's classes, and the framework's own schema-validation error. */
export function assertActionsCoreError(error: unknown): void {
  const known =
    error instanceof IntegrationError ||
    error instanceof InvalidAuthenticationError ||
    error instanceof RetryableError ||
    error instanceof AggregateAjvError
  if (!known) {
    const name = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)
    throw new Error(`expected an actions-core error class, got ${name}`)
  }
}

/** A rejection of bad input must name the field (by key or label) so the user knows what to fix. */
export function assertNamesAField(error: Error, fields: Record<string, InputField>): void {
  const message = error.message.toLowerCase()
  const names = Object.entries(fields).flatMap(([key, field]) => [key.toLowerCase(), field.label.toLowerCase()])
  if (!names.some((name) => message.includes(name))) {
    throw new Error(`the message "${error.message}" names none of the fields ${Object.keys(fields).join(', ')}`)
  }
}

/** Appcues keeps only flat string, number, boolean (and null) values; `_` keys are Appcues' own. */
export function assertFlatAttributes(attributes: unknown): void {
  if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new Error(`attributes must be an object, got ${JSON.stringify(attributes)}`)
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('_'))
      throw new Error(`attribute "${key}" starts with _ and would overwrite an Appcues attribute`)
    if (value === '') throw new Error(`attribute "${key}" is an empty string`)
    const flat = value === null || ['string', 'number', 'boolean'].includes(typeof value)
    if (!flat) throw new Error(`attribute "${key}" is not flat: ${JSON.stringify(value)}`)
  }
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',')

/** Throws if anything added to or replaced on Object.prototype. */
export function assertPrototypeClean(): void {
  const keys = Object.getOwnPropertyNames(Object.prototype).sort().join(',')
  const probe = {} as Record<string, unknown>
  if (keys !== PROTOTYPE_KEYS || probe.polluted !== undefined || probe.isAdmin !== undefined) {
    throw new Error('Object.prototype was polluted')
  }
}

/** Appcues paths have a fixed shape: an id may never add, remove or navigate path segments. */
export function assertPathShape(url: string): void {
  const { pathname } = new URL(url)
  const shapes = [
    /^\/v2\/accounts\/\d+\/users\/[^/]+\/(profile|events)$/,
    /^\/v2\/accounts\/\d+\/groups\/[^/]+\/(profile|users)$/,
    /^\/v1\/gdpr\/delete$/,
    /^\/v2\/accounts\/\d+\/segment\/direct$/,
    /^\/v2\/accounts\/\d+\/segments(\/[^/]+\/(add|remove)_user_ids)?$/
  ]
  if (!shapes.some((shape) => shape.test(pathname))) throw new Error(`unexpected request path ${pathname}`)
  if (pathname.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`path ${pathname} navigates`)
  }
}

/**
 * The body must pass the Appcues simulator's contract: the request reaches one of its routes with a method that
 * route answers, and the body satisfies the route's JSON Schema (the same ajv check the simulator runs).
 */
export function assertSimulatorContract(url: string, method: string, body: unknown): void {
  const { pathname, host } = new URL(url)
  const route = matchRoute(pathname, host)
  if (!route) throw new Error(`the simulator has no route ${method} ${pathname}`)
  if (!route.methods.includes(method))
    throw new Error(`the simulator answers ${pathname} only to ${route.methods.join(', ')}`)
  const problem = method === 'GET' ? undefined : validateBody(route.name, body)
  if (problem) throw new Error(`the simulator's contract refuses ${method} ${pathname}: ${problem}`)
}
