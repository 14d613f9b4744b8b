import { Readable } from 'stream'
import fc from 'fast-check'
import { readArrayElements } from '../../src/cli/send/read/array-reader'
import { readLines } from '../../src/cli/send/read/line-reader'
import { parseLine } from '../../src/cli/send/parse/events'

async function collect(chunks: string[], maxLineBytes?: number) {
  const lines = []
  for await (const line of readLines(
    Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    { bytes: 0 },
    maxLineBytes
  )) {
    lines.push(line)
  }
  return lines
}

describe('the JSON-lines reader', () => {
  it('numbers lines across chunk boundaries, strips a BOM and CRLF, and keeps a last line without newline', async () => {
    const lines = await collect(['\ufeff{"a"', ':1}\r\n\n{"b":2}\n{"c"', ':3}'])
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' }
    ])
  })

  it('keeps multi-byte characters split between chunks', async () => {
    const bytes = Buffer.from('{"name":"Zoë 🚀"}\n')
    const lines = []
    const halves = [bytes.subarray(0, 13), bytes.subarray(13)]
    for await (const line of readLines(Readable.from(halves), { bytes: 0 })) lines.push(line.text)
    expect(lines).toEqual(['{"name":"Zoë 🚀"}'])
  })

  it('reports a line over the size limit without buffering it, and goes on with the next line', async () => {
    const lines = await collect(['{"a":"', 'x'.repeat(50), 'x'.repeat(50), '"}\n{"ok":1}\n'], 64)
    expect(lines).toEqual([
      { line: 1, text: '', tooLong: true },
      { line: 2, text: '{"ok":1}' }
    ])
    expect(parseLine(lines[0])).toEqual({ kind: 'malformed', line: 1, error: 'the line is too long to be one event' })
  })

  it('unwraps a dead-letter line into its event, limited to the subscription it names', () => {
    const text = JSON.stringify({
      outcome: 'failed',
      reason: 'x',
      subscription: 'Track Calls',
      line: 3,
      event: { type: 'track', event: 'A' }
    })
    expect(parseLine({ line: 1, text })).toEqual({
      kind: 'event',
      line: 1,
      event: { type: 'track', event: 'A' },
      only: 'Track Calls'
    })
  })

  it('keeps memory flat on a large input: it pulls a chunk only when the next line is wanted', async () => {
    const event = JSON.stringify({
      type: 'track',
      userId: 'user-000000',
      event: 'Report Created',
      properties: { n: 1, text: 'y'.repeat(120) }
    })
    const total = 400_000 // about 80 MB of input
    let produced = 0
    function* chunks() {
      while (produced < total) {
        const lines = []
        for (let i = 0; i < 500 && produced < total; i++, produced++) lines.push(event)
        yield Buffer.from(`${lines.join('\n')}\n`)
      }
    }
    const progress = { bytes: 0 }
    const baseline = process.memoryUsage().heapUsed
    let peak = baseline
    let count = 0
    for await (const line of readLines(Readable.from(chunks()), progress)) {
      if (parseLine(line).kind === 'event') count++
      if (count % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
    expect(count).toBe(total)
    expect(progress.bytes).toBeGreaterThan(70_000_000)
    expect(peak - baseline).toBeLessThan(48 * 1024 * 1024)
  }, 30_000)
})

describe('the size limit of a line is exact (issue 18, case 14)', () => {
  const LIMIT = 64

  /** The input cut into chunks at the given offsets. */
  function cut(text: string, offsets: number[]): Buffer[] {
    const bytes = Buffer.from(text)
    const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b)
    return [0, ...points, bytes.length]
      .slice(1)
      .map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end))
      .filter((chunk) => chunk.length > 0)
  }

  it('a JSON line of LIMIT bytes is read and one of LIMIT + 1 is too long, however the input is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMIT - 3, max: LIMIT + 3 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async (size, offsets, lastLineOpen) => {
          const line = `{"a":"${'x'.repeat(size - 8)}"}`
          const text = `${line}\n${lastLineOpen ? line : `${line}\n`}`
          const lines = []
          for await (const raw of readLines(Readable.from(cut(text, offsets)), { bytes: 0 }, LIMIT)) lines.push(raw)
          const expected = size > LIMIT ? { text: '', tooLong: true } : { text: line }
          expect(lines).toEqual([
            { line: 1, ...expected },
            { line: 2, ...expected }
          ])
        }
      )
    )
  })

  it('an element of a JSON array of LIMIT bytes is read and one of LIMIT + 1 is too long, however chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMIT - 3, max: LIMIT + 3 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (size, offsets) => {
          const element = `{"a":"${'x'.repeat(size - 8)}"}`
          const elements = []
          for await (const raw of readArrayElements(
            Readable.from(cut(`[${element},${element}]`, offsets)),
            { bytes: 0 },
            LIMIT
          ))
            elements.push(raw)
          const expected = size > LIMIT ? { text: '', tooLong: true } : { text: element }
          expect(elements).toEqual([
            { line: 1, ...expected },
            { line: 2, ...expected }
          ])
        }
      )
    )
  })
})
