import fs from 'fs'
import path from 'path'
import { UsageError } from '../../args'
import { sameFile } from '../read/same-file'
import { checkpointTemporaryFile } from './checkpoint'
import { lockFiles } from './checkpoint-lock'

interface NamedFile {
  /** How a message names it: `--dead-letter`, `the input file`, ... */
  label: string
  /** The flag that chooses it, for "choose another" (outputs only). */
  flag?: string
  file: string
}

/** Why the output file cannot be written, or undefined when it can (a probe opens it, creating and removing it if new). */
function writeProblem(file: string): string | undefined {
  let stat: fs.Stats | undefined
  try {
    stat = fs.statSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return (error as Error).message
  }
  if (stat?.isDirectory()) return 'it is a folder'
  // A FIFO would block the probe until a reader comes; devices such as /dev/stderr are written like files.
  if (stat && (stat.isFIFO() || stat.isSocket())) return undefined
  const folder = path.dirname(path.resolve(file))
  if (!stat && !fs.existsSync(folder)) return `its folder ${folder} does not exist`
  try {
    fs.closeSync(fs.openSync(file, stat ? 'a' : 'wx'))
    if (!stat) fs.rmSync(file, { force: true })
    return undefined
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    if (code === 'ENOTDIR') return `${folder} is not a folder`
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `it cannot be written here (${code})`
    return (error as Error).message
  }
}

/**
 * Checks every file `send` writes before anything is sent: each must be writable, and none may be an input (the
 * events, the mapping) or another output, also through a symbolic or hard link. The checkpoint brings three files:
 * itself, its temporary file (FILE.tmp, renamed over it) and its lock (FILE.lock, and a temporary FILE.lock.PID.tmp).
 */
export function checkOutputFiles(options: {
  input: string
  mapping?: string
  deadLetter: string
  checkpoint?: string
}): void {
  const { input, mapping, deadLetter, checkpoint } = options
  const inputs: NamedFile[] = [
    ...(input !== '-' ? [{ label: 'the input file', file: input }] : []),
    ...(mapping ? [{ label: 'the --mapping file', file: mapping }] : [])
  ]
  const outputs: NamedFile[] = [{ label: '--dead-letter', flag: '--dead-letter', file: deadLetter }]
  if (checkpoint) {
    const [lock, lockTemporary] = lockFiles(checkpoint)
    outputs.push(
      { label: '--checkpoint', flag: '--checkpoint', file: checkpoint },
      { label: 'the temporary file of --checkpoint', flag: '--checkpoint', file: checkpointTemporaryFile(checkpoint) },
      { label: 'the lock file of --checkpoint', flag: '--checkpoint', file: lock },
      { label: 'the temporary lock file of --checkpoint', flag: '--checkpoint', file: lockTemporary }
    )
  }
  outputs.forEach((output, index) => {
    for (const other of [...inputs, ...outputs.slice(0, index)]) {
      const same = sameFile(output.file, other.file)
      if (!same) continue
      const link = same === 'link' ? ' (through a link)' : ''
      throw new UsageError(
        `${output.label} ${output.file} is ${other.label} ${
          other.file
        }${link}: send would overwrite it. Choose another ${output.flag ?? ''} file.`
      )
    }
  })
  for (const output of outputs.filter((candidate) => candidate.flag === candidate.label)) {
    const problem = writeProblem(output.file)
    if (problem) {
      throw new UsageError(
        `${output.label} ${output.file} cannot be written: ${problem}. Nothing was sent. Choose a file in a folder you can write to.`
      )
    }
  }
}
