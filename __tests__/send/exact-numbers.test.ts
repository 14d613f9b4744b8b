import fc from 'fast-check'
import fs from 'fs'
import path from 'path'
import { parseLine } from '../../src/cli/send/parse/events'
import { removeTempDirs, send, tempDir } from './helpers'

afterEach(removeTempDirs)

const parse = (text: string) => parseLine({ line: 1, text })

describe('numbers JSON cannot carry exactly are refused per line (issue 18, case 5)', () => {
  it('refuses two user IDs beyond 2^53 that JavaScript would merge into one, and a rounded trait, naming the field', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'events.jsonl')
    fs.writeFileSync(
      file,
      [
        '{"type":"identify","userId":12345678901234567890,"traits":{"plan":"pro"}}',
        '{"type":"identify","userId":12345678901234567891,"traits":{"plan":"free"}}',
        '{"type":"identify","userId":"u1","traits":{"account_number":98765432109876543210}}',
        '{"type":"identify","userId":"u2","traits":{"balance":-0}}',
        '{"type":"identify","userId":"u4","traits":{"score":1e21}}',
        '{"type":"identify","userId":"u3","traits":{"price":10.0,"ratio":0.1,"big":1.5e3,"id":"12345678901234567890"}}'
      ].join('\n')
    )
    const { result } = await send([file, '--simulate', '--quiet', '--rate', '0', '--dead-letter', path.join(dir, 'd')])
    const { summary, simulatorState } = result
    expect(summary).toMatchObject({ read: 1, malformed: 5, delivered: 1 })
    expect(result.exitCode).toBe(1)
    expect(summary.malformedLines.map((line) => line.error)).toEqual([
      expect.stringMatching(
        /^a number would change: the number 12345678901234567890 at userId is a whole number beyond 2\^53/
      ),
      expect.stringMatching(
        /^a number would change: the number 12345678901234567891 at userId is a whole number beyond 2\^53/
      ),
      expect.stringMatching(
        /the number 98765432109876543210 at traits\.account_number .* write it as a string \("98765432109876543210"\)/
      ),
      expect.stringMatching(/the number -0 at traits\.balance is a negative zero/),
      expect.stringMatching(
        /the number 1e21 at traits\.score is a whole number beyond 2\^53 .* write it as a string \("1e21"\)/
      )
    ])
    expect(simulatorState?.profiles.map((profile) => [profile.userId, profile.attributes])).toEqual([
      ['u3', { price: 10, ratio: 0.1, big: 1500, id: '12345678901234567890' }]
    ])
  })

  it('names the path of a number nested in lists and odd keys, and refuses overflow and underflow', () => {
    expect(parse('{"type":"track","properties":{"line items":[{"n":1},{"n":1e400}]}}')).toMatchObject({
      kind: 'malformed',
      error: expect.stringContaining('the number 1e400 at properties["line items"][1].n is too large')
    })
    expect(parse('{"type":"track","properties":{"tiny":1e-400}}')).toMatchObject({
      error: expect.stringContaining('the number 1e-400 at properties.tiny is too small')
    })
    expect(parse('{"type":"track","properties":{"pi":3.14159265358979323846}}')).toMatchObject({
      error: expect.stringContaining(
        'has more digits than a JavaScript number keeps (it would become 3.141592653589793)'
      )
    })
    // Look-alikes inside strings are text: the line is an event.
    expect(parse('{"type":"track","event":"x:-0, [12345678901234567890, 1e21"}')).toMatchObject({ kind: 'event' })
  })

  it('property: a whole number is refused exactly when it is beyond 2^53, however it is written', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.boolean(), (n, asFloat) => {
        const text = asFloat ? `${n}.0` : String(n)
        const parsed = parse(`{"type":"track","properties":{"n":${text}}}`)
        const beyond = n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)
        expect(parsed.kind).toBe(beyond ? 'malformed' : 'event')
      })
    )
  })

  it('property: a number that reads back as the same value in shortest form is kept, whatever its form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        fc.pre(!Object.is(value, -0) && (!Number.isInteger(value) || Number.isSafeInteger(value)))
        const parsed = parse(`{"type":"track","properties":{"n":${JSON.stringify(value)}}}`)
        expect(parsed.kind).toBe('event')
      })
    )
  })
})
