import fs from 'fs'
import path from 'path'
import { loadDestination } from '../load-destination'
import type { AnyDestination, LoadedDestination } from '../load-destination'

/** The destination a server runs, reloaded from disk when its files change. */
export interface DestinationSource {
  readonly directory: string
  current(): AnyDestination
  /** Loads the folder again now; resolves to the error message when it fails (the previous version stays). */
  reload(): string | undefined
  close(): void
}

export interface SourceOptions {
  /** How to load the folder afresh; by default a require that forgets the folder's modules first. */
  load?: (directory: string) => LoadedDestination
  /** Called after every reload attempt that a file change triggered. */
  onReload?: (error: string | undefined, changed: string) => void
  debounceMs?: number
}

/** Changes that do not affect the running destination: tests, snapshots and generated metadata. */
function ignored(file: string): boolean {
  return (
    /(^|[/\\])(__tests__|__snapshots__|node_modules)([/\\]|$)/.test(file) || path.basename(file) === 'metadata.json'
  )
}

/** Loads the destination now (throwing when it cannot) and watches its folder to reload it on changes. */
export function watchedDestination(directory: string, options: SourceOptions = {}): DestinationSource {
  const load = options.load ?? ((dir: string) => loadDestination(dir, { fresh: true }))
  let definition = load(directory).definition
  let timer: NodeJS.Timeout | undefined
  let changed = ''

  const reload = (): string | undefined => {
    try {
      definition = load(directory).definition
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }

  const watcher = fs.watch(directory, { recursive: true }, (_event, file) => {
    const name = file === null ? '' : String(file)
    if (ignored(name)) return
    changed = name
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => options.onReload?.(reload(), changed), options.debounceMs ?? 150)
  })

  return {
    directory,
    current: () => definition,
    reload,
    close: () => {
      if (timer) clearTimeout(timer)
      watcher.close()
    }
  }
}
