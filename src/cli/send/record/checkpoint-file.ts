import { isUtf8 } from 'buffer'
import { UsageError } from '../../args'
import { isObject } from '../../event-shape'
import type { ContentMark } from '../read/content-mark'

/** The version written now; version 1 named its input by its path only. */
export const CHECKPOINT_VERSION = 2

export interface StartedBatch {
  unit: number
  lines: number[]
}

/** The first line of a checkpoint file: the state when it was last compacted. */
export interface Snapshot {
  appcuesSendCheckpoint: typeof CHECKPOINT_VERSION
  /** The input's name when the checkpoint was written, for messages; the input is recognised by `read`. */
  input: string
  subscriptions: string
  /** The content of the input's first lines, as far as the run that wrote this had read. */
  read: ContentMark
  lowWaterMark: number
  done: number[]
  partial: Record<string, number[]>
  /** Calls answered for a unit (`12/3`) or a batch (`b…`) not finished yet: their fingerprints, one per answer. */
  calls?: Record<string, string[]>
  /** Batches with lines not finished yet: the subscription (unit) and the lines they hold. */
  batches?: Record<string, StartedBatch>
}

/** One appended entry of the log that follows the snapshot. */
export type Entry =
  | { kind: 'line'; line: number }
  | { kind: 'unit'; line: number; unit: number }
  | { kind: 'call' | 'uncall'; scope: string; fingerprint: string }
  | { kind: 'batch'; id: string; unit: number; lines: number[] }
  | { kind: 'read'; mark: ContentMark }

const NUMBER = '(\\d{1,15})'
const SCOPE = '(\\d{1,15}\\/\\d{1,15}|b[\\w.]{1,40})'
const ENTRIES: Array<[RegExp, (match: RegExpExecArray) => Entry]> = [
  [new RegExp(`^${NUMBER}$`), (m) => ({ kind: 'line', line: Number(m[1]) })],
  [new RegExp(`^${NUMBER}\\/${NUMBER}$`), (m) => ({ kind: 'unit', line: Number(m[1]), unit: Number(m[2]) })],
  [
    new RegExp(`^([cx]) ${SCOPE} ([0-9a-z]{1,20})$`),
    (m) => ({ kind: m[1] === 'c' ? 'call' : 'uncall', scope: m[2], fingerprint: m[3] })
  ],
  [
    new RegExp(`^b (b[\\w.]{1,40}) ${NUMBER} (\\d{1,15}(?:,\\d{1,15})*)$`),
    (m) => ({ kind: 'batch', id: m[1], unit: Number(m[2]), lines: m[3].split(',').map(Number) })
  ],
  [new RegExp(`^r ${NUMBER} ([\\w-]{43})$`), (m) => ({ kind: 'read', mark: { lines: Number(m[1]), sha256: m[2] } })]
]

function damaged(file: string, why: string): UsageError {
  return new UsageError(
    `${file} is not a checkpoint written by send: ${why}. send cannot tell which lines an earlier run finished from it. ` +
      'Delete it to send every line again, or give another --checkpoint file.'
  )
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isLine = (value: unknown): value is number => isCount(value) && value > 0
const isList = <T>(value: unknown, each: (item: unknown) => item is T): value is T[] =>
  Array.isArray(value) && value.every(each)
const isText = (value: unknown): value is string => typeof value === 'string'

/** Why the snapshot is not one this version wrote, or undefined when its shape is right. */
function snapshotProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'its first line is not a JSON object'
  if (value.appcuesSendCheckpoint === 1) {
    return 'it was written by an earlier version of send, which recognised its input by name only'
  }
  if (value.appcuesSendCheckpoint !== CHECKPOINT_VERSION) return 'its first line has no "appcuesSendCheckpoint": 2'
  const { input, subscriptions, read, lowWaterMark, done, partial, calls, batches } = value
  if (!isText(input) || !isText(subscriptions)) return '"input" and "subscriptions" must be text'
  if (!isObject(read) || !isCount(read.lines) || !isText(read.sha256) || !/^[\w-]{43}$/.test(read.sha256)) {
    return '"read" must hold the number of lines read and their SHA-256'
  }
  if (!isCount(lowWaterMark)) return `"lowWaterMark" is ${JSON.stringify(lowWaterMark)}, not a number of lines`
  if (!isList(done, isLine) || done.some((line) => line <= lowWaterMark)) {
    return '"done" must list line numbers above "lowWaterMark"'
  }
  if (
    !isObject(partial) ||
    !Object.entries(partial).every(([line, units]) => /^\d{1,15}$/.test(line) && isList(units, isCount))
  ) {
    return '"partial" must map line numbers to lists of subscriptions'
  }
  if (calls !== undefined && (!isObject(calls) || !Object.values(calls).every((list) => isList(list, isText)))) {
    return '"calls" must map scopes to lists of fingerprints'
  }
  const isBatch = (batch: unknown) => isObject(batch) && isCount(batch.unit) && isList(batch.lines, isLine)
  if (batches !== undefined && (!isObject(batches) || !Object.values(batches).every(isBatch))) {
    return '"batches" must map batch ids to {unit, lines}'
  }
  return undefined
}

