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

export function loadDestination(directory = DESTINATION_DIR): LoadedDestination {
  // eslint-disable-next-line @typescript-eslint/no-var-requires, @typescript-eslint/no-unsafe-assignment
  const loaded = require(directory)
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment
  const definition = loaded.default ?? loaded.destination
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access
  if (!definition?.name || typeof definition.actions !== 'object') {
    throw new Error(`No destination definition is exported from ${directory}/index.ts`)
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  return { directory, definition }
}
