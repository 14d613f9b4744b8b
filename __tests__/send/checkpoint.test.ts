import fs from 'fs'
import path from 'path'
import { Checkpoint } from '../../src/cli/send/checkpoint'
import { removeTempDirs, tempDir } from './helpers'

afterEach(removeTempDirs)

const identity = { input: '/data/events.jsonl', subscriptions: 'abcd1234' }

describe('Checkpoint', () => {
  it('tracks lines finished out of order with a low-water mark and a small set, and survives a reopen', () => {
    const file = path.join(tempDir(), 'cp')
    const first = Checkpoint.open(file, identity)
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
    const second = Checkpoint.open(file, identity)
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
    const checkpoint = Checkpoint.open(file, identity)
    checkpoint.markLine(1)
    fs.appendFileSync(file, '2') // a run killed in the middle of writing "23\n"
    const reopened = Checkpoint.open(file, identity)
    expect(reopened.isLineDone(1)).toBe(true)
    expect(reopened.isLineDone(2)).toBe(false)
    checkpoint.close()
  })

  it('remembers the subscriptions of a line that finished before the line did', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity)
    checkpoint.markUnit(3, 1)
    const reopened = Checkpoint.open(file, identity)
    expect([...reopened.finishedUnits(3)]).toEqual([1])
    expect(reopened.isLineDone(3)).toBe(false)
    reopened.markLine(3)
    expect(reopened.finishedUnits(3).size).toBe(0)
  })

  it('does not write lines marked as not durable until it compacts', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity)
    checkpoint.markLine(1, false)
    expect(Checkpoint.open(file, identity).isLineDone(1)).toBe(false)
    checkpoint.close()
    expect(Checkpoint.open(file, identity).isLineDone(1)).toBe(true)
  })

  it('compacts the log so that the file and the memory stay small on long runs', () => {
    const file = path.join(tempDir(), 'cp')
    const checkpoint = Checkpoint.open(file, identity)
    for (let line = 1; line <= 25_000; line++) checkpoint.markLine(line)
    expect(fs.statSync(file).size).toBeLessThan(40_000) // a snapshot plus fewer than 10 000 short entries
    expect(Checkpoint.open(file, identity).resumedLines).toBe(25_000)
    checkpoint.close()
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1)
  })
})
