import { Readable } from 'stream'
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

  it('reports what it read of an array that ends too early', async () => {
    expect(await collect(readArrayElements(chunked('[{"a":1},{"b"', 3), { bytes: 0 }))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b"' }
    ])
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
