import { Destination } from '@segment/actions-core'
import type { ActionHookType } from '@segment/actions-core/destination-kit'
import { isObject } from '../event-shape'
import type { AnyDestination } from '../load-destination'
import type { RouteAnswer } from './destination-routes'

/*
 * What the mapping UI asks while a mapping is being edited or saved: the choices of a dynamic field, and an action's
 * hooks (with the choices of their dynamic inputs). Each answers 200 with the result, or 500 with the error in a
 * one-element array, as Segment's serve does.
 */

type Body = Record<string, unknown>
type Result = { error?: unknown }

/** The value when it is a JSON object; anything else counts as an empty one (the other routes answer 400 instead). */
const asObject = (value: unknown) => (isObject(value) ? value : {})

/** What the UI sends along with every one of these requests. */
function common(body: Body) {
  return {
    settings: asObject(body.settings),
    payload: asObject(body.payload),
    page: body.page ?? 1,
    auth: asObject(body.auth),
    audienceSettings: asObject(body.audienceSettings)
  }
}

function asError(error: unknown): Record<string, unknown> {
  const { message, code, status } = error as { message?: unknown; code?: unknown; status?: unknown }
  return { message: typeof message === 'string' ? message : String(error), code, status }
}

async function answer(run: () => Promise<Result>, what: string): Promise<RouteAnswer> {
  try {
    const result = await run()
    if (result.error)
      return { status: 500, body: [asError(result.error)], note: `${what}: ${asError(result.error).message as string}` }
    return { status: 200, body: result }
  } catch (error) {
    return { status: 500, body: [asError(error)], note: `${what}: ${asError(error).message as string}` }
  }
}

/** The hooks of an action, with the keys of their inputs that have choices of their own. */
export function hooksOf(
  definition: AnyDestination,
  actionKey: string
): Array<{ hook: string; dynamicInputs: string[] }> {
  const hooks = definition.actions[actionKey]?.hooks ?? {}
  return Object.entries(hooks).map(([hook, spec]) => ({
    hook,
    dynamicInputs: Object.entries(spec?.inputFields ?? {})
      .filter(([, field]) => typeof field.dynamic === 'function')
      .map(([key]) => key)
  }))
}

/** POST /<action>/<field>: the choices of a dynamic field. */
export function dynamicField(definition: AnyDestination, actionKey: string, field: string, body: Body) {
  const action = new Destination(definition).actions[actionKey]
  const data = { ...common(body), dynamicFieldContext: asObject(body.dynamicFieldContext) }
  return answer(() => action.executeDynamicField(field, data as never) as Promise<Result>, `choices of ${field}`)
}

/** POST /<action>/hooks/<hook>: runs the hook with `hookInputs`; answers its message and saved data. */
export function hook(definition: AnyDestination, actionKey: string, hookName: string, body: Body) {
  const action = new Destination(definition).actions[actionKey]
  const data = { ...common(body), hookInputs: asObject(body.hookInputs), hookOutputs: asObject(body.hookOutputs) }
  return answer(() => action.executeHook(hookName as ActionHookType, data as never), `hook ${hookName}`)
}

/** POST /<action>/hooks/<hook>/dynamic/<input>: the choices of a hook input. */
export function hookInputChoices(
  definition: AnyDestination,
  actionKey: string,
  hookName: string,
  input: string,
  body: Body
) {
  const action = new Destination(definition).actions[actionKey]
  const fetch = definition.actions[actionKey].hooks?.[hookName as ActionHookType]?.inputFields?.[input]?.dynamic
  const data = {
    ...common(body),
    hookInputs: asObject(body.hookInputs),
    dynamicFieldContext: asObject(body.dynamicFieldContext)
  }
  return answer(
    () => action.executeDynamicField(input, data as never, fetch as never) as Promise<Result>,
    `choices of ${hookName}.${input}`
  )
}
