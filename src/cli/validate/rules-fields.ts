import { isDirective } from '@segment/actions-core'
import type { FieldValue } from '@segment/actions-core'
import type { ValidationContext } from './context'
import { error, warning } from './finding'
import type { Finding, Place } from './finding'
import { isRecord, list, record, recordEntries, show } from './shape'
import type { Loose } from './shape'

const SETTING_TYPES = ['boolean', 'string', 'password', 'number']
const FIELD_TYPES = ['string', 'text', 'number', 'integer', 'datetime', 'boolean', 'password', 'object']
const FORMATS = [
  'date',
  'time',
  'date-time',
  'uri',
  'uri-reference',
  'uri-template',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'password',
  'text'
]
const SCHEMES = ['basic', 'custom', 'oauth2', 'oauth-managed']

const directive = (value: unknown): boolean => isDirective(value as FieldValue)

/** Section G, rules 25, 26 and 28: types, formats and literal defaults that actions-core accepts. */
export function fieldRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const authentication = definition.authentication
  if (authentication !== undefined) {
    const scheme = record(authentication).scheme
    if (!SCHEMES.includes(String(scheme))) {
      findings.push(
        error('G25', {}, `The authentication scheme is ${show(scheme)}.`, `Use one of: ${SCHEMES.join(', ')}.`)
      )
    }
  }
  for (const [key, setting] of recordEntries(record(authentication).fields)) {
    findings.push(...typeFindings(setting, SETTING_TYPES, { setting: key }))
    findings.push(...defaultFindings(setting, { setting: key }))
  }
  for (const [actionKey, action] of recordEntries(definition.actions)) {
    for (const [fieldKey, field] of nestedFields(action.fields)) {
      const place = { action: actionKey, field: fieldKey }
      findings.push(...typeFindings(field, FIELD_TYPES, place))
      findings.push(...defaultFindings(field, place))
      if (fieldKey === 'batch_keys') findings.push(...batchKeysShape(field, place))
    }
  }
  return findings
}

/** Every field of an action, with the sub-fields of object fields as parent.child. */
function nestedFields(fields: unknown, prefix = ''): Array<[string, Loose]> {
  return recordEntries(fields).flatMap(
    ([key, field]): Array<[string, Loose]> => [
      [prefix + key, field],
      ...(isRecord(field.properties) ? nestedFields(field.properties, `${prefix}${key}.`) : [])
    ]
  )
}

function typeFindings(field: Loose, types: string[], place: Place): Finding[] {
  const findings: Finding[] = []
  if (!types.includes(String(field.type))) {
    findings.push(
      error(
        'G25',
        place,
        `The type ${show(field.type)} is not one actions-core knows here.`,
        `Use one of: ${types.join(', ')}.`
      )
    )
  }
  if (field.format !== undefined && !FORMATS.includes(String(field.format))) {
    findings.push(
      error(
        'G25',
        place,
        `The format ${show(field.format)} is not one actions-core knows.`,
        `Use one of: ${FORMATS.join(', ')}, or remove it.`
      )
    )
  }
  return findings
}

function choiceValues(choices: unknown): unknown[] {
  return list(choices).map((choice) => (isRecord(choice) ? choice.value : choice))
}

/** Whether a literal value fits a field type as AJV checks it (coercing strings to numbers, as actions-core does). */
function fitsType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'string':
    case 'text':
    case 'password':
      return typeof value === 'string'
    case 'datetime':
      return typeof value === 'string' || typeof value === 'number'
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value)))
    case 'integer':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
      return isRecord(value)
    default:
      return true
  }
}

/** Rule 28: a literal default (not a mapping directive) must be a value the field accepts. */
function defaultFindings(field: Loose, place: Place): Finding[] {
  const value = field.default
  if (value === undefined || value === null || directive(value)) return []
  const values = field.multiple && Array.isArray(value) ? (value as unknown[]) : [value]
  const findings: Finding[] = []
  const choices = choiceValues(field.choices)
  for (const item of values) {
    if (directive(item)) continue
    if (choices.length > 0 && !choices.includes(item)) {
      findings.push(
        error(
          'G28',
          place,
          `The default ${show(item)} is not one of the choices (${choices
            .map(show)
            .join(', ')}); actions-core rejects it.`,
          'Make the default one of the choice values, or add it to the choices.'
        )
      )
    } else if (!fitsType(item, field.type)) {
      findings.push(
        error(
          'G28',
          place,
          `The default ${show(item)} does not fit the field type ${String(field.type)}.`,
          `Give a ${String(field.type)} default, or a mapping directive such as { '@path': '$.properties.x' }.`
        )
      )
    }
  }
  if (field.multiple && !Array.isArray(value)) {
    findings.push(
      warning(
        'G28',
        place,
        `The field accepts several values but its default ${show(value)} is not a list.`,
        'Make the default an array.'
      )
    )
  }
  return findings
}

/** Rule 26: the reserved `batch_keys` field has a fixed shape. */
function batchKeysShape(field: Loose, place: Place): Finding[] {
  const problems: string[] = []
  if (field.type !== 'string') problems.push(`type is ${show(field.type)} (must be 'string')`)
  if (field.multiple !== true) problems.push('multiple is not true')
  if (field.required !== undefined && field.required !== false) problems.push('it is required')
  if (!Array.isArray(field.default)) problems.push('its default is not a string array')
  const findings = problems.map((problem) =>
    error(
      'G26',
      place,
      `The reserved batch_keys field is malformed: ${problem}.`,
      "Define it as `{ type: 'string', multiple: true, required: false, unsafe_hidden: true, default: [] }`."
    )
  )
  if (field.unsafe_hidden !== true) {
    findings.push(
      warning('G26', place, 'The batch_keys field is visible in the mapping UI.', 'Set `unsafe_hidden: true`.')
    )
  }
  return findings
}
