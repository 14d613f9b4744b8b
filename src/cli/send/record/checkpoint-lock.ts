import fs from 'fs'
import { UsageError } from '../../args'

export interface CheckpointLock {
  release: () => void
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function holderOf(lockFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** The lock of a checkpoint, and the temporary file it is created from. */
export function lockFiles(checkpoint: string): [string, string] {
  const lockFile = `${checkpoint}.lock`
  return [lockFile, `${lockFile}.${process.pid}.tmp`]
}

/** Creates the lock file holding this process's id, atomically: it appears complete or not at all. */
function tryCreate(lockFile: string, temporary: string): boolean {
  fs.writeFileSync(temporary, `${process.pid}\n`)
  try {
    fs.linkSync(temporary, lockFile)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    fs.rmSync(temporary, { force: true })
  }
}

/**
 * Takes the checkpoint's lock (`FILE.lock`, holding the process id) so that two runs never share one checkpoint.
 * A lock left by a process that no longer runs (killed, or the machine restarted) is taken over.
 */
export function lockCheckpoint(file: string): CheckpointLock {
  const [lockFile, temporary] = lockFiles(file)
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockFile, temporary)) {
      return {
        release: () => {
          if (holderOf(lockFile) === process.pid) fs.rmSync(lockFile, { force: true })
        }
      }
    }
    const holder = holderOf(lockFile)
    if (holder !== undefined && isAlive(holder)) {
      throw new UsageError(
        `The checkpoint ${file} is in use by another send run (process ${holder}). Wait for that run to finish or stop it, or choose another --checkpoint file.`
      )
    }
    // Left by a run that no longer exists: taken over.
    fs.rmSync(lockFile, { force: true })
  }
  throw new UsageError(
    `The checkpoint ${file} could not be locked: another run keeps taking it. Make sure only one send uses it, or delete ${lockFile}.`
  )
}
