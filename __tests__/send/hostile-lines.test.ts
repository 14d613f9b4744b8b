import { spawn } from 'child_process'
import fs from 'fs'
import http from 'http'
import type { AddressInfo } from 'net'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import { cli, readJsonLines, removeTempDirs, ROOT, send, targetArgs, tempDir, UNTHROTTLED } from './helpers'

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
  await closeSimulators()
  removeTempDirs()
})

/** The same against a simulator that the test started (the --sim-* flags are for the in-process one only). */
const remote = ['--quiet', '--rate', '0', '--retry-delay', '5']
const closers: Array<() => Promise<void>> = []

function writeFile(name: string, text: string | Buffer): string {
  const file = path.join(tempDir(), name)
  fs.writeFileSync(file, text)
  return file
}

const jsonLines = (events: unknown[]) => `${events.map((event) => JSON.stringify(event)).join('\n')}\n`

/** An object nested `depth` levels deep, written as text (JSON.stringify itself overflows the stack on such depths). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

const track = (n: number, extra: object = {}) => ({
  type: 'track',
  userId: `user-${n}`,
  event: `Good ${n}`,
  messageId: `good-${n}`,
  timestamp: '2024-05-01T10:00:00.000Z',
  ...extra
})

describe('one bad event never fails another', () => {
  const badShapes = [
    { type: 'identify', userId: 'bad-1', traits: { a: 1 }, context: null },
    { type: 'identify', userId: 'bad-2', traits: { a: 1 }, context: { personas: null } },
    { type: 'identify', userId: 'bad-3', traits: { a: 1 }, context: 'a string' },
    { type: 'identify', userId: 'bad-4', traits: { a: 1 }, context: [1, 2] }
  ]

  it.each([100, 1])(
    'rejects an event whose context is not an object alone, with the reason, and delivers its batch (batch size %i)',
    async (batchSize) => {
      const good = Array.from({ length: 6 }, (_, i) => ({ type: 'identify', userId: `ok-${i}`, traits: { n: i } }))
      const file = writeFile('events.jsonl', jsonLines([...good.slice(0, 3), ...badShapes, ...good.slice(3)]))
      const deadLetter = path.join(tempDir(), 'dead.jsonl')
      const { result } = await send([
        file,
        ...UNTHROTTLED,
        '--batch-size',
        String(batchSize),
        '--dead-letter',
        deadLetter
      ])
      expect(result.summary).toMatchObject({ read: 10, delivered: 6, rejected: 4, failed: 0, retries: 0 })
      expect(Object.keys(result.simulatorState!.users).sort()).toEqual(good.map((event) => event.userId).sort())
      const letters = readJsonLines(deadLetter)
      expect(letters.map((letter) => [letter.line, letter.outcome, letter.reason])).toEqual([
        [4, 'rejected', 'context must be an object, but it is null. Fix the event\'s "context" (or leave it out).'],
        [
          5,
          'rejected',
          'context.personas must be an object, but it is null. Fix the event\'s "context.personas" (or leave it out).'
        ],
        [6, 'rejected', 'context must be an object, but it is a string. Fix the event\'s "context" (or leave it out).'],
        [7, 'rejected', 'context must be an object, but it is an array. Fix the event\'s "context" (or leave it out).']
      ])
      // Sent back, the dead letters are rejected again, each alone: none is counted failed.
      const again = await send([deadLetter, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'again.jsonl')])
      expect(again.result.summary).toMatchObject({ read: 4, rejected: 4, failed: 0, delivered: 0 })
    },
    60_000
  )

  it('gives a page event whose context.page is a string the real reason', async () => {
    const file = writeFile('page.jsonl', jsonLines([{ type: 'page', userId: 'u1', context: { page: 'home' } }]))
    const { result } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'dead.jsonl')])
    expect(result.summary).toMatchObject({ read: 1, rejected: 1, failed: 0 })
    expect(result.summary.topRejectedReasons).toEqual([
      {
        reason:
          'context.page must be an object, but it is a string. Fix the event\'s "context.page" (or leave it out).',
        count: 1
      }
    ])
  }, 30_000)

  it.each([3000, 5000])(
    'refuses an event nested %i levels deep alone, and sends the lines after it',
    async (depth) => {
      const deep = `{"type":"track","userId":"deep","event":"Deep","properties":${nested(depth)}}`
      const file = writeFile('deep.jsonl', `${JSON.stringify(track(1))}\n${deep}\n${JSON.stringify(track(2))}\n`)
      const { result } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'dead.jsonl')])
      expect(result.exitCode).toBe(1)
      expect(result.summary).toMatchObject({ read: 2, malformed: 1, delivered: 2, failed: 0 })
      expect(result.summary.malformedLines).toEqual([
        { line: 2, error: 'nested more than 64 levels deep (send reads events nested at most 64 levels)' }
      ])
    },
    30_000
  )

  it('keeps reading after an event nested 5,000 levels deep in a child process, with a summary', async () => {
    const deep = `{"type":"track","userId":"deep","event":"Deep","properties":${nested(5000)}}`
    const file = writeFile('deep.jsonl', `${deep}\n${JSON.stringify(track(1))}\n`)
    const child = cli([
      'send',
      file,
      '--simulate',
      '--json',
      ...UNTHROTTLED,
      '--dead-letter',
      path.join(tempDir(), 'd.jsonl')
    ])
    const { code } = await child.exit
    expect(code).toBe(1)
    expect(JSON.parse(child.stdout())).toMatchObject({ read: 1, delivered: 1, malformed: 1 })
  }, 60_000)
})

describe('input that is not one event a line', () => {
  it('reads a top-level JSON array of events, element by element', async () => {
    const events = [track(1), track(2, { properties: { note: 'a, b ] } [ "quoted" \\ end' } }), track(3)]
    const file = writeFile('export.json', JSON.stringify(events, null, 2))
    const { result } = await send([
      file,
      ...UNTHROTTLED,
      '--batch-size',
      '1',
      '--dead-letter',
      path.join(tempDir(), 'd')
    ])
    expect(result.summary).toMatchObject({ lines: 3, read: 3, delivered: 3, malformed: 0 })
    expect(result.simulatorState!.events.map((event) => event.name).sort()).toEqual(['Good 1', 'Good 2', 'Good 3'])
    expect(result.simulatorState!.events.find((event) => event.name === 'Good 2')?.attributes.note).toBe(
      'a, b ] } [ "quoted" \\ end'
    )
  }, 30_000)

  it('refuses a pretty-printed JSON document with exit 1 and says what the file looks like', async () => {
    const file = writeFile('pretty.json', JSON.stringify(track(1), null, 2))
    const { result, stdout } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'd')])
    expect(result.exitCode).toBe(1)
    expect(result.summary.read).toBe(0)
    expect(result.summary.noEvents).toMatch(/^no event could be read from .*pretty\.json: every one of its 7 non-blank/)
    expect(result.summary.noEvents).toContain('the first reads `{`')
    expect(stdout.join('\n')).toContain('Nothing sent: no event could be read')
  }, 30_000)

  it('with --quiet, still says why lines were malformed in the summary', async () => {
    const file = writeFile('mixed.jsonl', `not json\n{"type":"track"\n${JSON.stringify(track(1))}\n[1]\n`)
    const { stdout, stderr } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'd')])
    expect(stderr.join('\n')).not.toMatch(/line \d+: skipped/)
    const text = stdout.join('\n')
    expect(text).toMatch(/\s2 × not valid JSON\n/)
    expect(text).toMatch(
      /\s1 × a JSON array on one line: a JSON-lines file holds one event, a JSON object, on each line\n/
    )
  }, 30_000)

  it('rejects a line that is not valid UTF-8 instead of sending a different user', async () => {
    const bad = Buffer.concat([
      Buffer.from('{"type":"identify","userId":"u'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('1","traits":{"a":1}}\n')
    ])
    const file = writeFile('latin.jsonl', Buffer.concat([bad, Buffer.from(`${JSON.stringify(track(1))}\n`)]))
    const { result } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'd')])
    expect(result.summary).toMatchObject({ read: 1, malformed: 1, delivered: 1 })
    expect(result.summary.malformedLines[0]).toEqual({
      line: 1,
      error: 'not valid UTF-8 (the line holds bytes that are not UTF-8 text); save the file as UTF-8'
    })
    expect(Object.keys(result.simulatorState!.users)).toEqual([])
  }, 30_000)
})

describe('duplicate messageIds', () => {
  it('skips a repeated messageId with the reason, and delivers the first', async () => {
    const file = writeFile('dups.jsonl', jsonLines([track(1), track(2), track(1), track(1, { event: 'Other' })]))
    const { result, stdout } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'd')])
    expect(result.summary).toMatchObject({ read: 4, delivered: 2, skipped: 2 })
    expect(result.summary.topSkippedReasons).toEqual([{ reason: 'duplicate messageId', count: 2 }])
    expect(result.simulatorState!.events.map((event) => event.name).sort()).toEqual(['Good 1', 'Good 2'])
    expect(stdout.join('\n')).toMatch(/\s2 × duplicate messageId/)
  }, 30_000)

  it('does not take the dead letters of one event for two subscriptions as duplicates', async () => {
    const event = { type: 'identify', userId: 'u1', messageId: 'm-1', traits: { a: 1 } }
    const letter = (subscription: string) => ({ reason: 'x', subscription, event })
    const file = writeFile('dead.jsonl', jsonLines([letter('Identify Calls'), letter('Identify Calls')]))
    const other = writeFile('two.jsonl', jsonLines([letter('Identify Calls'), letter('Another')]))
    const { result } = await send([file, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'd1')])
    expect(result.summary).toMatchObject({ read: 2, delivered: 1, skipped: 1 })
    const two = await send([other, ...UNTHROTTLED, '--dead-letter', path.join(tempDir(), 'd2')])
    expect(two.result.summary.topSkippedReasons).toEqual([])
  }, 30_000)
})

describe('large answers from Appcues', () => {
  const big = 'x'.repeat(150 * 1024)
  const identifies = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ type: 'identify', userId: `big-${i}`, traits: { big, n: i } }))

  it.each([100, 1])(
    'delivers identify calls whose echoed profile is 150 KB, with --simulate (batch size %i)',
    async (batchSize) => {
      const file = writeFile('big.jsonl', jsonLines(identifies(5)))
      const { result } = await send([
        file,
        ...UNTHROTTLED,
        '--batch-size',
        String(batchSize),
        '--dead-letter',
        path.join(tempDir(), 'd')
      ])
      expect(result.summary).toMatchObject({ read: 5, delivered: 5, failed: 0 })
      expect(result.simulatorState!.users['big-4'].big).toHaveLength(big.length)
    },
    60_000
  )

  it('delivers them to a simulator on a port, as a separate process, and exits 0 with a summary', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const file = writeFile('big.jsonl', jsonLines(identifies(5)))
    const child = cli([
      'send',
      file,
      ...targetArgs(sim),
      '--json',
      ...remote,
      '--dead-letter',
      path.join(tempDir(), 'd')
    ])
    const { code } = await child.exit
    expect(code).toBe(0)
    expect(JSON.parse(child.stdout())).toMatchObject({ read: 5, delivered: 5, failed: 0 })
  }, 60_000)

  it('fails the events answered 503 with a 190 KB HTML page after their retries, with a summary', async () => {
    const html = `<html><body>${'<p>Service Unavailable</p>'.repeat(7500)}</body></html>`
    const server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        const tags = req.url?.endsWith('/tags') === true
        res.writeHead(tags ? 200 : 503, { 'content-type': tags ? 'application/json' : 'text/html' })
        res.end(tags ? '[]' : html)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const { port } = server.address() as AddressInfo
    const file = writeFile('few.jsonl', jsonLines(identifies(3)))
    const deadLetter = path.join(tempDir(), 'dead.jsonl')
    const target = [
      '--endpoint',
      `http://127.0.0.1:${port}`,
      '--account-id',
      '1',
      '--api-key',
      'k',
      '--api-secret',
      's'
    ]
    const child = cli(['send', file, ...target, '--json', ...remote, '--max-retries', '1', '--dead-letter', deadLetter])
    const { code } = await child.exit
    expect(code).toBe(1)
    expect(JSON.parse(child.stdout())).toMatchObject({ read: 3, delivered: 0, failed: 3, retries: 3 })
    expect(readJsonLines(deadLetter).map((letter) => letter.status)).toEqual([503, 503, 503])
  }, 60_000)

  it('prints the summary and exits 1 when the run waits for an answer that can never come', async () => {
    // The identifyUser action is replaced by one that never settles and holds nothing open: the event loop drains.
    const script = writeFile(
      'stall.js',
      [
        `require(${JSON.stringify(
          path.join(ROOT, 'node_modules', 'ts-node')
        )}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} })`,
        `const definition = require(${JSON.stringify(path.join(ROOT, 'src/destinations/appcues'))}).default`,
        `definition.actions.identifyUser.perform = () => new Promise(() => undefined)`,
        `const { parseSendArgs, runSend } = require(${JSON.stringify(path.join(ROOT, 'src/cli/send'))})`,
        `const options = parseSendArgs(process.argv.slice(2), {})`,
        `runSend(options, { stdout: (l) => console.log(l), stderr: (l) => console.error(l) }).then(() => process.exit(0))`
      ].join('\n')
    )
    const sim = await simulator({ rateLimit: 0 })
    const file = writeFile('two.jsonl', jsonLines([track(1), ...identifies(1), track(2)]))
    const checkpoint = path.join(tempDir(), 'cp')
    const args = [file, ...targetArgs(sim), '--json', ...remote, '--batch-size', '1', '--concurrency', '1']
    const child = spawn(
      process.execPath,
      [script, ...args, '--checkpoint', checkpoint, '--dead-letter', path.join(tempDir(), 'd')],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH }
      }
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect({ code, err }).toEqual({
      code: 1,
      err: expect.stringContaining('Sending to the simulator at') as string
    })
    const summary = JSON.parse(out)
    expect(summary).toMatchObject({ read: 2, delivered: 1 })
    expect(summary.stopped).toMatch(/^the run stalled/)
    // The lock is released and the checkpoint holds the delivered line: a resume can continue.
    expect(fs.existsSync(`${checkpoint}.lock`)).toBe(false)
    expect(fs.readFileSync(checkpoint, 'utf8')).toContain('"lowWaterMark":1')
  }, 60_000)
})

describe('the mixed file of the acceptance', () => {
  /** 300 good events of three kinds, each with its own marker, among malformed, hostile and oversized lines. */
  function mixedFile(): string {
    const lines: string[] = []
    const huge = 'h'.repeat(150 * 1024)
    for (let n = 1; n <= 300; n++) {
      const kind = n % 3
      const event =
        kind === 0
          ? track(n)
          : kind === 1
          ? {
              type: 'identify',
              userId: `user-${n}`,
              messageId: `good-${n}`,
              traits: { marker: n, ...(n % 50 === 1 ? { huge } : {}) }
            }
          : {
              type: 'page',
              userId: `user-${n}`,
              messageId: `good-${n}`,
              name: `Page ${n}`,
              context: { page: { path: `/p/${n}` } }
            }
      lines.push(JSON.stringify(event))
      if (n % 10 === 0) {
        const hostile = [
          'not json at all',
          '{"type":"identify","userId":"x","context":null}',
          '{"type":"identify","userId":"x","context":{"personas":null}}',
          '{"type":"identify","userId":"x","context":"text"}',
          '{"type":"page","userId":"x","context":{"page":"home"}}',
          `{"type":"track","userId":"x","event":"deep","properties":${nested(4000)}}`,
          JSON.stringify(track(n)),
          '[1,2,3]',
          '{"type":"track","userId":"x","event":"' + 'e'.repeat(300) + '"}',
          ''
        ]
        lines.push(hostile[(n / 10) % hostile.length])
      }
    }
    return writeFile(
      'mixed.jsonl',
      Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.from([0x7b, 0xff, 0x0a])])
    )
  }

  it.each([100, 1])(
    'delivers each of the 300 good events exactly once and fails none (batch size %i)',
    async (batchSize) => {
      const deadLetter = path.join(tempDir(), 'dead.jsonl')
      const { result } = await send([
        mixedFile(),
        ...UNTHROTTLED,
        '--batch-size',
        String(batchSize),
        '--dead-letter',
        deadLetter
      ])
      expect(result.summary).toMatchObject({ delivered: 300, failed: 0 })
      const state = result.simulatorState!
      const tracked = state.events.filter((event) => event.name.startsWith('Good ')).map((event) => event.name)
      const pages = state.events.filter((event) => event.name === 'Page Viewed').map((event) => event.attributes.path)
      const profiles = state.profiles.filter((profile) => profile.attributes.marker !== undefined)
      expect(tracked.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `Good ${3 * (i + 1)}`).sort())
      expect(new Set(pages).size).toBe(100)
      expect(pages).toHaveLength(100)
      expect(profiles).toHaveLength(100)
      // Every hostile line is accounted for: malformed, rejected with its reason, or skipped as a duplicate.
      const { malformed, rejected, skipped, read, lines } = result.summary
      expect(read + malformed).toBe(lines - 3) // three blank lines
      expect(read).toBe(300 + rejected + skipped)
      expect(readJsonLines(deadLetter).every((letter) => letter.outcome === 'rejected')).toBe(true)
      // The counts docs/RELIABILITY.md gives for this file, the same for both batch sizes.
      expect(result.summary).toMatchObject({ rejected: 15, skipped: 3, malformed: 10, requests: 301 })
      expect(readJsonLines(deadLetter)).toHaveLength(15)
      // 25 lines were refused: the run is not done, and says so.
      expect(result.exitCode).toBe(1)
      expect(result.summary.refused).toMatch(/^15 events were rejected and 10 lines were malformed, more than the 0/)
    },
    120_000
  )
})