/** Every line a snapshot and its log name, with the subscription it names, if any. */
function referencedLines(snapshot: Snapshot, entries: Entry[]): Array<{ line: number; unit?: number }> {
  const lines: Array<{ line: number; unit?: number }> = [{ line: snapshot.lowWaterMark }]
  snapshot.done.forEach((line) => lines.push({ line }))
  for (const [line, units] of Object.entries(snapshot.partial))
    units.forEach((unit) => lines.push({ line: Number(line), unit }))
  for (const scope of Object.keys(snapshot.calls ?? {})) {
    const unit = /^(\d+)\/(\d+)$/.exec(scope)
    if (unit) lines.push({ line: Number(unit[1]), unit: Number(unit[2]) })
  }
  for (const batch of Object.values(snapshot.batches ?? {}))
    batch.lines.forEach((line) => lines.push({ line, unit: batch.unit }))
  for (const entry of entries) {
    if (entry.kind === 'line') lines.push({ line: entry.line })
    else if (entry.kind === 'unit') lines.push(entry)
    else if (entry.kind === 'batch') entry.lines.forEach((line) => lines.push({ line, unit: entry.unit }))
  }
  return lines
}

/**
 * Reads a checkpoint file written by send: a snapshot line, then one entry per line. The text after the last newline
 * (empty, or half-written by a killed run) is ignored; anything else that is not exactly what send writes makes it
 * "not a checkpoint", with the reason: a damaged file must never be taken for other progress than it records.
 */
export function readCheckpointFile(
  file: string,
  bytes: Buffer,
  run: { subscriptions: string; subscriptionCount: number }
): { snapshot: Snapshot; entries: Entry[] } {
  const subscriptionCount = run.subscriptionCount
  if (!isUtf8(bytes)) throw damaged(file, 'it is not UTF-8 text')
  const complete = bytes.toString('utf8').split('\n').slice(0, -1)
  if (complete.length === 0) throw damaged(file, 'it holds no complete line')
  let parsed: unknown
  try {
    parsed = JSON.parse(complete[0])
  } catch {
    throw damaged(file, 'its first line is not JSON')
  }
  const problem = snapshotProblem(parsed)
  if (problem) throw damaged(file, problem)
  const snapshot = parsed as Snapshot
  if (snapshot.subscriptions !== run.subscriptions) {
    throw new UsageError(
      `The checkpoint ${file} belongs to a run with other subscriptions (another --mapping, or a changed one). Resume with the mapping it was written with, or give another --checkpoint file.`
    )
  }
  const entries = complete.slice(1).map((text, index) => {
    for (const [pattern, build] of ENTRIES) {
      const match = pattern.exec(text)
      if (match) return build(match)
    }
    throw damaged(file, `line ${index + 2} reads ${JSON.stringify(text.slice(0, 60))}`)
  })
  const read = entries.reduce((mark, entry) => (entry.kind === 'read' ? entry.mark : mark), snapshot.read)
  for (const { line, unit } of referencedLines(snapshot, entries)) {
    if (line > read.lines) {
      throw damaged(file, `it lists line ${line}, beyond the ${read.lines} lines it records having read`)
    }
    if (unit !== undefined && unit >= subscriptionCount) {
      throw damaged(file, `it names subscription ${unit}, but the run has ${subscriptionCount}`)
    }
  }
  return { snapshot, entries }
}
