import { DestinationLoadError, loadDestination } from '../load-destination'
import type { ValidationContext } from './context'
import { error } from './finding'
import type { Finding } from './finding'
import { loadingRules } from './rules-loading'
import { definitionRules } from './rules-definition'
import { generationRules } from './rules-generation'
import { secretRules } from './rules-secrets'
import { runtimeRules } from './rules-runtime'
import { fieldRules } from './rules-fields'
import { mappingRules } from './rules-mappings'
import { sourceRules } from './rules-source'
import { conventionRules } from './rules-conventions'
import { contractRules } from './rules-contract'
import { upstreamRules } from './rules-upstream'
import { audienceRules } from './rules-audiences'
import type { Loose } from './shape'

export type { Finding, Severity, Place } from './finding'

export interface ValidationResult {
  directory: string
  /** The destination's name, when it loaded. */
  name?: string
  findings: Finding[]
}

type RuleSet = (context: ValidationContext) => Finding[]

const RULE_SETS: Array<[string, RuleSet]> = [
  ['A (loading)', loadingRules],
  ['B (validate)', definitionRules],
  ['C (types generation)', generationRules],
  ['E (secret fields)', secretRules],
  ['G (actions-core)', runtimeRules],
  ['G (field types and defaults)', fieldRules],
  ['G (mappings)', mappingRules],
  ['G/I (sources)', sourceRules],
  ['I (conventions)', conventionRules],
  ['contract (compatibility)', contractRules],
  ['contract (upstream-native)', upstreamRules],
  ['audience', audienceRules]
]

/** Runs every check on the destination in `directory`; a rule set that crashes becomes an error, not a crash. */
export function validateDestination(directory: string): ValidationResult {
  let definition: Loose
  try {
    definition = loadDestination(directory, { fresh: true }).definition as unknown as Loose
  } catch (caught) {
    const message = caught instanceof DestinationLoadError ? caught.message : String(caught)
    return {
      directory,
      findings: [
        error(
          'A1',
          { file: 'index.ts' },
          message,
          'Make index.ts load without errors and export the definition as default.'
        )
      ]
    }
  }
  return validateDefinition(definition, directory)
}

/** Runs every check on a definition already in memory; `directory` is where its files are (for the file rules). */
export function validateDefinition(definition: Loose, directory: string): ValidationResult {
  const context: ValidationContext = { directory, definition }
  const findings: Finding[] = []
  for (const [label, rules] of RULE_SETS) {
    try {
      findings.push(...rules(context))
    } catch (caught) {
      findings.push(
        error(
          label,
          {},
          `The checks of ${label} stopped on an unexpected definition shape: ${(caught as Error).message}`,
          'Fix the definition so that it matches the actions-core types (run `npm run typecheck`).'
        )
      )
    }
  }
  return { directory, name: String(definition.name), findings }
}
