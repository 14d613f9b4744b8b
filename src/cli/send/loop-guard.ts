import http from 'http'
import https from 'https'

export interface LoopGuard {
  release: () => void
}

/**
 * Calls `onDrained` and ends the process with status 1 if Node's event loop runs out of work while the guard is held:
 * a promise that waits for something no longer scheduled (a request whose answer never comes, say) would otherwise
 * let the process exit with status 0 and no word, part-way through its work.
 */
export function guardEventLoop(onDrained: () => void): LoopGuard {
  const onBeforeExit = () => {
    process.off('beforeExit', onBeforeExit)
    try {
      onDrained()
    } finally {
      process.exit(1)
    }
  }
  process.on('beforeExit', onBeforeExit)
  return { release: () => process.off('beforeExit', onBeforeExit) }
}

/** How long a finished run's process may take to end on its own before it is ended with its status. */
const EXIT_GRACE_MS = 1000

/**
 * Once a run has printed its summary, nothing it started may keep the process alive: connections still open (an
 * answer that sent its headers and stalled its body stays open after the request timed out) are closed, and should
 * anything else remain, the process ends with `status` after a short grace.
 */
export function endAfterRun(status: number): void {
  http.globalAgent.destroy()
  https.globalAgent.destroy()
  setTimeout(() => process.exit(status), EXIT_GRACE_MS).unref()
}
