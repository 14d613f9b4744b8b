import fs from 'fs'
import path from 'path'
import { HOOK_TYPES, OAUTH_RESERVED_SETTING_KEYS } from '../generate/types'
import type { ValidationContext } from './context'
import { error } from './finding'
import type { Finding } from './finding'
import { record, recordEntries } from './shape'

/** Section C, the parts that depend on the definition alone: what makes `generate:types` fail or write elsewhere. */
export function generationRules({ definition, directory }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, action] of recordEntries(definition.actions)) {
    for (const hook of Object.keys(record(action.hooks))) {
      if (!HOOK_TYPES.includes(hook)) {
        findings.push(
          error(
            'C14',
            { action: key },
            `The action "${key}" has a hook "${hook}", which the monorepo's type generator rejects.`,
            `Name hooks only ${HOOK_TYPES.join(' or ')}.`
          )
        )
      }
    }
    if (!fs.existsSync(path.join(directory, key, 'index.ts'))) {
      findings.push(
        error(
          'C16',
          { action: key },
          `The action key "${key}" has no folder ${key}/ with an index.ts, so its Payload type would be written to ${key}.types.ts.`,
          `Keep each action in a folder named exactly like its key (${key}/index.ts), or rename the key to its folder's name.`
        )
      )
    }
  }
  const authentication = record(definition.authentication)
  if (authentication.scheme === 'oauth2') {
    for (const key of Object.keys(record(authentication.fields))) {
      if (OAUTH_RESERVED_SETTING_KEYS.includes(key.toLowerCase())) {
        findings.push(
          error(
            'C15',
            { setting: key },
            `The setting key "${key}" is reserved for OAuth destinations.`,
            'Rename the setting key; the OAuth tokens are provided by Segment.'
          )
        )
      }
    }
  }
  return findings
}
