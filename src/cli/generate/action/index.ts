import fs from 'fs'
import path from 'path'
import prettier from 'prettier'
import type { CommandIO } from '../../command'
import { UsageError } from '../../args'
import { loadDestination } from '../../load-destination'
import { prettierConfig } from '../../prettier-config'
import { isDeletionAction } from '../../validate/rules-upstream'
import { displayPath, syncGeneratedFiles } from '../generated-file'
import { metadataFile } from '../metadata'
import { generatedTypeFiles } from '../types'
import { ActionNameError, actionName } from './name'
import type { ActionName } from './name'
import { identifiersOf, parseDefinition, registerAction, registeredActionKeys } from './register'
import { runActionTests } from './run-tests'
import { actionFiles, defaultSubscriptionOf, PLACEHOLDER_REQUEST } from './templates'

export interface GenerateActionOptions {
  name: string
  type: string
  title?: string
  /** The destination folder. */
  directory: string
}

/** The snapshot test records one snapshot for its required-fields case and one for its all-fields case. */
const SNAPSHOTS_PER_ACTION = 2

function refuseType(type: string): void {
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
function refuseTakenKey(directory: string, indexText: string, key: string): void {
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

/** `text` in lines of at most `width` characters, the first starting with `first`, the others indented as deep. */
function wrapped(text: string, first: string, width = 110): string[] {
  const lines: string[] = []
  let line = first
  for (const word of text.split(' ')) {
    if (line.trim() !== first.trim() && line.length + 1 + word.length > width) {
      lines.push(line)
      line = ' '.repeat(first.length) + word
    } else {
      line = line.endsWith(' ') ? line + word : `${line} ${word}`
    }
  }
  return [...lines, line]
}

function nextSteps(name: ActionName, folder: string, subscription: string | undefined): string[] {
  const indexFile = path.join(folder, 'index.ts')
  const presets =
    subscription === undefined
      ? 'Presets: the action has no default subscription and should get no automatic preset, because it deletes data: users choose the event that triggers it.'
      : `Presets: the action runs by default on \`${subscription}\`. If Segment should map it when the destination is connected, add an automatic preset to presets.ts (mapping: defaultValues(action.fields), a subscribe query with \`userId != null\`), then run generate:metadata and validate.`
  const steps = [
    `Fields: in ${indexFile}, replace the placeholder fields (User ID, Attributes, Timestamp) and the description with what the action needs. Labels and descriptions are what users see: full sentences that say the default. Then run \`npx appcues-actions generate:types && npx appcues-actions generate:metadata\`.`,
    `perform: it sends a placeholder request, ${PLACEHOLDER_REQUEST} (an event named "${
      name.title
    }"). Replace it with the Appcues call this action makes, built with apiUrl, appcuesRequest and encodeId from functions.ts; make ${path.join(
      folder,
      '__tests__',
      'index.test.ts'
    )} expect that request, and record the snapshot again with \`npm run test:unit -- -u ${folder}\`.`,
    presets,
    `Docs: add "${name.title}" to docs/appcues-actions.md (what Appcues receives, the fields and their defaults) and to the README's table of actions. The drop-in check places it in the last upstream pull request; to land it earlier, add it to that pull request's actions in test/stages.ts and docs/upstream.md.`
  ]
  return ['Next steps:', ...steps.flatMap((step, index) => wrapped(step, `  ${index + 1}. `))]
}

/** What to put back when a step fails: the new folder goes, index.ts and metadata.json get their old text. */
function rollback(folder: string, saved: Map<string, string | undefined>): void {
  fs.rmSync(folder, { recursive: true, force: true })
  for (const [file, text] of saved) {
    if (text === undefined) fs.rmSync(file, { force: true })
    else fs.writeFileSync(file, text)
  }
}

/**
 * Scaffolds a server action: its folder (fields, a placeholder `perform`, a request test and the snapshot test),
 * registered in index.ts, with its types, metadata and snapshot generated. Refusals are usage errors; a step that
 * fails after files were written puts everything back and resolves to 1.
 */
export async function generateAction(options: GenerateActionOptions, io: CommandIO): Promise<number> {
  refuseType(options.type)
  let name: ActionName
  try {
    name = actionName(options.name, options.title)
  } catch (error) {
    if (error instanceof ActionNameError) throw new UsageError(error.message)
    throw error
  }
  const { directory } = options
  const indexFile = path.join(directory, 'index.ts')
  if (!fs.existsSync(indexFile)) {
    throw new UsageError(
      `There is no destination at ${displayPath(directory)} (no index.ts). Point --path at the destination folder.`
    )
  }
  const indexText = fs.readFileSync(indexFile, 'utf8')
  refuseTakenKey(directory, indexText, name.key)

  const folder = path.join(directory, name.key)
  const metadata = path.join(directory, 'metadata.json')
  const saved = new Map(
    [indexFile, metadata].map((file) => [file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined])
  )
  const isDeletion = isDeletionAction(name.key, { title: name.title })
  try {
    const registered = registerAction(indexText, name.key, indexFile)
    for (const file of actionFiles(name, { destinationFolder: path.basename(directory), isDeletion })) {
      const target = path.join(folder, file.path)
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.writeFileSync(target, prettier.format(file.content, { ...prettierConfig(), parser: 'typescript' }))
      io.stdout(`wrote ${displayPath(target)}`)
    }
    fs.writeFileSync(indexFile, registered)
    io.stdout(`registered ${name.key} in ${displayPath(indexFile)}`)

    const { definition } = loadDestination(directory, { fresh: true })
    syncGeneratedFiles(await generatedTypeFiles(directory, definition), { check: false, command: 'generate:types', io })
    syncGeneratedFiles([metadataFile(directory, definition)], { check: false, command: 'generate:metadata', io })

    const tests = ['index.test.ts', 'snapshot.test.ts'].map((file) => path.join(folder, '__tests__', file))
    const run = await runActionTests(tests, directory, { writeSnapshots: true })
    if (run.failed > 0 || run.passed === 0 || run.written !== SNAPSHOTS_PER_ACTION) {
      io.stderr(run.output.trimEnd())
      throw new Error(
        `The new action's tests did not pass on the first run (${run.passed} passed, ${run.failed} failed, ${run.written} snapshot(s) written), so nothing was kept. Jest's output is above.`
      )
    }
    io.stdout(
      `ran the action's tests: ${run.passed} passed; recorded ${run.written} snapshots in ${displayPath(
        path.join(folder, '__tests__', '__snapshots__')
      )}`
    )
  } catch (error) {
    rollback(folder, saved)
    io.stderr(`generate:action stopped and put the destination back as it was: ${(error as Error).message}`)
    return 1
  }

  io.stdout('')
  io.stdout(`Created the action ${name.key} ("${name.title}") in ${displayPath(folder)}.`)
  for (const line of nextSteps(name, displayPath(folder), defaultSubscriptionOf(name, isDeletion))) io.stdout(line)
  return 0
}
