import fs from 'fs'
import path from 'path'
import { Checkpoint } from '../../src/cli/send/record/checkpoint'
import { ContentFingerprint } from '../../src/cli/send/read/content-mark'
import { removeTempDirs, tempDir } from './helpers'

afterEach(removeTempDirs)

const identity = { input: '/data/events.jsonl', subscriptions: 'abcd1234', subscriptionCount: 4 }

/** The content of an input of which 30,000 lines were read (the unit tests mark lines without reading any). */
function readLines(count = 30_000): ContentFingerprint {
  const content = new ContentFingerprint()
  for (let line = 1; line <= count; line++) content.add({ line, text: '{"type":"track"}' })
  content.trusted = true
  return content
}
const LINES = readLines()

describe('Checkpoint', () => {
  it('tracks lines finished out of order with a low-water mark and a small set, and survives a reopen', () => {
    const file = path.join(tempDir(), 'cp')
    const first = Checkpoint.open(file, identity, LINES)
    for (const line of [2, 1, 5, 3, 7]) first.markLine(line)
    expect([1, 2, 3, 4, 5, 6, 7].map((line) => first.isLineDone(line))).toEqual([
      true,
      true,
      true,
      false,
      true,
      false,
      true
    ])
    // Killed without close(): the appended entries are all there is.
    const second = Checkpoint.open(file, identity, LINES)
    expect(second.resumedLines).toBe(5)
    expect([1, 2, 3, 4, 5, 6, 7].map((line) => second.isLineDone(line))).toEqual([
      true,
      true,
      true,
      false,
      true,
      false,
      true
    ])
    second.markLine(4)
    second.markLine(6)
    second.close()
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0])
    expect(snapshot).toMatchObject({ lowWaterMark: 7, done: [], partial: {} })
  })

  it('ignores a half-written last entry', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity, LINES)
    checkpoint.markLine(1)
    fs.appendFileSync(file, '2') // a run killed in the middle of writing "23\n"
    const reopened = Checkpoint.open(file, identity, LINES)
    expect(reopened.isLineDone(1)).toBe(true)
    expect(reopened.isLineDone(2)).toBe(false)
    checkpoint.close()
  })

  it('remembers the subscriptions of a line that finished before the line did', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity, LINES)
    checkpoint.markUnit(3, 1)
    const reopened = Checkpoint.open(file, identity, LINES)
    expect([...reopened.finishedUnits(3)]).toEqual([1])
    expect(reopened.isLineDone(3)).toBe(false)
    reopened.markLine(3)
    expect(reopened.finishedUnits(3).size).toBe(0)
  })

  it('does not write lines marked as not durable until it compacts', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity, LINES)
    checkpoint.markLine(1, false)
    expect(Checkpoint.open(file, identity, LINES).isLineDone(1)).toBe(false)
    checkpoint.close()
    expect(Checkpoint.open(file, identity, LINES).isLineDone(1)).toBe(true)
  })

  it('compacts the log so that the file and the memory stay small on long runs', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity, LINES)
    for (let line = 1; line <= 25_000; line++) checkpoint.markLine(line)
    expect(fs.statSync(file).size).toBeLessThan(40_000) // a snapshot plus fewer than 10 000 short entries
    expect(Checkpoint.open(file, identity, LINES).resumedLines).toBe(25_000)
    checkpoint.close()
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1)
  })

  it('remembers the calls answered for unfinished units and batches, and forgets them once their lines finish', () => {
    const file = path.join(tempDir(), 'cp')
    const first = Checkpoint.open(file, identity, LINES)
    first.markCall(Checkpoint.unitScope(4, 2), 'aaa')
    const batch = first.startBatch(1, [5, 7, 9])
    first.markCall(batch, 'bbb')
    first.markCall(batch, 'bbb')
    first.markLine(5)
    // Killed without close(): the appended entries are all there is.
    const second = Checkpoint.open(file, identity, LINES)
    expect(second.answeredCalls('4/2')).toEqual(['aaa'])
    expect(second.answeredCalls(batch)).toEqual(['bbb', 'bbb'])
    expect(second.resumedBatch(7, 1)).toEqual({ id: batch, lines: [5, 7, 9] })
    expect(second.resumedBatch(5, 1)).toBeUndefined() // finished
    expect(second.resumedBatch(7, 0)).toBeUndefined() // another subscription
    second.markLine(4)
    expect(second.answeredCalls('4/2')).toEqual([])
    second.unmarkCall(batch, 'bbb')
    const reopened = Checkpoint.open(file, identity, LINES)
    expect(reopened.answeredCalls(batch)).toEqual(['bbb'])
    reopened.close()
    second.close()
    // Compacted, still there until every line of the batch is finished.
    const third = Checkpoint.open(file, identity, LINES)
    expect(third.answeredCalls(batch)).toEqual(['bbb'])
    third.markLine(7)
    third.markLine(9)
    third.close()
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0])
    expect(snapshot.calls).toBeUndefined()
    expect(snapshot.batches).toBeUndefined()
  })

  it('refuses a checkpoint of an earlier version, which recognised its input by name only', () => {
    const file = path.join(tempDir(), 'cp')
    const old = { appcuesSendCheckpoint: 1, ...identity, lowWaterMark: 3, done: [5], partial: { 4: [1] } }
    fs.writeFileSync(file, `${JSON.stringify(old)}\n6\n`)
    expect(() => Checkpoint.open(file, identity, LINES)).toThrow(
      `${file} is not a checkpoint written by send: it was written by an earlier version of send, which recognised its input by name only.`
    )
  })
})
