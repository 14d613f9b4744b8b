import fs from 'fs'
import path from 'path'
import type { CommandIO } from '../command'

export interface GeneratedFile {
  path: string
  content: string
}

export interface SyncOptions {
  /** Write nothing; report the files that differ from a fresh generation. */
  check: boolean
  /** The command that regenerates the files, named in messages. */
  command: string
  io: CommandIO
}

/** A path relative to the working directory when it lies below it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') ? file : relative
}

/**
 * Compares generated files with the ones on disk. Without `check`, writes the ones that differ; with it, writes
 * nothing and names each stale file. Resolves to the exit code.
 */
export function syncGeneratedFiles(files: GeneratedFile[], { check, command, io }: SyncOptions): number {
  const stale = files.filter((file) => {
    const current = fs.existsSync(file.path) ? fs.readFileSync(file.path, 'utf8') : undefined
    return current !== file.content
  })
  for (const file of stale) {
    if (check) {
      const state = fs.existsSync(file.path) ? 'stale' : 'missing'
      io.stderr(
        `${state}: ${displayPath(file.path)} differs from a fresh generation. ` +
          `Fix: run \`npx appcues-actions ${command}\` and commit the result; never edit it by hand.`
      )
    } else {
      fs.writeFileSync(file.path, file.content)
      io.stdout(`wrote ${displayPath(file.path)}`)
    }
  }
  if (stale.length === 0) io.stdout(`${files.length} generated file(s) up to date`)
  return check && stale.length > 0 ? 1 : 0
}
