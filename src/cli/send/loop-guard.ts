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
