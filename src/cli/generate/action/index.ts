import fs from 'fs'
import path from 'path'
import prettier from 'prettier'
import type { CommandIO } from '../../command'
import { UsageError } from '../../args'
import { loadDestination } from '../../load-destination'
import { prettierConfig } from '../../prettier-config'
import { isDeletionAction } from '../../deletion-action'
import { displayPath, syncGeneratedFiles } from '../generated-file'
import { metadataFile } from '../metadata'
import { generatedTypeFiles } from '../types'
import { ActionNameError, actionName } from './name'
import type { ActionName } from './name'
import { registerAction } from './register'
import { nextSteps } from './next-steps'
import { refuseTakenKey, refuseType } from './refusals'
import { runActionTests } from './run-tests'
import { actionFiles, defaultSubscriptionOf } from './templates'

export interface GenerateActionOptions {
  name: string
  type: string
  title?: string
  /** The destination folder. */
  directory: string
}

/** The snapshot test records one snapshot for its required-fields case and one for its all-fields case. */
const SNAPSHOTS_PER_ACTION = 2

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
