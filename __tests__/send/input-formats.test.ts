import fs from 'fs'
import path from 'path'
import { Readable } from 'stream'
import { removeTempDirs, send, tempDir, UNTHROTTLED } from './helpers'
import { readArrayElements } from '../../src/cli/send/read/array-reader'
import { readEvents } from '../../src/cli/send/read/input-format'
import type { RawLine } from '../../src/cli/send/read/line-reader'
import { RecentIds } from '../../src/cli/send/route/recent-ids'
import { eventShapeProblem, nestedDeeperThan } from '../../src/cli/event-shape'

async function collect(lines: AsyncGenerator<RawLine>): Promise<RawLine[]> {
  const all: RawLine[] = []
  for await (const line of lines) all.push(line)
  return all
}

/** The text cut into chunks of `size` bytes, so that every boundary is crossed somewhere. */
function chunked(text: string | Buffer, size: number): Readable {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
  const chunks: Buffer[] = []
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size))
  return Readable.from(chunks)
}

describe('the JSON array reader', () => {
  const events = [
    { type: 'track', event: 'a, b ] } [ "x" \\', userId: 'u1' },
    { type: 'identify', userId: 'Zoë 🚀', traits: { list: [1, [2, { c: 3 }]] } }
  ]
  const text = `\ufeff  ${JSON.stringify(events, null, 2)}\n`

  it.each([1, 3, 7, 4096])('yields each element, numbered from 1, whatever the chunk size (%i)', async (size) => {
    const progress = { bytes: 0 }
    const elements = await collect(readEvents(chunked(text, size), progress))
    expect(elements.map((element) => element.line)).toEqual([1, 2])
    expect(elements.map((element) => JSON.parse(element.text) as unknown)).toEqual(events)
    expect(progress.bytes).toBe(Buffer.byteLength(text))
  })

  it('yields nothing for an empty array or a trailing comma, and reports text after the closing bracket', async () => {
    expect(await collect(readArrayElements(chunked('[ ]', 1), { bytes: 0 }))).toEqual([])
    expect(await collect(readArrayElements(chunked('[{"a":1},]', 2), { bytes: 0 }))).toEqual([
      { line: 1, text: '{"a":1}' }
    ])
    expect(await collect(readArrayElements(chunked('[{"a":1}] [{"b":2}]', 4), { bytes: 0 }))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '', unreadable: 'text follows the closing bracket of the JSON array' }
    ])
  })

  it('reports an element over the size limit and one that is not UTF-8, then goes on', async () => {
    const input = Buffer.concat([
      Buffer.from(`[{"a":"${'x'.repeat(100)}"},{"u":"`),
      Buffer.from([0xff]),
      Buffer.from('"},{"ok":1}]')
    ])
    expect(await collect(readArrayElements(chunked(input, 8), { bytes: 0 }, 64))).toEqual([
      { line: 1, text: '', tooLong: true },
      { line: 2, text: '', invalidUtf8: true },
      { line: 3, text: '{"ok":1}' }
    ])
  })

  it('reports what it read of an array that ends too early, and that it was cut short', async () => {
    const truncated = (after: number) => ({
      line: after + 1,
      text: '',
      truncated: true,
      unreadable: `the input ends after element ${after} without the closing bracket ] of its JSON array: the export is incomplete (cut short?). Export it again, or add the bracket if nothing is missing`
    })
    expect(await collect(readArrayElements(chunked('[{"a":1},{"b"', 3), { bytes: 0 }))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b"' },
      truncated(2)
    ])
    // Cut at the end of an element, or after its comma: the elements are whole, the array is not.
    expect(await collect(readArrayElements(chunked('[{"a":1},{"b":2}', 3), { bytes: 0 }))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
      truncated(2)
    ])
    expect(await collect(readArrayElements(chunked('[{"a":1},\n  ', 3), { bytes: 0 }))).toEqual([
      { line: 1, text: '{"a":1}' },
      truncated(1)
    ])
  })

  it.each([1, 5, 4096])(
    'decides the format once: a JSON-lines file whose first line is an array stays JSON lines (chunks of %i)',
    async (size) => {
      const text =
        '[{"type":"track","event":"a"}]\n{"type":"identify","userId":"u1"}\n{"type":"identify","userId":"u2"}\n'
      const lines = await collect(readEvents(chunked(text, size), { bytes: 0 }))
      expect(lines.map((line) => line.text)).toEqual(text.split('\n').slice(0, 3))
      expect(lines.map((line) => line.line)).toEqual([1, 2, 3])
    }
  )

  it.each([1, 5, 4096])('reads a one-line JSON array export as an array (chunks of %i)', async (size) => {
    for (const text of ['[{"a":1},{"b":"]\\n"}]', '[{"a":1},{"b":"]\\n"}]\n', '  [{"a":1},{"b":"]\\n"}] \n\n  \n']) {
      expect(await collect(readEvents(chunked(text, size), { bytes: 0 }))).toEqual([
        { line: 1, text: '{"a":1}' },
        { line: 2, text: '{"b":"]\\n"}' }
      ])
    }
  })

  it('leaves JSON lines to the line reader', async () => {
    const lines = await collect(readEvents(chunked('\n  {"a":1}\n{"b":2}\n', 2), { bytes: 0 }))
    expect(lines.map((line) => line.text)).toEqual(['', '  {"a":1}', '{"b":2}'])
  })
})

