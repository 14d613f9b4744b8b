import camelCase from 'lodash/camelCase'
import startCase from 'lodash/startCase'
import ts from 'typescript'
import { MAX_EVENT_NAME_LENGTH } from '../../../destinations/appcues/constants'

/** An action's key (its folder and its key in `actions`) and its title in the mapping UI. */
export interface ActionName {
  key: string
  title: string
}

/** Names that parse as an identifier elsewhere but not as the binding of an import in a module. */
const NOT_BINDABLE = ['await', 'arguments', 'eval', 'undefined']

function isReservedWord(word: string): boolean {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true)
  scanner.setText(word)
  const token = scanner.scan()
  const { FirstReservedWord, LastReservedWord, FirstFutureReservedWord, LastFutureReservedWord } = ts.SyntaxKind
  return (
    (token >= FirstReservedWord && token <= LastReservedWord) ||
    (token >= FirstFutureReservedWord && token <= LastFutureReservedWord) ||
    NOT_BINDABLE.includes(word)
  )
}

/** Why `key` cannot name an action folder and an import, or undefined when it can. */
function keyProblem(key: string): string | undefined {
  if (key === '') return 'it has no letters or digits'
  if (/^[0-9]/.test(key)) return `its key "${key}" starts with a digit`
  if (!/^[a-z][A-Za-z0-9]*$/.test(key)) return `its key "${key}" has characters other than English letters and digits`
  if (isReservedWord(key)) return `its key "${key}" is a reserved word of TypeScript`
  return undefined
}

/** Why the title cannot be written into the action and its default subscription, or undefined when it can. */
function titleProblem(title: string): string | undefined {
  if (title.trim() === '') return 'it is empty'
  if (/["\\\p{Cc}]/u.test(title)) return 'it has a double quote, a backslash or a control character'
  // The placeholder action records an event named like the action.
  if ([...title].length > MAX_EVENT_NAME_LENGTH) {
    return `it is longer than ${MAX_EVENT_NAME_LENGTH} characters, the longest event name Appcues accepts`
  }
  return undefined
}

export class ActionNameError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionNameError'
  }
}

/**
 * The action's key, camel-cased from the name as Segment's `generate:action` does ("mark checkpoint", "mark-checkpoint"
 * and "MarkCheckpoint" all give markCheckpoint), and its title: `title` when given, else the words of the name.
 */
export function actionName(name: string, title?: string): ActionName {
  const key = camelCase(name)
  const problem = keyProblem(key)
  if (problem) {
    throw new ActionNameError(
      `"${name}" cannot name an action: ${problem}. Use words that start with a letter, such as "mark checkpoint" or markCheckpoint.`
    )
  }
  const chosen = title ?? startCase(name)
  const titleIssue = titleProblem(chosen)
  if (titleIssue) {
    throw new ActionNameError(
      `The title "${chosen}" cannot be used: ${titleIssue}. Give a plain --title such as "Mark Checkpoint".`
    )
  }
  return { key, title: chosen.trim() }
}
