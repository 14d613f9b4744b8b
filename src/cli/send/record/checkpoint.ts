import fs from 'fs'
import { ContentFingerprint } from '../read/content-mark'
import type { ContentMark } from '../read/content-mark'
import { CHECKPOINT_VERSION, readCheckpointFile } from './checkpoint-file'
import type { Entry, Snapshot, StartedBatch } from './checkpoint-file'

/** What a checkpoint belongs to: the subscriptions (a fingerprint, and how many); the input is known by its content. */
export interface CheckpointIdentity {
  /** The input's name, for messages. */
  input: string
  subscriptions: string
  subscriptionCount: number
}

const COMPACT_EVERY = 10_000

/** The file a new snapshot is written to before it is renamed over the checkpoint. */
export const checkpointTemporaryFile = (file: string) => `${file}.tmp`

const NOTHING_READ: ContentMark = new ContentFingerprint().mark()

/**
 * Which input lines are finished, kept crash-safe. The file is a JSON snapshot line followed by one appended line
 * per finished input line (`12`) or finished subscription of a line still in progress (`12/3`). Lines finish out
 * of order (deliveries run concurrently), so the state is a low-water mark (every line up to it is finished) plus
 * the set of finished lines above it, which concurrency keeps small. Each entry is written before the next event
 * is taken, so a killed run loses nothing it delivered; the log is folded into the snapshot now and then.
 *
 * It also records the calls answered for work that is not finished (`c SCOPE FINGERPRINT`, taken back by
 * `x SCOPE FINGERPRINT`), and the lines of each batch as it starts (`b ID UNIT LINES`). A resumed run re-forms an
 * unfinished batch with its unfinished events, and does not send again a call whose answer the killed run had
 * received: the second call of a two-call action, or the calls of a batch that was interrupted half-way.
 *
 * The input is recognised by its content: with each entry goes the SHA-256 of the lines read so far (`r LINES HASH`,
 * written with the entry whenever the reader moved on), which covers every line an entry names. A resumed run checks
 * those lines before it releases any (see `fingerprinted`).
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
  /** The lines an earlier run had read, which this run's input must hold first; nothing read for a new checkpoint. */
  readonly recordedContent: ContentMark
  /** The content mark last written to the file. */
  private writtenContent: ContentMark
  /** Lines finished when this run started. */
  readonly resumedLines: number
  /** The error of the first write that failed; nothing more is appended after it. */
  failure?: Error
  /** Told of the first write that fails. */
  onFailure?: (error: Error) => void
  /** The input's name in the checkpoint when this run started. */
  readonly recordedInput: string

  private constructor(
    readonly file: string,
    private readonly identity: CheckpointIdentity,
    /** Hashes the input as this run reads it. */
    readonly content: ContentFingerprint,
    resumed?: { snapshot: Snapshot; entries: Entry[] }
  ) {
    this.recordedContent = NOTHING_READ
    this.recordedInput = identity.input
    if (resumed) {
      const { snapshot, entries } = resumed
      this.recordedInput = snapshot.input
      this.lowWaterMark = snapshot.lowWaterMark
      snapshot.done.forEach((line) => this.done.add(line))
      for (const [line, units] of Object.entries(snapshot.partial)) this.partial.set(Number(line), new Set(units))
      for (const [scope, calls] of Object.entries(snapshot.calls ?? {}))
        calls.forEach((call) => this.addCall(scope, call))
      for (const [id, batch] of Object.entries(snapshot.batches ?? {})) this.batches.set(id, batch)
      this.recordedContent = snapshot.read
      for (const entry of entries) {
        if (entry.kind === 'read') this.recordedContent = entry.mark
        else this.apply(entry)
      }
      this.advance()
      this.forgetFinished()
      for (const [id, batch] of this.batches) {
        for (const line of batch.lines) if (!this.isLineDone(line)) this.resumedBatches.set(`${line}/${batch.unit}`, id)
      }
    }
    this.writtenContent = this.recordedContent
    this.resumedLines = this.lowWaterMark + this.done.size
    this.fd = this.compact()
  }

  /** Opens (or creates) the checkpoint; `content` hashes the input as this run reads it. */
  static open(file: string, identity: CheckpointIdentity, content: ContentFingerprint): Checkpoint {
    if (!fs.existsSync(file)) return new Checkpoint(file, identity, content)
    return new Checkpoint(file, identity, content, readCheckpointFile(file, fs.readFileSync(file), identity))
  }

  private apply(entry: Entry): void {
    if (entry.kind === 'call') this.addCall(entry.scope, entry.fingerprint)
    else if (entry.kind === 'uncall') this.removeCall(entry.scope, entry.fingerprint)
    else if (entry.kind === 'batch') this.batches.set(entry.id, { unit: entry.unit, lines: entry.lines })
    else if (entry.kind === 'line') this.finish(entry.line)
    else if (entry.kind === 'unit') {
      const units = this.partial.get(entry.line) ?? new Set<number>()
      units.add(entry.unit)
      this.partial.set(entry.line, units)
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
    this.apply({ kind: 'unit', line, unit })
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

  /** The lines read so far; until a resumed run has checked the recorded ones, the recorded mark stands. */
  private contentMark(): ContentMark {
    if (!this.content.trusted) return this.recordedContent
    const mark = this.content.mark()
    return mark.lines >= this.recordedContent.lines ? mark : this.recordedContent
  }

  private write(entry: string): void {
    if (this.failure) return
    const mark = this.contentMark()
    const read = mark.lines > this.writtenContent.lines ? `r ${mark.lines} ${mark.sha256}\n` : ''
    try {
      // One write: the content mark that covers the entry's line cannot be lost without the entry.
      fs.writeSync(this.fd, `${read}${entry}\n`)
      this.writtenContent = mark
      if (++this.appended >= COMPACT_EVERY) {
        fs.closeSync(this.fd)
        this.fd = this.compact()
      }
    } catch (error) {
      // Nothing more is appended after a failed write (a full disk): a half-written last entry is ignored on resume.
      this.failure = error as Error
      this.onFailure?.(this.failure)
    }
  }

  /** Writes the state as a fresh snapshot (atomically, through a rename) and returns a descriptor to append to. */
  private compact(): number {
    this.forgetFinished()
    this.writtenContent = this.contentMark()
    const snapshot: Snapshot = {
      appcuesSendCheckpoint: CHECKPOINT_VERSION,
      input: this.identity.input,
      subscriptions: this.identity.subscriptions,
      read: this.writtenContent,
      lowWaterMark: this.lowWaterMark,
      done: [...this.done].sort((a, b) => a - b),
      partial: Object.fromEntries([...this.partial].map(([line, units]) => [line, [...units]])),
      ...(this.calls.size > 0 ? { calls: Object.fromEntries(this.calls) } : {}),
      ...(this.batches.size > 0 ? { batches: Object.fromEntries(this.batches) } : {})
    }
    const temporary = checkpointTemporaryFile(this.file)
    fs.writeFileSync(temporary, `${JSON.stringify(snapshot)}\n`)
    fs.renameSync(temporary, this.file)
    this.appended = 0
    return fs.openSync(this.file, 'a')
  }

  /** Writes the final snapshot; returns the error when the file could not be written (then or during the run). */
  close(): Error | undefined {
    try {
      fs.closeSync(this.fd)
      fs.closeSync(this.compact())
      return this.failure
    } catch (error) {
      return this.failure ?? (error as Error)
    }
  }
}