describe('the JSON-lines reader and UTF-8', () => {
  it('marks a line that is not UTF-8 instead of replacing its bytes', async () => {
    const input = Buffer.concat([Buffer.from('{"u":"u'), Buffer.from([0xff, 0xfe]), Buffer.from('1"}\n{"ok":1}\n')])
    expect(await collect(readEvents(chunked(input, 5), { bytes: 0 }))).toEqual([
      { line: 1, text: '', invalidUtf8: true },
      { line: 2, text: '{"ok":1}' }
    ])
  })
})

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestedDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false)
    expect(nestedDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true)
    expect(nestedDeeperThan('{"a":"[[[[{{{{\\"[[["}', 1)).toBe(false)
    expect(nestedDeeperThan(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(true)
  })
})

describe('RecentIds', () => {
  it('remembers exactly the last ids of its window', () => {
    const ids = new RecentIds(3)
    expect(['a', 'b', 'c'].map((id) => ids.repeat(id))).toEqual([false, false, false])
    expect(ids.repeat('a')).toBe(true)
    expect(ids.repeat('d')).toBe(false) // forgets a
    expect(ids.repeat('a')).toBe(false) // forgets b
    expect(['c', 'd', 'a'].map((id) => ids.repeat(id))).toEqual([true, true, true])
    expect(ids.repeat('b')).toBe(false)
  })
})

describe('eventShapeProblem', () => {
  it("names a context that is not an object, and personas or a page call's page that is not one", () => {
    expect(eventShapeProblem({ type: 'track' })).toBeUndefined()
    expect(eventShapeProblem({ type: 'track', context: { ip: '1.2.3.4' } })).toBeUndefined()
    expect(eventShapeProblem({ type: 'track', context: 5 })).toMatch(/^context must be an object, but it is a number\./)
    expect(eventShapeProblem({ type: 'track', context: { personas: 'x' } })).toMatch(/^context\.personas must be/)
    expect(eventShapeProblem({ type: 'screen', context: { page: ['a'] } })).toMatch(
      /^context\.page must be an object, but it is an array\./
    )
    // Only the Page View action reads context.page: a track call with a string page is left alone.
    expect(eventShapeProblem({ type: 'track', context: { page: 'home' } })).toBeUndefined()
  })
})

describe('send reports what the reader could not read (issue 18, case 2)', () => {
  afterEach(removeTempDirs)

  const track = (user: string) => JSON.stringify({ type: 'track', userId: user, event: 'Report Created' })

  async function sendText(text: string) {
    const file = path.join(tempDir(), 'events.json')
    fs.writeFileSync(file, text)
    const args = [file, '--simulate', ...UNTHROTTLED, '--dead-letter', `${file}.dead`]
    return (await send(args)).result
  }

  it('a JSON-lines file whose first line is an array: that line is malformed (exit 1), every later line is sent', async () => {
    const { summary, exitCode } = await sendText(`[${track('u0')}]\n${track('u1')}\n${track('u2')}\n`)
    expect(summary).toMatchObject({ read: 2, delivered: 2, malformed: 1, incomplete: null })
    expect(summary.malformedLines).toEqual([{ line: 1, error: expect.stringMatching(/^a JSON array on one line/) }])
    expect(exitCode).toBe(1)
  })

  it('a truncated JSON array export: its whole events are sent, the truncation is reported and the exit status is 1', async () => {
    const { summary, exitCode } = await sendText(`[\n  ${track('u1')},\n  ${track('u2')},\n  {"type":"tr`)
    expect(summary).toMatchObject({ read: 2, delivered: 2, malformed: 2 })
    expect(summary.incomplete).toMatch(
      /^the input ends after element 3 without the closing bracket \] of its JSON array/
    )
    expect(exitCode).toBe(1)
  })
})
