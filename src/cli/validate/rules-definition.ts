import type { ValidationContext } from './context'
import { error, warning } from './finding'
import type { Finding } from './finding'
import { fqlFix, fqlProblem } from './fql'
import { isRecord, list, nonEmptyString, record, recordEntries, show } from './shape'
import type { Loose } from './shape'

/** Section B: the checks of the monorepo's `validate` command, with its severities (FATAL = error, WARN = warning). */
export function definitionRules(context: ValidationContext): Finding[] {
  return [...actionRules(context), ...batchKeysRules(context), ...presetRules(context), ...settingDefaultRules(context)]
}

function actionRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const actions = recordEntries(definition.actions)
  if (actions.length === 0) {
    findings.push(
      error(
        'B3',
        {},
        `The destination "${String(definition.name)}" does not define any actions.`,
        'Add at least one action to `actions` in the definition.'
      )
    )
  }
  for (const [key, action] of actions) {
    const subscription = action.defaultSubscription
    if (subscription) {
      const problem = typeof subscription === 'string' ? fqlProblem(subscription) : 'it is not a string'
      if (problem) {
        findings.push(
          error(
            'B4',
            { action: key },
            `The action "${key}" has an invalid \`defaultSubscription\` query ${show(subscription)}: ${problem}.`,
            fqlFix(`the action's defaultSubscription`)
          )
        )
      }
    }
    if (!action.description) {
      findings.push(
        error(
          'B5',
          { action: key },
          `The action "${key}" is missing a description.`,
          'Add a `description` that tells users in the mapping UI what the action does in Appcues.'
        )
      )
    }
    for (const [fieldKey, field] of recordEntries(action.fields)) {
      // The monorepo's validate only warns here; labels and descriptions are what users see in the mapping UI and PR
      // review requires them, so this package treats a missing one as an error.
      const missing = ['label', 'description'].filter((part) => !nonEmptyString(field[part]))
      if (missing.length > 0) {
        findings.push(
          error(
            'B6',
            { action: key, field: fieldKey },
            `The action "${key}" is missing a ${missing.join(' and a ')} for the field "${fieldKey}".`,
            `Add a ${missing
              .map((part) => `\`${part}\``)
              .join(' and a ')}: say what the field is, what it defaults to and what Appcues does with it.`
          )
        )
      }
    }
  }
  return findings
}

function batchKeysRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, action] of recordEntries(definition.actions)) {
    const fields = record(action.fields)
    if (!('batch_keys' in fields)) continue
    const place = { action: key, field: 'batch_keys' }
    const defaults = record(fields.batch_keys).default
    if (!Array.isArray(defaults)) {
      findings.push(
        error(
          'B7',
          place,
          `The "batch_keys" field of the action "${key}" has no array default; the monorepo's validate crashes on it.`,
          'Give `batch_keys` a `default` that is an array of up to 3 field keys, for example `[]`.'
        )
      )
      continue
    }
    if (defaults.length > 3) {
      findings.push(
        warning(
          'B7',
          place,
          `The "batch_keys" default of the action "${key}" lists ${defaults.length} keys; at most 3 are allowed.`,
          'Keep at most 3 low-cardinality field keys in the `batch_keys` default.'
        )
      )
    }
    for (const entry of defaults) {
      if (entry === 'batch_keys') {
        findings.push(
          warning(
            'B9',
            place,
            `The "batch_keys" default of the action "${key}" contains "batch_keys" itself.`,
            'Remove "batch_keys" from its own default.'
          )
        )
      } else if (typeof entry !== 'string' || !(entry in fields)) {
        findings.push(
          warning(
            'B8',
            place,
            `The "batch_keys" default of the action "${key}" names ${show(entry)}, which is not a field of the action.`,
            `Use only field keys of the action: ${Object.keys(fields).join(', ')}.`
          )
        )
      }
    }
  }
  return findings
}

function presetRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const actions = record(definition.actions)
  const actionKeys = Object.keys(actions).join(', ')
  list(definition.presets).forEach((item, index) => {
    const preset = record(item)
    const name = nonEmptyString(preset.name) ? preset.name : `#${index + 1}`
    const partnerAction = preset.partnerAction
    if (typeof partnerAction !== 'string' || !isRecord(actions[partnerAction])) {
      findings.push(
        error(
          'B10',
          { preset: name },
          `The preset "${name}" references an action key that does not exist (${show(partnerAction)}).`,
          `Set the preset's \`partnerAction\` to one of the destination's action keys: ${actionKeys}.`
        )
      )
    } else {
      findings.push(...presetMappingRules(name, partnerAction, record(actions[partnerAction]), preset))
    }
    if (preset.type === 'automatic') {
      const subscribe = preset.subscribe
      const problem = !nonEmptyString(subscribe) ? 'it is empty or missing' : fqlProblem(subscribe)
      if (problem) {
        findings.push(
          error(
            'B11',
            { preset: name },
            `The automatic preset "${name}" has an invalid \`subscribe\` query ${show(subscribe)}: ${problem}.`,
            fqlFix(`the preset's subscribe`)
          )
        )
      }
    }
  })
  return findings
}

function presetMappingRules(name: string, actionKey: string, action: Loose, preset: Loose): Finding[] {
  const fields = record(action.fields)
  return Object.keys(record(preset.mapping))
    .filter((key) => !(key in fields))
    .map((key) =>
      error(
        'B12',
        { preset: name, action: actionKey, field: key },
        `The preset "${name}" references a field "${key}" that the "${actionKey}" action does not define.`,
        `Remove "${key}" from the preset's mapping, or map one of the action's fields: ${Object.keys(fields).join(
          ', '
        )}.`
      )
    )
}

function settingDefaultRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, setting] of recordEntries(record(definition.authentication).fields)) {
    const { type } = setting
    if ((type === 'boolean' || type === 'number') && setting.default !== undefined && typeof setting.default !== type) {
      findings.push(
        warning(
          'B13',
          { setting: key },
          `The setting "${key}" is of type ${type} but its default ${show(
            setting.default
          )} is a ${typeof setting.default}.`,
          `Give the setting a ${type} default (for example ${type === 'number' ? '0' : 'false'}) or remove the default.`
        )
      )
    }
  }
  return findings
}
