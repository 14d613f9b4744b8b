/**
 * How many of the most recent messageIds a run remembers to skip repeats (Segment drops a repeated messageId too).
 * A repeat further back than this is sent again. 100,000 ids of Segment's usual 36 characters take about 11 MB (measured).
 */
export const MESSAGE_ID_WINDOW = 100_000

/** The last `size` ids seen, in a ring: memory stays bounded whatever the input size. */
export class RecentIds {
  private readonly seen = new Set<string>()
  private readonly ring: Array<string | undefined>
  private next = 0

  constructor(private readonly size = MESSAGE_ID_WINDOW) {
    this.ring = new Array<string | undefined>(size)
  }

  /** True when `id` is among the last `size` ids; otherwise it is remembered (the oldest is forgotten). */
  repeat(id: string): boolean {
    if (this.seen.has(id)) return true
    const oldest = this.ring[this.next]
    if (oldest !== undefined) this.seen.delete(oldest)
    this.ring[this.next] = id
    this.next = (this.next + 1) % this.size
    this.seen.add(id)
    return false
  }
}
