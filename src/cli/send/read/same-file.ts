import fs from 'fs'
import path from 'path'
import { UsageError } from '../../args'

/** The file's real path (through symbolic links), or, for a file not there yet, its folder's real path and name. */
function realPath(file: string): string {
  try {
    return fs.realpathSync(file)
  } catch {
    const folder = path.dirname(path.resolve(file))
    try {
      return path.join(fs.realpathSync(folder), path.basename(file))
    } catch {
      return path.resolve(file)
    }
  }
}

/** A file's identity on disk (device and inode), which hard links share too; undefined when it does not exist. */
function identity(file: string): string | undefined {
  try {
    const stat = fs.statSync(file)
    return `${stat.dev}:${stat.ino}`
  } catch {
    return undefined
  }
}

function same(a: string, b: string): boolean {
  if (realPath(a) === realPath(b)) return true
  const ida = identity(a)
  return ida !== undefined && ida === identity(b)
}

const samePath = (a: string, b: string) => path.resolve(a) === path.resolve(b)

/**
 * Refuses a dead-letter or checkpoint file that is the input, or each other, also through a symbolic or hard link:
 * `send` writes to both, and the input must never be opened for writing.
 */
export function refuseSameFiles(options: { input: string; deadLetter: string; checkpoint?: string }): void {
  const { input, deadLetter, checkpoint } = options
  if (input !== '-' && samePath(deadLetter, input)) {
    throw new UsageError(`--dead-letter must not be the input file ${input}; choose another file.`)
  }
  if (input !== '-' && same(deadLetter, input)) {
    throw new UsageError(
      `--dead-letter ${deadLetter} is the input file ${input} (through a link); choose another --dead-letter file.`
    )
  }
  if (!checkpoint) return
  if ([input, deadLetter].some((file) => samePath(file, checkpoint))) {
    throw new UsageError(`--checkpoint must be a file of its own, not the input or the dead-letter file.`)
  }
  if ((input !== '-' && same(checkpoint, input)) || same(checkpoint, deadLetter)) {
    throw new UsageError(
      `--checkpoint ${checkpoint} is the input or the dead-letter file (through a link); choose a file of its own.`
    )
  }
}
