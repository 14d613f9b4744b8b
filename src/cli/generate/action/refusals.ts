import fs from 'fs'
import path from 'path'
import { UsageError } from '../../args'
import { displayPath } from '../generated-file'
import { identifiersOf, parseDefinition, registeredActionKeys } from './register'

/** Refuses any type but server. */
export function refuseType(type: string): void {
  if (type === 'server') return
  if (type === 'browser') {
    throw new UsageError(
      'Only server actions can be generated: Appcues (Actions) is a cloud destination, and browser actions belong to browser destinations. Run `appcues-actions generate:action NAME server`.'
    )
  }
  throw new UsageError(
    `Unknown action type '${type}'. The type must be server. Run \`appcues-actions generate:action --help\` for an example.`
  )
}

/** Refuses a key that the destination already uses, as an action, a file or folder, or a name in index.ts. */
export function refuseTakenKey(directory: string, indexText: string, key: string): void {
  const definition = parseDefinition(indexText, path.join(directory, 'index.ts'))
  const existing = registeredActionKeys(definition).find((candidate) => candidate.toLowerCase() === key.toLowerCase())
  const choose = 'Choose another name.'
  if (existing === key) {
    throw new UsageError(
      `The destination already has an action "${key}" (${displayPath(path.join(directory, key))}). ${choose}`
    )
  }
  if (existing) {
    throw new UsageError(`"${key}" differs from the existing action "${existing}" only in case. ${choose}`)
  }
  const taken = fs.readdirSync(directory).find((entry) => entry === key || entry === `${key}.ts`)
  if (taken) {
    throw new UsageError(
      `${displayPath(path.join(directory, taken))} already exists, so "${key}" cannot name an action folder. ${choose}`
    )
  }
  if (identifiersOf(definition).has(key)) {
    throw new UsageError(
      `"${key}" is already a name in index.ts (an import, a variable or a key of the definition), so importing an action under it would clash. ${choose}`
    )
  }
}
