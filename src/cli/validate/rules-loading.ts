import type { ValidationContext } from './context'
import { error } from './finding'
import type { Finding } from './finding'

/** Section A: the definition loads as a cloud destination. (A1, the export itself, is checked while loading.) */
export function loadingRules({ definition }: ValidationContext): Finding[] {
  if (definition.mode === 'cloud') return []
  return [
    error(
      'A2',
      {},
      `The destination's mode is ${JSON.stringify(definition.mode)}, not "cloud".`,
      "Set `mode: 'cloud'` in the definition; this package holds a cloud-mode destination."
    )
  ]
}
