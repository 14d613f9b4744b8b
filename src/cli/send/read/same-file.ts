import fs from 'fs'
import path from 'path'

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

/**
 * Whether two names are one file: 'path' when they name it alike, 'link' when only a symbolic or hard link makes them
 * one, false otherwise. Outputs are checked against inputs with it, so that the input is never opened for writing.
 */
export function sameFile(a: string, b: string): 'path' | 'link' | false {
  if (path.resolve(a) === path.resolve(b)) return 'path'
  if (realPath(a) === realPath(b)) return 'link'
  const ida = identity(a)
  return ida !== undefined && ida === identity(b) ? 'link' : false
}
