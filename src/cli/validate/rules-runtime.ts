import { Destination } from '@segment/actions-core'
import type { AnyDestination } from '../load-destination'
import type { ValidationContext } from './context'
import { error, warning } from './finding'
import type { Finding, Place } from './finding'
import { isRecord, list, nonEmptyString, record, recordEntries, show } from './shape'
import type { Loose } from './shape'

/** Section G, rules 23, 24 and 29: the definition constructs, actions have their parts, presets have their kind. */
export function runtimeRules(context: ValidationContext): Finding[] {
  return [
    ...constructionRules(context),
    ...conditionRules(context),
    ...actionShapeRules(context),
    ...presetShapeRules(context)
  ]
}

function constructionRules({ definition }: ValidationContext): Finding[] {
  try {
    new Destination(definition as unknown as AnyDestination)
    return []
  } catch (caught) {
    return [
      error(
        'G23',
        {},
        `actions-core cannot build the destination: ${(caught as Error).message}`,
        'Fix the field definition the message names; `new Destination(definition)` must not throw.'
      )
    ]
  }
}

const OPERATORS = ['is', 'is_not']

/** Checks the conditions of a `required` or `depends_on` object; `fields` are the keys they may refer to. */
function conditionFindings(kind: 'required' | 'depends_on', value: unknown, fields: Loose, place: Place): Finding[] {
  if (value === undefined || typeof value === 'boolean') return []
  const findings: Finding[] = []
  const conditions = isRecord(value) ? value.conditions : undefined
  if (!Array.isArray(conditions)) {
    return [
      error(
        'G23',
        place,
        `\`${kind}\` is ${show(value)}, which is neither a boolean nor an object with a \`conditions\` list.`,
        `Write \`${kind}: { match: 'all', conditions: [{ fieldKey: 'type', operator: 'is', value: 'track' }] }\`.`
      )
    ]
  }
  const match = record(value).match
  if (match !== undefined && match !== 'all' && match !== 'any') {
    findings.push(error('G23', place, `\`${kind}.match\` is ${show(match)}.`, "Use 'all' or 'any'."))
  }
  for (const item of conditions) {
    const condition = record(item)
    if (kind === 'depends_on' && condition.type === 'syncMode') continue
    if (!OPERATORS.includes(String(condition.operator))) {
      findings.push(
        error(
          'G23',
          place,
          `A \`${kind}\` condition uses the operator ${show(
            condition.operator
          )}; actions-core knows only is and is_not.`,
          "Use `operator: 'is'` or `operator: 'is_not'`."
        )
      )
    }
    const fieldKey = condition.fieldKey
    if (typeof fieldKey !== 'string' || fieldKey.split('.').length > 2) {
      findings.push(
        error(
          'G23',
          place,
          `A \`${kind}\` condition has the fieldKey ${show(fieldKey)}; it must be a field key with at most one dot.`,
          'Refer to a field of the same action, or to one sub-field of an object field (parent.child).'
        )
      )
    } else if (!(fieldKey.split('.')[0] in fields)) {
      findings.push(
        warning(
          'G23',
          place,
          `A \`${kind}\` condition refers to "${fieldKey}", which is not a field here, so the condition never holds.`,
          `Refer to one of: ${Object.keys(fields).join(', ')}.`
        )
      )
    }
  }
  return findings
}

function conditionRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const settings = record(record(definition.authentication).fields)
  for (const [key, setting] of Object.entries(settings)) {
    const place = { setting: key }
    findings.push(...conditionFindings('required', record(setting).required, settings, place))
    findings.push(...conditionFindings('depends_on', record(setting).depends_on, settings, place))
  }
  for (const [actionKey, action] of recordEntries(definition.actions)) {
    const fields = record(action.fields)
    for (const [fieldKey, field] of recordEntries(fields)) {
      const place = { action: actionKey, field: fieldKey }
      findings.push(...conditionFindings('required', field.required, fields, place))
      findings.push(...conditionFindings('depends_on', field.depends_on, fields, place))
    }
  }
  return findings
}

function actionShapeRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, value] of Object.entries(record(definition.actions))) {
    const place = { action: key }
    if (!isRecord(value)) {
      findings.push(
        error(
          'G24',
          place,
          `The action "${key}" is ${show(value)}, not an action definition.`,
          'Export an action definition object from the action folder.'
        )
      )
      continue
    }
    if (!nonEmptyString(value.title)) {
      findings.push(
        error(
          'G24',
          place,
          `The action "${key}" has no title.`,
          'Add a `title` that names the action in the mapping UI.'
        )
      )
    }
    if (value.description !== undefined && typeof value.description !== 'string') {
      findings.push(
        error('G24', place, `The description of the action "${key}" is not a string.`, 'Make `description` a string.')
      )
    }
    if (!isRecord(value.fields)) {
      findings.push(
        error(
          'G24',
          place,
          `The action "${key}" has no \`fields\` object; the monorepo's validate crashes on it.`,
          "Add `fields: {}` (or the action's fields)."
        )
      )
    }
    if (typeof value.perform !== 'function') {
      findings.push(
        error(
          'G24',
          place,
          `The action "${key}" has no \`perform\` function.`,
          'Add `perform: (request, { payload, settings }) => ...`.'
        )
      )
    }
    if (value.performBatch !== undefined && typeof value.performBatch !== 'function') {
      findings.push(
        error(
          'G24',
          place,
          `\`performBatch\` of the action "${key}" is not a function.`,
          'Make `performBatch` a function or remove it.'
        )
      )
    }
  }
  return findings
}

/** The event slugs of specificEvent presets (`EventEmitterSlug` in actions-core's event-emitter-types). */
const EVENT_SLUGS = [
  'warehouse_entity_added_track',
  'warehouse_entity_removed_track',
  'warehouse_audience_entered_track',
  'warehouse_audience_exited_track',
  'warehouse_audience_membership_changed_identify',
  'warehouse_entity_values_changed_track',
  'warehouse_all_events_track',
  'journeys_step_entered_track'
]

function presetShapeRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const seen = new Set<string>()
  list(definition.presets).forEach((item, index) => {
    const preset = record(item)
    const name = nonEmptyString(preset.name) ? preset.name : `#${index + 1}`
    const place = { preset: name }
    if (!nonEmptyString(preset.name)) {
      findings.push(
        error(
          'G29',
          place,
          `Preset ${name} has no name.`,
          'Give every preset a `name`; the Segment UI and metadata.json show it.'
        )
      )
    } else if (seen.has(preset.name)) {
      findings.push(warning('G29', place, `Two presets are named "${preset.name}".`, 'Give each preset its own name.'))
    }
    seen.add(name)
    if (preset.type === 'specificEvent') {
      if (!EVENT_SLUGS.includes(String(preset.eventSlug))) {
        findings.push(
          error(
            'G29',
            place,
            `The specificEvent preset "${name}" has the eventSlug ${show(preset.eventSlug)}.`,
            `Use one of: ${EVENT_SLUGS.join(', ')}.`
          )
        )
      }
    } else if (preset.type !== 'automatic') {
      findings.push(
        error(
          'G29',
          place,
          `The preset "${name}" has the type ${show(preset.type)}.`,
          "Use `type: 'automatic'` with a `subscribe` query (or 'specificEvent' with an eventSlug)."
        )
      )
    }
    if (!isRecord(preset.mapping)) {
      findings.push(
        error(
          'G29',
          place,
          `The preset "${name}" has no mapping object.`,
          'Set `mapping: defaultValues(action.fields)`.'
        )
      )
    }
  })
  return findings
}
