import fs from 'fs'
import type { Readable } from 'stream'
import { UsageError } from '../../args'

export interface Input {
  /** Opens the stream; called only when reading starts, so that nothing is left open if the run fails before. */
  open: () => Readable
  totalBytes?: number
  /** The input as the user named it: a path, or `-`. */
  name: string
}

export function inputOf(input: string, stdin: Readable | undefined): Input {
  if (input === '-') return { open: () => stdin ?? process.stdin, name: '-' }
  let stat: fs.Stats
  try {
    stat = fs.statSync(input)
  } catch {
    throw new UsageError(
      `Cannot read the input ${input}: the file does not exist. Give a JSON-lines file, or - for standard input.`
    )
  }
  if (!stat.isFile()) {
    throw new UsageError(`The input ${input} is not a file. Give a JSON-lines file, or - for standard input.`)
  }
  return { open: () => fs.createReadStream(input), totalBytes: stat.size, name: input }
}
