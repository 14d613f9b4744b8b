import fs from 'fs'
import { UsageError } from '../args'

/** What a checkpoint belongs to; resuming with another input or other subscriptions is refused. */
export interface CheckpointIdentity {
  input: string
  subscriptions: string
}

interface Snapshot extends CheckpointIdentity {
  appcuesSendCheckpoint: 1
  lowWaterMark: number
  done: number[]
  partial: Record<string, number[]>
}

const COMPACT_EVERY = 10_000

/**
 * Which input lines are finished, kept crash-safe. The file is a JSON snapshot line followed by one appended line
 * per finished input line (`12`) or finished subscription of a line still in progress (`12/3`). Lines finish out
 * of order (deliveries run concurrently), so the state is a low-water mark (every line up to it is finished) plus
 * the set of finished lines above it, which concurrency keeps small. Each entry is written before the next event
 * is taken, so a killed run loses nothing it delivered; the log is folded into the snapshot now and then.
 */
export class Checkpoint {
  private lowWaterMark = 0
  private readonly done = new Set<number>()
  private readonly partial = new Map<number, Set<number>>()
  private fd: number
  private appended = 0
  /** Lines finished when this run started. */
  readonly resumedLines: number

  private constructor(
    readonly file: string,
    private readonly identity: CheckpointIdentity,
    resumed?: Snapshot,
    log: string[] = []
  ) {
    if (resumed) {
      this.lowWaterMark = resumed.lowWaterMark
      resumed.done.forEach((line) => this.done.add(line))
      for (const [line, units] of Object.entries(resumed.partial)) this.partial.set(Number(line), new Set(units))
      for (const entry of log) this.apply(entry)
      this.advance()
    }
    this.resumedLines = this.lowWaterMark + this.done.size
    this.fd = this.compact()
  }

  static open(file: string, identity: CheckpointIdentity): Checkpoint {
    if (!fs.existsSync(file)) return new Checkpoint(file, identity)
    const text = fs.readFileSync(file, 'utf8')
    // The text after the last newline is empty, or half-written by a killed run: either way it is ignored.
    const complete = text.split('\n').slice(0, -1)
    let snapshot: Snapshot
    try {
      snapshot = JSON.parse(complete[0] ?? '') as Snapshot
    } catch {
      throw new UsageError(
        `${file} is not a checkpoint written by send. Delete it or choose another --checkpoint file.`
      )
    }
    if (snapshot.appcuesSendCheckpoint !== 1) {
      throw new UsageError(
        `${file} is not a checkpoint written by send. Delete it or choose another --checkpoint file.`
      )
    }
    if (snapshot.input !== identity.input || snapshot.subscriptions !== identity.subscriptions) {
      throw new UsageError(
        `The checkpoint ${file} belongs to another run (input ${snapshot.input}, other subscriptions or mapping). Resume with the same input and mapping, or choose another --checkpoint file.`
      )
    }
    return new Checkpoint(file, identity, snapshot, complete.slice(1))
  }

  private apply(entry: string): void {
    const match = /^(\d+)(?:\/(\d+))?$/.exec(entry.trim())
    if (!match) return
    const line = Number(match[1])
    if (match[2] === undefined) {
      this.finish(line)
    } else {
      const units = this.partial.get(line) ?? new Set<number>()
      units.add(Number(match[2]))
      this.partial.set(line, units)
    }
  }

  private finish(line: number): void {
    if (line > this.lowWaterMark) this.done.add(line)
    this.partial.delete(line)
  }

  private advance(): void {
    while (this.done.has(this.lowWaterMark + 1)) this.done.delete(++this.lowWaterMark)
  }

  isLineDone(line: number): boolean {
    return line <= this.lowWaterMark || this.done.has(line)
  }

  /** Subscriptions of the line that finished before an interruption. */
  finishedUnits(line: number): ReadonlySet<number> {
    return this.partial.get(line) ?? new Set()
  }

  /** One subscription of a line finished while others of the same line are still running. */
  markUnit(line: number, unit: number): void {
    this.apply(`${line}/${unit}`)
    this.write(`${line}/${unit}`)
  }

  /** The line is finished. `durable: false` for lines where re-doing them is harmless (blank, malformed). */
  markLine(line: number, durable = true): void {
    this.finish(line)
    this.advance()
    if (durable) this.write(String(line))
  }

  private write(entry: string): void {
    fs.writeSync(this.fd, `${entry}\n`)
    if (++this.appended >= COMPACT_EVERY) {
      fs.closeSync(this.fd)
      this.fd = this.compact()
    }
  }

  /** Writes the state as a fresh snapshot (atomically, through a rename) and returns a descriptor to append to. */
  private compact(): number {
    const snapshot: Snapshot = {
      appcuesSendCheckpoint: 1,
      ...this.identity,
      lowWaterMark: this.lowWaterMark,
      done: [...this.done].sort((a, b) => a - b),
      partial: Object.fromEntries([...this.partial].map(([line, units]) => [line, [...units]]))
    }
    const temporary = `${this.file}.tmp`
    fs.writeFileSync(temporary, `${JSON.stringify(snapshot)}\n`)
    fs.renameSync(temporary, this.file)
    this.appended = 0
    return fs.openSync(this.file, 'a')
  }

  close(): void {
    fs.closeSync(this.fd)
    fs.closeSync(this.compact())
  }
}
