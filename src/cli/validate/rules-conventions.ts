import fs from 'fs'
import path from 'path'
import type { ValidationContext } from './context'
import { warning } from './finding'
import type { Finding } from './finding'
import { isRecord, list, nonEmptyString, record, recordEntries } from './shape'
import { isDeletionAction } from '../deletion-action'

/** Section I: what reviewers expect although no tool enforces it (all warnings). */
export function conventionRules(context: ValidationContext): Finding[] {
  return [...subscriptionRules(context), ...slugRules(context), ...fileRules(context)]
}

function subscriptionRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const actions = recordEntries(definition.actions)
  for (const [key, action] of actions) {
    // A deletion runs only on the event a user chooses for it.
    if (!action.defaultSubscription && action.hidden !== true && !isDeletionAction(key, action)) {
      findings.push(
        warning(
          'I37',
          { action: key },
          `The action "${key}" has no defaultSubscription, so a new mapping of it starts without a trigger.`,
          'Add a `defaultSubscription` FQL query, for example `type = "track"`.'
        )
      )
    }
  }
  const presets = list(definition.presets).map(record)
  if (actions.length > 0 && !presets.some((preset) => preset.type === 'automatic')) {
    findings.push(
      warning(
        'I37',
        {},
        'The destination has no automatic presets, so connecting it creates no mappings.',
        'Add automatic presets for the common calls, with `mapping: defaultValues(action.fields)`.'
      )
    )
  }
  presets.forEach((preset, index) => {
    const name = nonEmptyString(preset.name) ? preset.name : `#${index + 1}`
    const action = record(record(definition.actions)[String(preset.partnerAction)])
    if (!isRecord(preset.mapping)) return
    const missing = recordEntries(action.fields)
      .filter(([key, field]) => field.default !== undefined && !(key in record(preset.mapping)))
      .map(([key]) => key)
    if (missing.length > 0) {
      findings.push(
        warning(
          'I37',
          { preset: name, action: String(preset.partnerAction) },
          `The preset "${name}" does not map ${missing.join(', ')}, although the action gives ${
            missing.length > 1 ? 'them defaults' : 'it a default'
          }.`,
          'Build the mapping from `defaultValues(action.fields)` and override only what the preset changes.'
        )
      )
    }
  })
  return findings
}

function slugRules({ definition, directory }: ValidationContext): Finding[] {
  const slug = definition.slug
  const folder = path.basename(directory)
  if (!nonEmptyString(slug)) {
    return [
      warning(
        'I38',
        {},
        `The definition has no slug; the monorepo would use the folder name "${folder}".`,
        `Set \`slug: 'actions-${folder}'\`. A slug never changes once the destination is live.`
      )
    ]
  }
  const findings: Finding[] = []
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
    findings.push(
      warning(
        'I38',
        {},
        `The slug "${slug}" is not lowercase and hyphenated.`,
        'Use lowercase words joined by hyphens, like actions-appcues.'
      )
    )
  }
  if (!slug.startsWith('actions-')) {
    findings.push(
      warning(
        'I38',
        {},
        `The slug "${slug}" does not start with "actions-".`,
        'Cloud destination slugs are actions-<name>.'
      )
    )
  } else if (slug.slice('actions-'.length) !== folder) {
    findings.push(
      warning(
        'I38',
        {},
        `The folder "${folder}" does not match the slug "${slug}".`,
        `Name the folder ${slug.slice('actions-'.length)} (the slug without "actions-").`
      )
    )
  }
  return findings
}

function fileRules({ definition, directory }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  if (!fs.existsSync(path.join(directory, 'versioning-info.ts'))) {
    findings.push(
      warning(
        'I39',
        { file: 'versioning-info.ts' },
        'The destination has no versioning-info.ts.',
        'Add versioning-info.ts exporting the Appcues API version constants the endpoints use.'
      )
    )
  }
  const snapshots = [
    { file: path.join('__tests__', 'snapshot.test.ts'), action: undefined as string | undefined },
    ...Object.keys(record(definition.actions)).map((key) => ({
      file: path.join(key, '__tests__', 'snapshot.test.ts'),
      action: key
    }))
  ]
  for (const { file, action } of snapshots) {
    if (fs.existsSync(path.join(directory, file))) continue
    findings.push(
      warning(
        'I40',
        { file, ...(action === undefined ? {} : { action }) },
        `There is no snapshot test ${file}.`,
        "Add the monorepo's snapshot test (generateTestData from lib/test-data, required-fields and all-fields cases)."
      )
    )
  }
  return findings
}
