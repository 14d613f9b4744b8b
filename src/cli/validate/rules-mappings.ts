import { createTestEvent, transform } from '@segment/actions-core'
import type { ValidationContext } from './context'
import { error } from './finding'
import type { Finding, Place } from './finding'
import { isRecord, list, nonEmptyString, record, recordEntries } from './shape'
import type { Loose } from './shape'

type Mapping = Parameters<typeof transform>[0]

/** Why mapping-kit rejects a mapping (its messages, e.g. "/event/@path should be a string…"), or undefined. */
function mappingProblem(mapping: Loose): string | undefined {
  try {
    transform(mapping as Mapping, createTestEvent() as unknown as Parameters<typeof transform>[1])
    return undefined
  } catch (caught) {
    const errors = (caught as { errors?: unknown }).errors
    const messages = list(errors).map((item) => String((item as Error).message))
    return messages.length > 0 ? messages.join(' ') : (caught as Error).message
  }
}

const FIX =
  "Use mapping-kit directives only: one @-key per object, from @path, @template, @if, @case, @replace, @arrayPath, @literal, @flatten, @json, @merge, @transform, @excludeWhenNull (for example { '@path': '$.properties.plan' })."

/** Section G, rule 27: field defaults and preset mappings are mappings actions-core can run. */
export function mappingRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const check = (mapping: Loose, place: Place, what: string) => {
    const problem = mappingProblem(mapping)
    if (problem) findings.push(error('G27', place, `${what} is not a valid mapping: ${problem}`, FIX))
  }
  for (const [actionKey, action] of recordEntries(definition.actions)) {
    for (const [fieldKey, field] of recordEntries(action.fields)) {
      if (field.default !== undefined) {
        check({ [fieldKey]: field.default }, { action: actionKey, field: fieldKey }, 'The default')
      }
    }
  }
  list(definition.presets).forEach((item, index) => {
    const preset = record(item)
    const name = nonEmptyString(preset.name) ? preset.name : `#${index + 1}`
    if (isRecord(preset.mapping)) check(preset.mapping, { preset: name }, `The mapping of the preset "${name}"`)
  })
  return findings
}
