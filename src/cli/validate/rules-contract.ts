import type { ValidationContext } from './context'
import { error, warning } from './finding'
import type { Finding } from './finding'
import { isRecord, list, record, show } from './shape'
import type { Loose } from './shape'

/*
 * The compatibility contract (docs/upstream.md): this folder replaces the live "Appcues (Actions)" destination, so
 * its identity, its four settings and the `send` action's fields must stay as they are (the monorepo's rules F22, I38).
 */

export const LIVE_NAME = 'Appcues (Actions)'
export const LIVE_SLUG = 'actions-appcues'

interface KeptField {
  type: string
  required: boolean
  choices?: string[]
}

export const LIVE_SETTINGS: Record<string, KeptField> = {
  apiKey: { type: 'password', required: true },
  apiSecret: { type: 'password', required: true },
  accountId: { type: 'number', required: true },
  region: { type: 'string', required: true, choices: ['US', 'EU'] }
}

const OPTIONAL_STRING = { type: 'string', required: false }
const OPTIONAL_OBJECT = { type: 'object', required: false }

/** The live `send` action's fields; `event` is also required when the type is track (checked separately). */
export const LIVE_SEND_FIELDS: Record<string, KeptField> = {
  type: { type: 'string', required: true },
  userId: OPTIONAL_STRING,
  anonymousId: OPTIONAL_STRING,
  event: OPTIONAL_STRING,
  name: OPTIONAL_STRING,
  properties: OPTIONAL_OBJECT,
  user_traits: OPTIONAL_OBJECT,
  groupId: OPTIONAL_STRING,
  group_traits: OPTIONAL_OBJECT,
  context: OPTIONAL_OBJECT,
  integrations: OPTIONAL_OBJECT,
  timestamp: OPTIONAL_STRING,
  messageId: OPTIONAL_STRING
}

const KEEP = 'Existing subscriptions of the live destination rely on it (docs/upstream.md, the compatibility contract).'

export function contractRules(context: ValidationContext): Finding[] {
  return [...identityRules(context), ...settingRules(context), ...sendRules(context), ...presetRules(context)]
}

function identityRules({ definition }: ValidationContext): Finding[] {
  const expected: Array<[string, unknown, string]> = [
    ['name', definition.name, LIVE_NAME],
    ['slug', definition.slug, LIVE_SLUG],
    ['mode', definition.mode, 'cloud']
  ]
  return expected
    .filter(([, actual, wanted]) => actual !== wanted)
    .map(([key, actual, wanted]) =>
      error(
        'contract/identity',
        {},
        `The destination's ${key} is ${show(actual)}; the live destination's is "${wanted}".`,
        `Set \`${key}: '${wanted}'\`. ${KEEP}`
      )
    )
}

function isRequired(field: Loose): boolean {
  return Boolean(field.required)
}

function settingRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const settings = record(record(definition.authentication).fields)
  for (const [key, kept] of Object.entries(LIVE_SETTINGS)) {
    const place = { setting: key }
    if (!isRecord(settings[key])) {
      findings.push(
        error(
          'contract/settings',
          place,
          `The live setting "${key}" is missing.`,
          `Keep the setting "${key}" (type ${kept.type}, required). ${KEEP}`
        )
      )
      continue
    }
    const setting = settings[key]
    if (setting.type !== kept.type) {
      findings.push(
        error(
          'contract/settings',
          place,
          `The setting "${key}" has the type ${show(setting.type)}; the live one is ${kept.type}.`,
          `Set \`type: '${kept.type}'\`. ${KEEP}`
        )
      )
    }
    if (setting.required !== kept.required) {
      findings.push(
        error(
          'contract/settings',
          place,
          `The setting "${key}" has \`required: ${show(setting.required)}\`; the live one is required.`,
          `Set \`required: true\`. ${KEEP}`
        )
      )
    }
    if (kept.choices) {
      const values = list(setting.choices).map((choice) => (isRecord(choice) ? choice.value : choice))
      const missing = kept.choices.filter((value) => !values.includes(value))
      if (missing.length > 0) {
        findings.push(
          error(
            'contract/settings',
            place,
            `The setting "${key}" no longer offers ${missing.join(', ')}.`,
            `Keep the choices ${kept.choices.join(', ')}. ${KEEP}`
          )
        )
      }
    }
  }
  for (const [key, setting] of Object.entries(settings)) {
    if (key in LIVE_SETTINGS || !isRecord(setting) || !isRequired(setting)) continue
    findings.push(
      error(
        'contract/settings',
        { setting: key },
        `The new setting "${key}" is required; live destinations may not gain required settings (the monorepo's rule F22).`,
        `Make "${key}" optional and handle its absence in the code.`
      )
    )
  }
  return findings
}

