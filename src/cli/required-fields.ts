import type { AnyDestination } from './load-destination'

/** A field's or setting's `required`: true, false, or a condition object that makes it required when it holds. */
type Required = unknown

interface Condition {
  fieldKey?: string
  type?: string
  operator?: string
  value?: unknown
}

interface Described {
  required?: Required
}

/**
 * The monorepo's `list-required-fields` report of one destination, keyed by its name: `settings` lists the required
 * settings, then each action that has required fields lists them. A conditional `required` counts as required, and
 * an action without required fields is left out, as there.
 */
export type RequiredFieldsReport = Record<string, Record<string, string[]>>

const requiredKeys = (fields: Record<string, Described> | undefined) =>
  Object.entries(fields ?? {})
    .filter(([, field]) => Boolean(field.required))
    .map(([key]) => key)

export function requiredFieldsReport(definition: AnyDestination): RequiredFieldsReport {
  const entry: Record<string, string[]> = { settings: requiredKeys(definition.authentication?.fields) }
  for (const [key, action] of Object.entries(definition.actions)) {
    const required = requiredKeys(action.fields)
    if (required.length > 0) entry[key] = required
  }
  return { [definition.name]: entry }
}

function describeCondition(condition: Condition): string {
  const subject = condition.fieldKey ?? condition.type ?? 'a field'
  const verb = condition.operator === 'is_not' ? 'is not' : 'is'
  const value = Array.isArray(condition.value) ? condition.value.join(' or ') : String(condition.value)
  return `${subject} ${verb} ${value}`
}

/** " (when type is track)" for a conditional `required`; nothing for a plain one. */
function whenRequired(required: Required): string {
  if (typeof required !== 'object' || required === null) return ''
  const { match, conditions } = required as { match?: string; conditions?: Condition[] }
  if (!Array.isArray(conditions) || conditions.length === 0) return ''
  return ` (when ${conditions.map(describeCondition).join(match === 'any' ? ' or ' : ' and ')})`
}

function listed(fields: Record<string, Described> | undefined): string {
  const keys = requiredKeys(fields)
  if (keys.length === 0) return 'none'
  return keys.map((key) => `${key}${whenRequired(fields?.[key]?.required)}`).join(', ')
}

/** The same facts for people: every action, those without required fields too, and the conditions. */
export function requiredFieldsText(definition: AnyDestination, place: string): string[] {
  const width = Math.max('settings'.length, ...Object.keys(definition.actions).map((key) => key.length)) + 1
  const line = (label: string, text: string) => `  ${`${label}:`.padEnd(width)} ${text}`
  return [
    `Required fields of "${definition.name}" (${place}):`,
    line('settings', listed(definition.authentication?.fields)),
    ...Object.entries(definition.actions).map(([key, action]) => line(key, listed(action.fields)))
  ]
}
