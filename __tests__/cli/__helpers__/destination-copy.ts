import fs from 'fs'
import path from 'path'
import { DESTINATION_DIR } from '../../../src/cli/load-destination'

/** Every file of a folder, by path relative to it. */
export function filesOf(dir: string, base = dir): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) Object.assign(files, filesOf(full, base))
    else files[path.relative(base, full)] = fs.readFileSync(full, 'utf8')
  }
  return files
}

/** Copies of the destination live inside the package, so that their imports of '@segment/actions-core' resolve. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..')

export interface DestinationCopy {
  /** The copied destination folder (named appcues, like the original). */
  dir: string
  file(relative: string): string
  read(relative: string): string
  /** Replaces `search` in a file of the copy, failing loudly when the text is not there. */
  edit(relative: string, search: string | RegExp, replacement: string): void
  remove(): void
}

/** A throw-away copy of src/destinations/appcues in <package>/.tmp-test-XXXX/appcues. */
export function copyDestination(): DestinationCopy {
  const root = fs.mkdtempSync(path.join(PACKAGE_ROOT, '.tmp-test-'))
  const dir = path.join(root, 'appcues')
  fs.cpSync(DESTINATION_DIR, dir, { recursive: true })
  const file = (relative: string) => path.join(dir, relative)
  const read = (relative: string) => fs.readFileSync(file(relative), 'utf8')
  return {
    dir,
    file,
    read,
    edit: (relative, search, replacement) => {
      const before = read(relative)
      const after = before.replace(search, replacement)
      if (after === before) throw new Error(`The copy's ${relative} does not contain ${String(search)}`)
      fs.writeFileSync(file(relative), after)
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true })
  }
}

/** Collects what a command prints. */
export function captureIO() {
  const out: string[] = []
  const err: string[] = []
  return {
    io: { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) },
    out,
    err,
    all: () => [...out, ...err].join('\n')
  }
}
