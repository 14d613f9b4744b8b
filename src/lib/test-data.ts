import Chance from 'chance'
import type { ActionDefinition, DestinationDefinition, GlobalSetting, InputField } from '@segment/actions-core'

/**
 * Seeded test data for snapshot tests, with the same behaviour as the monorepo's generator on the points that decide
 * whether a destination's snapshot tests pass there:
 * - settings get a random value of their type and ignore `choices` (a Region setting gets random text);
 * - numbers are random decimals with two digits, negative too unless a minimum is set; integers are unbounded;
 * - action fields with `choices` get one of them; only action fields do.
 * - every value comes from a fresh generator on the same seed, so all strings of one test are the same string.
 */

type AnyField = Pick<InputField | GlobalSetting, 'type' | 'format' | 'minimum' | 'maximum'> & {
  choices?: InputField['choices']
}
// Snapshot tests pass these straight into events and settings of any shape, as the monorepo's helper does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>

const FIXED_DATETIME = '2021-02-01T00:00:00.000Z'

const pad = (value: number) => String(value).padStart(2, '0')

function randomString(chance: Chance.Chance, format: string | undefined): string {
  switch (format) {
    case 'date': {
      const date = chance.date()
      return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map(pad).join('-')
    }
    case 'time': {
      const date = chance.date()
      return [date.getHours(), date.getMinutes(), date.getSeconds()].map(pad).join(':')
    }
    case 'date-time':
      return chance.date().toISOString()
    case 'email':
      return chance.email()
    case 'hostname':
      return chance.domain()
    case 'ipv4':
      return chance.ip()
    case 'ipv6':
      return chance.ipv6()
    case 'uri':
      return chance.url()
    case 'uuid':
      return chance.guid()
    default:
      return chance.string()
  }
}

function bounds(field: AnyField): { min?: number; max?: number } {
  return {
    ...(field.minimum !== undefined && { min: field.minimum }),
    ...(field.maximum !== undefined && { max: field.maximum })
  }
}

function randomValue(chance: Chance.Chance, field: AnyField): unknown {
  switch (field.type) {
    case 'boolean':
      return chance.bool()
    case 'datetime':
      return FIXED_DATETIME
    case 'integer':
      return chance.integer(bounds(field))
    case 'number':
      return chance.floating({ ...bounds(field), fixed: 2 })
    case 'text':
      return chance.sentence()
    case 'object':
      return { testType: chance.string() }
    default:
      return randomString(chance, field.format)
  }
}

/** A value for one action field: one of its choices when it has any, else a random value of its type. */
function fieldValue(seed: string, key: string, field: AnyField): unknown {
  const chance = new Chance(seed)
  if (Array.isArray(field.choices)) {
    const choice = chance.pickone(field.choices as Array<string | { value: unknown }>)
    return typeof choice === 'object' && choice.value ? choice.value : choice
  }
  const value = randomValue(chance, field)
  if (key === 'email') return chance.email()
  if (key === 'currency') return chance.currency().code
  if (key === 'phone_number') return `+${chance.phone({ formatted: false })}`
  return value
}

function isWanted(key: string, field: InputField, requiredOnly: boolean): boolean {
  return !requiredOnly || Boolean(field.required) || key.includes('id') || key.includes('consent')
}

function actionFieldValue(seed: string, key: string, field: InputField, requiredOnly: boolean): unknown {
  if (field.properties) {
    const nested: Data = {}
    for (const [childKey, child] of Object.entries(field.properties)) {
      if (requiredOnly && !child.required) continue
      const value = fieldValue(seed, childKey, child)
      nested[childKey] = child.multiple ? [value] : value
    }
    return nested
  }
  if (key === 'consent') return { categoryPreferences: { analytics: true, marketing: false } }
  return fieldValue(seed, key, field)
}

/**
 * `[eventData, settingsData]` for one action. With `requiredOnly`, only required fields and fields whose key contains
 * `id` or `consent` are filled.
 */
export function generateTestData(
  seed: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  destination: DestinationDefinition<any>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  action: ActionDefinition<any>,
  requiredOnly: boolean
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): [any, any] {
  const settingsData: Data = {}
  for (const [key, setting] of Object.entries(destination.authentication?.fields ?? {})) {
    settingsData[key] = randomValue(new Chance(seed), setting)
  }

  const eventData: Data = {}
  for (const [key, field] of Object.entries(action.fields)) {
    if (!isWanted(key, field, requiredOnly)) continue
    const value = actionFieldValue(seed, key, field, requiredOnly)
    eventData[key] = field.multiple ? [value] : value
  }
  return [eventData, settingsData]
}
