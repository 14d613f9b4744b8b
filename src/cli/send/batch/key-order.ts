/** A place in line: `turn` resolves once every earlier holder of one of its keys has left; `leave` when done. */
export interface Place {
  turn: Promise<void>
  leave: () => void
}

/**
 * Keeps the input order of work that shares a key (one user's updates through one subscription, one audience's
 * changes): a place taken with `enter` waits for the places taken earlier with any of its keys to be left, retries
 * included, while work with other keys goes on in parallel. Places must be taken in input order; memory holds only the
 * keys of work not finished yet.
 */
export class KeyOrder {
  private readonly tails = new Map<string, Promise<void>>()

  enter(keys: string[]): Place {
    if (keys.length === 0) return { turn: Promise.resolve(), leave: () => undefined }
    const earlier = keys.flatMap((key) => {
      const tail = this.tails.get(key)
      return tail ? [tail] : []
    })
    let leave = () => undefined as void
    const done = new Promise<void>((resolve) => (leave = resolve))
    for (const key of keys) this.tails.set(key, done)
    void done.then(() => {
      for (const key of keys) if (this.tails.get(key) === done) this.tails.delete(key)
    })
    return { turn: earlier.length === 0 ? Promise.resolve() : Promise.all(earlier).then(() => undefined), leave }
  }
}
