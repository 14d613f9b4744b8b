import type { ValidationContext } from './context'
import { error } from './finding'
import type { Finding } from './finding'
import { list, nonEmptyString, record, recordEntries, show } from './shape'
import type { Loose } from './shape'

/*
 * Audiences the way Segment runs them (docs/upstream.md, Decisions and why): `audienceConfig` and `audienceFields` as
 * actions-core reads them, sync modes and hooks as the mapping UI shows them, and batches that hold one audience. Each
 * is an error: Engage, the mapping UI or actions-core would stumble over it.
 */

/** actions-core's `syncModeTypes`. */
const SYNC_MODES = ['add', 'update', 'upsert', 'delete', 'mirror']

/** The field that carries the segment ID Engage created for the audience. */
const EXTERNAL_AUDIENCE_ID_PATH = '$.context.personas.external_audience_id'

const isFunction = (value: unknown) => typeof value === 'function'

export function audienceRules(context: ValidationContext): Finding[] {
  return [...configRules(context), ...syncModeRules(context), ...hookRules(context), ...batchKeyRules(context)]
}

function configRules({ definition }: ValidationContext): Finding[] {
  if (definition.audienceConfig === undefined) return []
  const findings: Finding[] = []
  const config = record(definition.audienceConfig)
  const mode = record(config.mode)
  const validMode = mode.type === 'realtime' || (mode.type === 'synced' && typeof mode.full_audience_sync === 'boolean')
  if (!validMode) {
    findings.push(
      error(
        'audience/config',
        {},
        `The audienceConfig has the mode ${show(config.mode)}.`,
        "Set `mode: { type: 'synced', full_audience_sync: false }` (or `{ type: 'realtime' }`)."
      )
    )
  }
  if (isFunction(config.createAudience) !== isFunction(config.getAudience)) {
    findings.push(
      error(
        'audience/config',
        {},
        'The audienceConfig has only one of createAudience and getAudience; actions-core uses them only together.',
        'Define both: createAudience makes the audience in Appcues, getAudience checks that it still exists.'
      )
    )
  }
  if (definition.audienceFields === undefined) {
    findings.push(
      error(
        'audience/config',
        {},
        'The destination has an audienceConfig but no audienceFields.',
        'Add `audienceFields` (the audience settings Engage asks for), even if empty.'
      )
    )
  }
  for (const [key, field] of recordEntries(definition.audienceFields)) {
    const missing = ['label', 'description'].filter((part) => !nonEmptyString(field[part]))
    if (missing.length > 0) {
      findings.push(
        error(
          'audience/config',
          { setting: key },
          `The audience setting "${key}" has no ${missing.join(' and no ')}.`,
          'Give it a label and a description: Engage shows them when an audience is connected.'
        )
      )
    }
  }
  return findings
}

function syncModeRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, action] of recordEntries(definition.actions)) {
    if (action.syncMode === undefined) continue
    const syncMode = record(action.syncMode)
    const values = list(syncMode.choices).map((choice) => record(choice).value)
    const problems = [
      values.length === 0 && 'it offers no choices',
      values.some((value) => !SYNC_MODES.includes(String(value))) &&
        `its choices ${show(values)} are not all among ${SYNC_MODES.join(', ')}`,
      !values.includes(syncMode.default) && `its default ${show(syncMode.default)} is not one of its choices`,
      !nonEmptyString(syncMode.description) && 'it has no description'
    ].filter(Boolean)
    if (problems.length > 0) {
      findings.push(
        error(
          'audience/sync-mode',
          { action: key },
          `The syncMode of the action "${key}" is not usable: ${problems.join('; ')}.`,
          "Give it a description, choices from actions-core's sync modes with a label each, and one of them as the default."
        )
      )
    }
  }
  return findings
}

function describedFields(fields: unknown, owner: string, place: { action: string }): Finding[] {
  return recordEntries(fields).flatMap(([fieldKey, field]) => {
    const missing = ['label', 'description', 'type'].filter((part) => !nonEmptyString(field[part]))
    return missing.length === 0
      ? []
      : [
          error(
            'audience/hooks',
            { ...place, field: fieldKey },
            `${owner} field "${fieldKey}" has no ${missing.join(', ')}.`,
            'Give every hook input and output a label, a description and a type: the mapping UI shows them.'
          )
        ]
  })
}

function hookRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, action] of recordEntries(definition.actions)) {
    for (const [name, hook] of recordEntries(action.hooks)) {
      const missing = [
        !nonEmptyString(hook.label) && 'a label',
        !nonEmptyString(hook.description) && 'a description',
        !isFunction(hook.performHook) && 'a performHook function'
      ].filter(Boolean)
      if (missing.length > 0) {
        findings.push(
          error(
            'audience/hooks',
            { action: key },
            `The hook "${name}" of the action "${key}" has no ${missing.join(', ')}.`,
            'Give the hook a label and a description for the mapping UI, and the performHook that runs it.'
          )
        )
      }
      findings.push(...describedFields(hook.inputFields, `The ${name} input`, { action: key }))
      findings.push(...describedFields(hook.outputTypes, `The ${name} output`, { action: key }))
    }
  }
  return findings
}

/** The keys of the fields whose default mapping reads the audience's segment ID. */
function audienceIdFields(action: Loose): string[] {
  return recordEntries(action.fields)
    .filter(([, field]) => JSON.stringify(field.default ?? null).includes(EXTERNAL_AUDIENCE_ID_PATH))
    .map(([key]) => key)
}

function batchKeyRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, action] of recordEntries(definition.actions)) {
    const idFields = audienceIdFields(action)
    if (!isFunction(action.performBatch) || idFields.length === 0) continue
    const batchKeys = list(record(record(action.fields).batch_keys).default)
    const absent = idFields.filter((field) => !batchKeys.includes(field))
    if (absent.length > 0) {
      findings.push(
        error(
          'audience/batch-keys',
          { action: key, field: 'batch_keys' },
          `The action "${key}" batches audience changes, but its batch_keys do not include ${absent
            .map((field) => `"${field}"`)
            .join(', ')}, which holds the audience's segment ID: one batch could mix audiences.`,
          `Add a hidden \`batch_keys\` field whose default includes ${absent.map((field) => `'${field}'`).join(', ')}.`
        )
      )
    }
  }
  return findings
}
