import fs from 'fs'
import { UsageError } from '../../args'

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
  /** Calls answered for a unit (`12/3`) or a batch (`b…`) not finished yet: their fingerprints, one per answer. */
  calls?: Record<string, string[]>
  /** Batches with lines not finished yet: the subscription (unit) and the lines they hold. */
  batches?: Record<string, StartedBatch>
}

export interface StartedBatch {
  unit: number
  lines: number[]
}

const COMPACT_EVERY = 10_000

/**
 * Which input lines are finished, kept crash-safe. The file is a JSON snapshot line followed by one appended line
 * per finished input line (`12`) or finished subscription of a line still in progress (`12/3`). Lines finish out
 * of order (deliveries run concurrently), so the state is a low-water mark (every line up to it is finished) plus
 * the set of finished lines above it, which concurrency keeps small. Each entry is written before the next event
 * is taken, so a killed run loses nothing it delivered; the log is folded into the snapshot now and then.
 *
 * It also records the calls answered for work that is not finished (`c SCOPE FINGERPRINT`, taken back by
 * `x SCOPE FINGERPRINT`), and the lines of each batch as it starts (`b ID UNIT LINES`). A resumed run re-forms an unfinished batch with its unfinished events, and
 * does not send again a call whose answer the killed run had received: the second call of a two-call action, or
 * the calls of a batch that was interrupted half-way.
 */
export class Checkpoint {
  private lowWaterMark = 0
  private readonly done = new Set<number>()
  private readonly partial = new Map<number, Set<number>>()
  private readonly calls = new Map<string, string[]>()
  /** The unit scopes (`12/3`) with calls, by line. */
  private readonly unitScopes = new Map<number, Set<string>>()
  private readonly batches = new Map<string, StartedBatch>()
  /** `line/unit` → the unfinished batch of an earlier run that held that unit. */
  private readonly resumedBatches = new Map<string, string>()
  private readonly runId = Date.now().toString(36)
  private batchCount = 0
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
      for (const [scope, calls] of Object.entries(resumed.calls ?? {}))
        calls.forEach((call) => this.addCall(scope, call))
      for (const [id, batch] of Object.entries(resumed.batches ?? {})) this.batches.set(id, batch)
      for (const entry of log) this.apply(entry)
      this.advance()
      this.forgetFinished()
      for (const [id, batch] of this.batches) {
        for (const line of batch.lines) if (!this.isLineDone(line)) this.resumedBatches.set(`${line}/${batch.unit}`, id)
      }
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
    const call = /^([cx]) (\S+) (\S+)$/.exec(entry.trim())
    if (call) {
      if (call[1] === 'c') this.addCall(call[2], call[3])
      else this.removeCall(call[2], call[3])
      return
    }
    const batch = /^b (\S+) (\d+) ([\d,]+)$/.exec(entry.trim())
    if (batch) {
      this.batches.set(batch[1], { unit: Number(batch[2]), lines: batch[3].split(',').map(Number) })
      return
    }
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
    // The calls recorded for the line's units are not needed once the line is finished.
    this.unitScopes.get(line)?.forEach((scope) => this.calls.delete(scope))
    this.unitScopes.delete(line)
  }

  private addCall(scope: string, fingerprint: string): void {
    const calls = this.calls.get(scope) ?? []
    calls.push(fingerprint)
    this.calls.set(scope, calls)
    const unit = /^(\d+)\//.exec(scope)
    if (unit) {
      const line = Number(unit[1])
      const scopes = this.unitScopes.get(line) ?? new Set<string>()
      scopes.add(scope)
      this.unitScopes.set(line, scopes)
    }
  }

  private removeCall(scope: string, fingerprint: string): void {
    const calls = this.calls.get(scope) ?? []
    const index = calls.indexOf(fingerprint)
    if (index >= 0) calls.splice(index, 1)
  }

  /** Drops the batches whose lines are all finished, with their calls. */
  private forgetFinished(): void {
    for (const [id, batch] of this.batches) {
      if (batch.lines.every((line) => this.isLineDone(line))) {
        this.batches.delete(id)
        this.calls.delete(id)
      }
    }
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

  /** Scope of the calls of one unit (one event through one subscription) delivered on its own. */
  static unitScope(line: number, unit: number): string {
    return `${line}/${unit}`
  }

  /** The fingerprints of the calls answered for `scope` by an earlier run, one per answer. */
  answeredCalls(scope: string): string[] {
    return this.calls.get(scope) ?? []
  }

  /** A call was answered for `scope` (a unit, or a batch) while the work is not finished. */
  markCall(scope: string, fingerprint: string): void {
    this.addCall(scope, fingerprint)
    this.write(`c ${scope} ${fingerprint}`)
  }

  /** Takes back one answer recorded for `scope` (a batch sent the same call twice and only one copy succeeded). */
  unmarkCall(scope: string, fingerprint: string): void {
    this.removeCall(scope, fingerprint)
    this.write(`x ${scope} ${fingerprint}`)
  }

  /** Records a batch as it starts; its answered calls are recorded under the id returned. */
  startBatch(unit: number, lines: number[]): string {
    const id = `b${this.runId}.${++this.batchCount}`
    this.batches.set(id, { unit, lines })
    this.write(`b ${id} ${unit} ${lines.join(',')}`)
    return id
  }

  /** The unfinished batch of an earlier run that held this unit, with the lines it held. */
  resumedBatch(line: number, unit: number): { id: string; lines: number[] } | undefined {
    const id = this.resumedBatches.get(`${line}/${unit}`)
    const batch = id === undefined ? undefined : this.batches.get(id)
    return id === undefined || !batch ? undefined : { id, lines: batch.lines }
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
    this.forgetFinished()
    const snapshot: Snapshot = {
      appcuesSendCheckpoint: 1,
      ...this.identity,
      lowWaterMark: this.lowWaterMark,
      done: [...this.done].sort((a, b) => a - b),
      partial: Object.fromEntries([...this.partial].map(([line, units]) => [line, [...units]])),
      ...(this.calls.size > 0 ? { calls: Object.fromEntries(this.calls) } : {}),
      ...(this.batches.size > 0 ? { batches: Object.fromEntries(this.batches) } : {})
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
