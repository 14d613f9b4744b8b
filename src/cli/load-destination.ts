import path from 'path'
import type { DestinationDefinition } from '@segment/actions-core'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDestination = DestinationDefinition<any>

export interface LoadedDestination {
  directory: string
  definition: AnyDestination
}

/** The destination folder of this package, always its TypeScript source so that edits show without a build. */
export const DESTINATION_DIR = path.resolve(__dirname, '..', '..', 'src', 'destinations', 'appcues')

/** The destination folder a command works on: `--path DIR` when given (relative to the working directory). */
export function destinationDir(pathOption: string | undefined): string {
  return pathOption === undefined ? DESTINATION_DIR : path.resolve(process.cwd(), pathOption)
}

export class DestinationLoadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DestinationLoadError'
  }
}

/** The exported definition, as the monorepo's loader finds it: the default export, else a named `destination`. */
export function definitionFromModule(loaded: unknown, directory: string): AnyDestination {
  const exports = (loaded ?? {}) as { default?: unknown; destination?: unknown }
  const definition = (exports.default ?? exports.destination) as Partial<AnyDestination> | undefined
  if (!definition?.name || typeof definition.actions !== 'object' || definition.actions === null) {
    throw new DestinationLoadError(
      `No destination definition is exported from ${path.join(directory, 'index.ts')}. ` +
        'Export the definition as `export default destination` (or as a named `destination`), with a `name` and an `actions` object.'
    )
  }
  return definition as AnyDestination
}

/** Forgets every module loaded from inside `directory`, so that the next require reads the files again. */
export function forgetModules(directory: string): void {
  const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(prefix)) delete require.cache[file]
  }
}

/**
 * Lets `require` read the destination's TypeScript as it is on disk: sucrase strips the types as each file loads,
 * without type checking (`npm run typecheck` does that). Nothing is registered where TypeScript already loads (Jest).
 */
function allowTypeScriptSources(): void {
  if (require.extensions['.ts']) return
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { registerTS } = require('sucrase/dist/register') as typeof import('sucrase/dist/types/register')
  registerTS()
}

/** Loads the definition; with `fresh`, re-reads the folder's files instead of reusing modules loaded before. */
export function loadDestination(directory = DESTINATION_DIR, options: { fresh?: boolean } = {}): LoadedDestination {
  if (options.fresh) forgetModules(directory)
  allowTypeScriptSources()
  let loaded: unknown
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    loaded = require(directory)
  } catch (error) {
    const reason = (error as Error).message.split('\n').slice(0, 6).join('\n')
    throw new DestinationLoadError(`Could not load the destination from ${directory}: ${reason}`)
  }
  return { directory, definition: definitionFromModule(loaded, directory) }
}
