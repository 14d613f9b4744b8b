import fs from 'fs'
import path from 'path'
import { Readable } from 'stream'
import { cli, EXAMPLE, EXAMPLE_BATCHED_COUNTS, removeTempDirs, send, tempDir } from './helpers'

afterEach(removeTempDirs)

const fast = ['--rate', '0', '--sim-rate-limit', '0']

describe('reading the input', () => {
  it('reports malformed lines with their line numbers and sends the good lines around them', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'mixed.jsonl')
    const lines = [
      '\ufeff{"type":"identify","userId":"u1","traits":{"a":1}}',
      '{"type":"track","userId":"u1","event":"A"',
      '',
      '   ',
      '42',
      '{"type":"track","userId":"u1","event":"B","timestamp":"2024-05-01T09:00:00Z"}\r',
      'null',
      '{"event":"no type"}',
      '{"type":"page","userId":"u1","name":"Home"}'
    ]
    fs.writeFileSync(file, lines.join('\n')) // no newline after the last line
    const { result, stderr } = await send([file, ...fast, '--dead-letter', path.join(dir, 'd.jsonl')])
    expect(result.summary).toMatchObject({ lines: 9, read: 3, malformed: 4, delivered: 3, rejected: 0, failed: 0 })
    expect(result.summary.malformedLines).toEqual([
      { line: 2, error: expect.stringMatching(/^not valid JSON \(/) },
      { line: 5, error: 'not a JSON object (each line must hold one event)' },
      { line: 7, error: 'not a JSON object (each line must hold one event)' },
      { line: 8, error: expect.stringContaining('it has no "type"') }
    ])
    expect(stderr.filter((line) => line.startsWith('line '))).toEqual([
      expect.stringMatching(/^line 2: malformed, not valid JSON/),
      'line 5: malformed, not a JSON object (each line must hold one event)',
      'line 7: malformed, not a JSON object (each line must hold one event)',
      expect.stringMatching(/^line 8: malformed, not a Segment event/)
    ])
    expect(result.exitCode).toBe(1)
    expect(result.summary.refused).toMatch(/^4 lines were malformed, more than the 0 that --max-refused allows/)
    const allowed = await send([
      file,
      ...fast,
      '--max-refused',
      '4',
      '--quiet',
      '--dead-letter',
      path.join(dir, 'd.jsonl')
    ])
    expect(allowed.result.exitCode).toBe(0)
    expect(allowed.result.summary.refused).toBeNull()
  })

  it('reads standard input given as -', async () => {
    const dir = tempDir()
    const { result } = await send(['-', ...fast, '--quiet', '--dead-letter', path.join(dir, 'd.jsonl')], {
      stdin: Readable.from([fs.readFileSync(EXAMPLE)])
    })
    expect(result.summary).toMatchObject({ ...EXAMPLE_BATCHED_COUNTS, input: '-' })
  })

  it('reads standard input in the real CLI, printing the summary as JSON', async () => {
    const dir = tempDir()
    const child = cli(['send', '-', ...fast, '--json', '--dead-letter', path.join(dir, 'd.jsonl')], {
      stdin: fs.readFileSync(EXAMPLE)
    })
    const { code } = await child.exit
    expect(code).toBe(1)
    const summary = JSON.parse(child.stdout())
    expect(summary).toMatchObject({ ...EXAMPLE_BATCHED_COUNTS, input: '-', target: { kind: 'simulator' } })
    expect(summary.refused).toMatch(/^3 events were rejected and 4 lines were malformed/)
    expect(child.stderr()).toContain('Simulating: no Appcues credentials were given')
    expect(child.stderr()).toContain('line 10: malformed, not valid JSON')
  }, 20_000)

  it('refuses a missing input, an input that is a folder and a dead-letter file that is the input', async () => {
    await expect(send(['/nonexistent/events.jsonl'])).rejects.toThrow(
      'Cannot read the input /nonexistent/events.jsonl: the file does not exist'
    )
    await expect(send([tempDir()])).rejects.toThrow('is not a file')
    await expect(send([EXAMPLE, '--dead-letter', EXAMPLE])).rejects.toThrow(
      `--dead-letter ${EXAMPLE} is the input file ${EXAMPLE}: send would overwrite it.`
    )
    await expect(send([])).rejects.toThrow('send needs the events to send')
    await expect(send([EXAMPLE, '--rate', 'fast'])).rejects.toThrow('--rate must be a whole number, got "fast"')
    await expect(send([EXAMPLE, '--api-key', 'k'])).rejects.toThrow(
      'To send to Appcues, also give --account-id (APPCUES_ACCOUNT_ID) and --api-secret (APPCUES_API_SECRET)'
    )
    await expect(
      send([EXAMPLE, '--account-id', '1', '--api-key', 'k', '--api-secret', 's', '--sim-seed', '1'])
    ).rejects.toThrow('--sim-seed applies only to the simulator')
  })

  it('refuses --endpoint without the credentials of the simulator it names, and with --simulate', async () => {
    const simulatorAt = ['--endpoint', 'http://127.0.0.1:4567']
    await expect(send([EXAMPLE, ...simulatorAt])).rejects.toThrow(
      '--endpoint sends to a simulator you started, with its credentials: also give --account-id, --api-key and --api-secret (the simulator prints them), or leave out --endpoint to simulate in this process.'
    )
    await expect(
      send([EXAMPLE, ...simulatorAt, '--simulate', '--account-id', '1', '--api-key', 'k', '--api-secret', 's'])
    ).rejects.toThrow('--endpoint and --simulate both choose a simulator: give one of them.')
  })

  it('refuses an --endpoint that is not a simulator on this machine, and stops after retries when it cannot be reached', async () => {
    const dl = ['--dead-letter', path.join(tempDir(), 'd.jsonl'), '--quiet']
    const target = (endpoint: string) => [
      '--account-id',
      '1',
      '--api-key',
      'k',
      '--api-secret',
      's',
      '--endpoint',
      endpoint
    ]
    for (const elsewhere of ['ftp://example.com', 'https://appcues-proxy.example.com', 'http://10.0.0.7:4567']) {
      await expect(send([EXAMPLE, ...dl, ...target(elsewhere)])).rejects.toThrow(
        `--endpoint: Only a simulator on this machine can stand in for Appcues: give an address such as http://127.0.0.1:4567, not "${elsewhere}".`
      )
    }
    const unreachable = send([
      EXAMPLE,
      ...dl,
      ...target('http://127.0.0.1:1'),
      '--max-retries',
      '1',
      '--retry-delay',
      '1'
    ])
    await expect(unreachable).rejects.toThrow(/^Appcues could not be reached, so nothing was sent: .*ECONNREFUSED/)
  })

  it('refuses a mapping file that names an unknown action or field, or has an invalid filter', async () => {
    const dir = tempDir()
    const mapping = (entries: unknown) => {
      const file = path.join(dir, `m${Math.random()}.json`)
      fs.writeFileSync(file, JSON.stringify(entries))
      return file
    }
    const dl = ['--dead-letter', path.join(dir, 'd.jsonl')]
    await expect(
      send([EXAMPLE, ...dl, '--mapping', mapping([{ subscribe: 'type = "track"', partnerAction: 'nope' }])])
    ).rejects.toThrow(/entry 1: "partnerAction" must be one of identifyUser, trackEvent/)
    await expect(
      send([
        EXAMPLE,
        ...dl,
        '--mapping',
        mapping([{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { colour: 'red' } }])
      ])
    ).rejects.toThrow('trackEvent has no field "colour"')
    await expect(
      send([
        EXAMPLE,
        ...dl,
        '--quiet',
        '--mapping',
        mapping([{ subscribe: 'event = "A" and (', partnerAction: 'trackEvent' }])
      ])
    ).rejects.toThrow(/invalid filter/)
  })
})
