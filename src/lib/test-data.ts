import Chance from 'chance'
import type { ActionDefinition, DestinationDefinition, GlobalSetting, InputField } from '@segment/actions-core'

type AnyField = Pick<InputField | GlobalSetting, 'type' | 'choices' | 'format' | 'minimum' | 'maximum'>
// Snapshot tests pass these straight into events and settings of any shape, as the monorepo's helper does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>

const FIXED_DATETIME = '2021-02-01T00:00:00.000Z'

function randomString(chance: Chance.Chance, format: string | undefined): string {
  switch (format) {
    case 'date-time':
      return chance.date().toISOString()
    case 'date':
      return chance.date().toISOString().slice(0, 10)
    case 'email':
      return chance.email()
    case 'uri':
      return chance.url()
    case 'uuid':
      return chance.guid()
    case 'hostname':
      return chance.domain()
    case 'ipv4':
      return chance.ip()
    default:
      return chance.string()
  }
}

/** One value for one field. Each call starts from the same seed, so every test run produces the same data. */
function valueFor(seed: string, field: AnyField): unknown {
  const chance = new Chance(seed)
  if (Array.isArray(field.choices) && field.choices.length > 0) {
    const choice = chance.pickone(field.choices as Array<string | { value: unknown }>)
    return typeof choice === 'object' ? choice.value : choice
  }
  switch (field.type) {
    case 'boolean':
      return chance.bool()
    case 'datetime':
      return FIXED_DATETIME
    case 'integer':
      return chance.integer({ min: -1000, max: 1000 })
    case 'number':
      return chance.natural({ min: field.minimum ?? 1, max: field.maximum ?? 999999 })
    case 'text':
      return chance.sentence()
    case 'object':
      return { testType: chance.string() }
    default:
      return randomString(chance, field.format)
  }
}

function isWanted(key: string, field: InputField, requiredOnly: boolean): boolean {
  return !requiredOnly || Boolean(field.required) || key.toLowerCase().includes('id')
}

/**
 * Seeded test data for snapshot tests: `[eventData, settingsData]`. With `requiredOnly`, only required fields and
 * fields whose key names an id are filled.
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
    settingsData[key] = valueFor(seed, setting)
  }

  const eventData: Data = {}
  for (const [key, field] of Object.entries(action.fields)) {
    if (!isWanted(key, field, requiredOnly)) continue
    let value: unknown
    if (field.properties) {
      const nested: Data = {}
      for (const [childKey, child] of Object.entries(field.properties)) {
        if (!requiredOnly || child.required) nested[childKey] = valueFor(seed, child)
      }
      value = nested
    } else {
      value = valueFor(seed, field)
    }
    eventData[key] = field.multiple ? [value] : value
  }
  return [eventData, settingsData]
}
