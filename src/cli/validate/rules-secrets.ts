import type { ValidationContext } from './context'
import { error, warning } from './finding'
import type { Finding } from './finding'
import { record, recordEntries } from './shape'

/** The monorepo's validate-secret-fields pattern (rule 20): it misses camelCase keys such as apiKey. */
const CI_SECRET_KEY = /(^|[^A-Za-z0-9])(key|token|secret|password|code)($|[^A-Za-z0-9])/i

/** The reviewers' wider list of words that suggest a secret (rule 21). */
const SECRET_WORDS = ['key', 'token', 'secret', 'password', 'code', 'auth', 'credential', 'credentials', 'bearer']

/** Splits a field key into lower-case words: apiKey, api_key and api-key all give ["api", "key"]. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
}

function textWords(text: unknown): string[] {
  return typeof text === 'string' ? text.toLowerCase().split(/[^a-z0-9]+/) : []
}

const PASSWORD_FIX = "Set `type: 'password'` so that Segment encrypts the value and hides it in the UI and in logs."

/** Section E: secrets are `password` settings. */
export function secretRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, setting] of recordEntries(record(definition.authentication).fields)) {
    if (setting.type === 'password') continue
    if (CI_SECRET_KEY.test(key)) {
      findings.push(
        error(
          'E20',
          { setting: key },
          `The setting "${key}" looks like a secret (its key names a key, token, secret, password or code) but its type is ${String(
            setting.type
          )}.`,
          PASSWORD_FIX
        )
      )
      continue
    }
    // The CI pattern misses camelCase keys (apiKey); a key made of a secret word is an error here all the same.
    const keyHits = SECRET_WORDS.filter((word) => keyWords(key).includes(word))
    if (keyHits.length > 0) {
      findings.push(
        error(
          'E21',
          { setting: key },
          `The setting "${key}" is named like a secret (${keyHits.join(', ')}) but its type is ${String(
            setting.type
          )}.`,
          PASSWORD_FIX
        )
      )
      continue
    }
    const words = [...textWords(setting.label), ...textWords(setting.description)]
    const hits = SECRET_WORDS.filter((word) => words.includes(word))
    if (hits.length > 0) {
      findings.push(
        warning(
          'E21',
          { setting: key },
          `The label or description of the setting "${key}" mentions ${hits
            .map((word) => `"${word}"`)
            .join(', ')} but its type is ${String(setting.type)}.`,
          `${PASSWORD_FIX} If it is not a secret, reword the label and description so that reviewers do not take it for one.`
        )
      )
    }
  }
  for (const [actionKey, action] of recordEntries(definition.actions)) {
    for (const [fieldKey, field] of recordEntries(action.fields)) {
      const hits = SECRET_WORDS.filter((word) => keyWords(fieldKey).includes(word))
      if (hits.length > 0 && field.type !== 'password') {
        findings.push(
          warning(
            'E21',
            { action: actionKey, field: fieldKey },
            `The field "${fieldKey}" of the action "${actionKey}" is named like a secret but its type is ${String(
              field.type
            )}.`,
            `${PASSWORD_FIX} Secrets usually belong in the destination settings, not in a mapping.`
          )
        )
      }
    }
  }
  return findings
}
