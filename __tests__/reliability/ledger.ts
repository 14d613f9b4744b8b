import fs from 'fs'
import type { SimulatorState } from '../../src/simulator'
import type { EventStream, StreamEvent, Write } from './stream'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- dead-letter lines are read as written
export type DeadLetter = Record<string, any>

export function readJsonLines(file: string): DeadLetter[] {
  if (!fs.existsSync(file)) return []
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DeadLetter)
}

export function writeKey(write: Write): string {
  return write.collection === 'memberships'
    ? `memberships ${JSON.stringify([write.groupId, write.userId])}`
    : `${write.collection} ${write.marker}`
}

const MARKER = /^rid_(\d+)$/

/** How often the simulator stored each write (nothing there is de-duplicated), and where each marked record went. */
export function countWrites(state: SimulatorState): {
  counts: Map<string, number>
  owners: Map<string, Array<{ userId?: string; groupId?: string }>>
} {
  const counts = new Map<string, number>()
  const owners = new Map<string, Array<{ userId?: string; groupId?: string }>>()
  const add = (key: string, owner?: { userId?: string; groupId?: string }) => {
    counts.set(key, (counts.get(key) ?? 0) + 1)
    if (owner) owners.set(key, [...(owners.get(key) ?? []), owner])
  }
  const marked = (
    collection: string,
    attributes: Record<string, unknown>,
    owner: { userId?: string; groupId?: string }
  ) => {
    for (const key of Object.keys(attributes)) if (MARKER.test(key)) add(`${collection} ${key}`, owner)
  }
  for (const record of state.profiles) marked('profiles', record.attributes, { userId: record.userId })
  for (const record of state.events) marked('events', record.attributes, { userId: record.userId })
  for (const record of state.groups) marked('groups', record.attributes, { groupId: record.groupId })
  for (const record of state.memberships) {
    for (const userId of record.userIds) add(`memberships ${JSON.stringify([record.groupId, userId])}`)
  }
  return { counts, owners }
}

export interface LedgerOptions {
  /** Writes that may be stored once more than the rule allows: the documented resend after a kill, counted exactly. */
  allowedExtra?: Map<string, number>
}

export interface LedgerReport {
  deliverable: number
  delivered: number
  /** Deliverable events dead-lettered as failed (retries ran out), with their reason. */
  deadLetteredFailed: number
  rejected: number
  skipped: number
  /** Writes stored once more than once, under the documented resend allowance. */
  allowedResends: number
}

/** Parses a send checkpoint file (a snapshot line, then one line per finished line or subscription). */
export function checkpointDone(file: string): (line: number) => boolean {
  if (!fs.existsSync(file)) return () => false
  const complete = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1)
  if (complete.length === 0) return () => false
  const snapshot = JSON.parse(complete[0]) as { lowWaterMark: number; done: number[] }
  const done = new Set(snapshot.done)
  for (const entry of complete.slice(1)) if (/^\d+$/.test(entry.trim())) done.add(Number(entry))
  return (line) => line <= snapshot.lowWaterMark || done.has(line)
}

/**
 * The delivery rule of the fault suite, checked against what the simulator stored and the dead-letter file:
 * every event the destination accepts is stored exactly once (each of its writes), or is dead-lettered as failed
 * with its reason (and then stored at most once); every event it refuses is dead-lettered as rejected with its
 * reason and stores nothing; nothing else is stored. Throws with every violation found.
 */
export function checkLedger(
  stream: EventStream,
  state: SimulatorState,
  letters: DeadLetter[],
  options: LedgerOptions = {}
): LedgerReport {
  const { counts, owners } = countWrites(state)
  const allowed = options.allowedExtra ?? new Map<string, number>()
  const problems: string[] = []
  const report: LedgerReport = {
    deliverable: 0,
    delivered: 0,
    deadLetteredFailed: 0,
    rejected: 0,
    skipped: 0,
    allowedResends: 0
  }
  const expected = new Set<string>()
  const lettersOf = new Map<number, DeadLetter[]>()
  for (const letter of letters) lettersOf.set(letter.line, [...(lettersOf.get(letter.line) ?? []), letter])

  const checkLetters = (entry: StreamEvent, own: DeadLetter[], outcome: 'failed' | 'rejected') => {
    for (const letter of own) {
      if (letter.outcome !== outcome)
        problems.push(`line ${entry.line}: dead-lettered as ${letter.outcome}, expected ${outcome}`)
      if (typeof letter.reason !== 'string' || letter.reason.trim() === '')
        problems.push(`line ${entry.line}: dead letter without a reason`)
      if (letter.subscription !== entry.subscription)
        problems.push(`line ${entry.line}: dead letter names ${letter.subscription}`)
      if (JSON.stringify(letter.event) !== JSON.stringify(entry.event))
        problems.push(`line ${entry.line}: dead letter does not hold the event`)
    }
  }

  for (const entry of stream.events.values()) {
    const own = lettersOf.get(entry.line) ?? []
    lettersOf.delete(entry.line)
    if (entry.expect === 'skip') {
      report.skipped++
      if (own.length > 0) problems.push(`line ${entry.line}: no subscription takes it, yet it was dead-lettered`)
      continue
    }
    if (entry.expect === 'reject') {
      report.rejected++
      if (own.length === 0) problems.push(`line ${entry.line}: refused by the destination but not dead-lettered (lost)`)
      checkLetters(entry, own, 'rejected')
      continue
    }
    report.deliverable++
    checkLetters(entry, own, 'failed')
    for (const write of entry.writes) {
      const key = writeKey(write)
      expected.add(key)
      const stored = counts.get(key) ?? 0
      const extra = allowed.get(key) ?? 0
      if (stored > 1 + extra) problems.push(`line ${entry.line}: ${key} stored ${stored} times`)
      if (stored > 1) report.allowedResends += Math.min(stored - 1, extra)
      if (stored === 0 && own.length === 0)
        problems.push(`line ${entry.line}: ${key} never stored and not dead-lettered (lost)`)
      if (write.collection !== 'memberships') {
        for (const owner of owners.get(key) ?? []) {
          const wanted = write.collection === 'groups' ? { groupId: write.groupId } : { userId: write.userId }
          if (JSON.stringify(owner) !== JSON.stringify(wanted))
            problems.push(
              `line ${entry.line}: ${key} stored under ${JSON.stringify(owner)}, expected ${JSON.stringify(wanted)}`
            )
        }
      }
    }
    if (own.length > 0) report.deadLetteredFailed++
    else report.delivered++
  }
  for (const key of counts.keys()) if (!expected.has(key)) problems.push(`unexpected write ${key}`)
  for (const line of lettersOf.keys()) problems.push(`dead letter for line ${line}, which holds no event`)
  if (problems.length > 0) {
    const shown = problems.slice(0, 15).join('\n  ')
    throw new Error(`delivery rule broken (${problems.length} problems):\n  ${shown}`)
  }
  return report
}