function eventRequiredOnTrack(required: unknown): boolean {
  if (!isRecord(required) || !Array.isArray(required.conditions) || required.conditions.length !== 1) return false
  const condition = record(required.conditions[0])
  return condition.fieldKey === 'type' && condition.operator === 'is' && condition.value === 'track'
}

function sendRules({ definition }: ValidationContext): Finding[] {
  const send = record(definition.actions).send
  if (!isRecord(send)) {
    return [
      error(
        'contract/send',
        { action: 'send' },
        'The live action "send" is missing.',
        `Keep the "send" action with its fields. ${KEEP}`
      )
    ]
  }
  const findings: Finding[] = []
  const fields = record(send.fields)
  for (const [key, kept] of Object.entries(LIVE_SEND_FIELDS)) {
    const place = { action: 'send', field: key }
    if (!isRecord(fields[key])) {
      findings.push(
        error(
          'contract/send',
          place,
          `The "send" action has lost the field "${key}".`,
          `Restore the field "${key}" (type ${kept.type}). ${KEEP}`
        )
      )
      continue
    }
    const field = fields[key]
    if (field.type !== kept.type || field.multiple === true) {
      findings.push(
        error(
          'contract/send',
          place,
          `The field "${key}" of "send" has the type ${show(field.type)}${
            field.multiple === true ? ' (multiple)' : ''
          }; the live one is a single ${kept.type}.`,
          `Set \`type: '${kept.type}'\` without \`multiple\`. ${KEEP}`
        )
      )
    }
    if (key === 'event') {
      if (!eventRequiredOnTrack(field.required)) {
        findings.push(
          error(
            'contract/send',
            place,
            `The field "event" of "send" has \`required: ${show(
              field.required
            )}\`; the live one is required only when the type is track.`,
            `Set \`required: { match: 'all', conditions: [{ fieldKey: 'type', operator: 'is', value: 'track' }] }\`. ${KEEP}`
          )
        )
      }
    } else if (isRequired(field) !== kept.required) {
      findings.push(
        error(
          'contract/send',
          place,
          `The field "${key}" of "send" has \`required: ${show(field.required)}\`; the live one is ${
            kept.required ? 'required' : 'optional'
          }.`,
          `Set \`required: ${String(kept.required)}\`${kept.required ? '' : ' or remove it'}. ${KEEP}`
        )
      )
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    if (key in LIVE_SEND_FIELDS) continue
    const place = { action: 'send', field: key }
    if (isRecord(field) && isRequired(field)) {
      findings.push(
        error(
          'contract/send',
          place,
          `The new field "${key}" of "send" is required; the live action may not gain required fields.`,
          `Make "${key}" optional.`
        )
      )
    } else {
      findings.push(
        warning(
          'contract/send',
          place,
          `The "send" action has a field "${key}" that the live action does not have.`,
          `Keep "send" as it is live; put new behaviour in the new actions.`
        )
      )
    }
  }
  return findings
}

function presetRules({ definition }: ValidationContext): Finding[] {
  return list(definition.presets)
    .map(record)
    .filter((preset) => preset.partnerAction === 'send')
    .map((preset) =>
      warning(
        'contract/presets',
        { preset: String(preset.name), action: 'send' },
        `The preset "${String(preset.name)}" uses the legacy "send" action.`,
        'Point new presets at the new actions (identifyUser, trackEvent, pageView, identifyGroup); "send" stays only for existing mappings.'
      )
    )
}
