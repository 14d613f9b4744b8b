import fs from 'fs'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import {
  EXAMPLE,
  EXAMPLE_BATCHED_COUNTS,
  EXAMPLE_MALFORMED_LINES,
  EXAMPLE_REJECTED_LINES,
  MAPPING,
  readJsonLines,
  referenceState,
  removeTempDirs,
  send,
  targetArgs,
  tempDir,
  writes,
  UNTHROTTLED
} from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

describe('send examples/events.jsonl into the in-process simulator', () => {
  it('counts every outcome exactly, and the simulator holds every deliverable event once with nothing dropped', async () => {
    const deadLetter = path.join(tempDir(), 'dead.jsonl')
    const { result, stdout, stderr } = await send([EXAMPLE, ...UNTHROTTLED, '--dead-letter', deadLetter])
    const { summary } = result
    expect(summary).toMatchObject({
      ...EXAMPLE_BATCHED_COUNTS,
      alreadyDone: 0,
      retries: 0,
      batchSize: 100,
      stopped: null
    })
    expect(summary.malformedLines.map((m) => m.line)).toEqual(EXAMPLE_MALFORMED_LINES)
    expect(summary.topRejectedReasons).toEqual([
      { reason: 'Event Name must be 127 characters or fewer but it was 156 characters.', count: 1 },
      { reason: 'Timestamp must be a valid date-like string but it was not.', count: 1 },
      { reason: expect.stringContaining('two values for the Appcues attribute "company_name"'), count: 1 }
    ])
    expect(summary.target).toMatchObject({ kind: 'simulator', accountId: 10001 })
    expect(summary.refused).toMatch(/^3 events were rejected and 4 lines were malformed/)
    expect(result.exitCode).toBe(1)

    const state = result.simulatorState!
    expect(state.counts).toMatchObject({
      profileUpdates: 9,
      users: 9,
      events: 30,
      groupUpdates: 4,
      groups: 4,
      memberships: 3,
      dropped: 0
    })
    expect(state.counts.requests).toBe(summary.requests)
    expect(state.dropped).toEqual([])
    expect(state.users['usr_1001']).toMatchObject({
      company_name: 'Acme Inc.',
      roles: 'admin,billing',
      address_city: 'London'
    })
    expect(state.users['team/ops?id=7']).toEqual({ name: 'Ops bot', kind: 'service' })
    expect(state.events.filter((event) => event.userId === '../admin')).toHaveLength(1)
    expect(state.groupProfiles.umbrella).toEqual({
      attributes: { name: 'Umbrella Corp', employees: 12000, tags: 'pharma,research' },
      members: []
    })
    const eachOnce = new Set(state.events.map((event) => `${event.userId} ${event.name} ${String(event.timestamp)}`))
    expect(eachOnce.size).toBe(state.events.length)

    expect(stderr[0]).toMatch(/^Simulating: no Appcues credentials were given/)
    expect(stderr.filter((line) => line.startsWith('line '))).toEqual([]) // --quiet
    expect(stdout.join('\n')).toContain('The simulated Appcues account 10001 now holds:')
    expect([...stdout, ...stderr].join('\n')).not.toContain('simulator-api-secret')
  })

  it('writes each rejected event to the dead-letter file with its reason, and send takes that file back', async () => {
    const dir = tempDir()
    const deadLetter = path.join(dir, 'dead.jsonl')
    await send([EXAMPLE, ...UNTHROTTLED, '--dead-letter', deadLetter])
    // Events finish batch by batch, so the file is in the order their batches finished.
    const letters = readJsonLines(deadLetter).sort((a, b) => a.line - b.line)
    expect(letters.map((letter) => letter.line)).toEqual(EXAMPLE_REJECTED_LINES)
    const source = fs.readFileSync(EXAMPLE, 'utf8').split('\n')
    for (const letter of letters) {
      expect(letter).toMatchObject({
        outcome: 'rejected',
        status: 400,
        input: EXAMPLE,
        attempts: 1,
        reason: expect.any(String)
      })
      expect(letter.event).toEqual(JSON.parse(source[letter.line - 1]))
    }
    expect(letters.map((letter) => letter.subscription)).toEqual(['Track Calls', 'Track Calls', 'Identify Calls'])

    const again = await send([deadLetter, ...UNTHROTTLED, '--dead-letter', path.join(dir, 'again.jsonl')])
    expect(again.result.summary).toMatchObject({
      read: 3,
      malformed: 0,
      rejected: 3,
      delivered: 0,
      skipped: 0,
      requests: 1
    })
    const events = (list: Array<{ event: unknown }>) => list.map((letter) => JSON.stringify(letter.event)).sort()
    expect(events(readJsonLines(path.join(dir, 'again.jsonl')))).toEqual(events(letters))
  })

  it('puts the dead-letter file next to the input by default and prints the summary as one JSON object with --json', async () => {
    const dir = tempDir()
    const input = path.join(dir, 'events.jsonl')
    fs.copyFileSync(EXAMPLE, input)
    const { result, stdout } = await send([input, ...UNTHROTTLED, '--json'])
    expect(stdout).toHaveLength(1)
    const printed = JSON.parse(stdout[0])
    expect(printed).toEqual(JSON.parse(JSON.stringify(result.summary)))
    expect(printed.deadLetter).toEqual({ file: path.join(dir, 'events.dead-letter.jsonl'), count: 3, superseded: 0 })
    expect(printed.simulator).toMatchObject({ events: 30 })
  })

  it('sends to a simulator given with --endpoint, the same writes as the in-process one', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const { result, stderr } = await send([
      EXAMPLE,
      ...targetArgs(sim),
      '--quiet',
      '--rate',
      '0',
      '--dead-letter',
      path.join(tempDir(), 'd.jsonl')
    ])
    expect(result.summary).toMatchObject({ ...EXAMPLE_BATCHED_COUNTS, target: { kind: 'appcues', where: sim.url } })
    expect(stderr[0]).toBe(`Sending to the simulator at ${sim.url} (it stands in for Appcues US), account 10001.`)
    expect(writes(sim.state())).toEqual(writes(await referenceState()))
    expect(result.simulatorState).toBeUndefined()
  })

  it('reads the credentials from the environment and never prints a secret', async () => {
    const sim = await simulator({ rateLimit: 0, credentials: { apiSecret: 'very-secret-value-123' } })
    const env = {
      APPCUES_ACCOUNT_ID: String(sim.credentials.accountId),
      APPCUES_API_KEY: sim.credentials.apiKey,
      APPCUES_API_SECRET: 'very-secret-value-123',
      APPCUES_ENDPOINT: sim.url
    }
    const run = await send([EXAMPLE, '--rate', '0', '--dead-letter', path.join(tempDir(), 'd.jsonl'), '--json'], {
      env
    })
    expect(run.result.summary.delivered).toBe(46)
    expect([...run.stdout, ...run.stderr].join('\n')).not.toContain('very-secret-value-123')
    const dir = tempDir()
    const refused = send([EXAMPLE, '--rate', '0', '--dead-letter', path.join(dir, 'd.jsonl')], {
      env: { ...env, APPCUES_API_SECRET: 'wrong-secret-456' }
    })
    await expect(refused).rejects.toThrow(
      /check of the settings and credentials failed, so nothing was sent: Appcues answered 401 Unauthorized/
    )
    await refused.catch((error: Error) => expect(error.message).not.toContain('wrong-secret-456'))
    expect(sim.state().counts.profileUpdates).toBe(9)
  })

  it('runs a mapping file instead of the presets', async () => {
    const { result } = await send([
      EXAMPLE,
      ...UNTHROTTLED,
      '--mapping',
      MAPPING,
      '--dead-letter',
      path.join(tempDir(), 'd.jsonl')
    ])
    expect(result.summary).toMatchObject({ read: 54, delivered: 46, skipped: 5, rejected: 3, failed: 0 })
    const state = result.simulatorState!
    expect(state.deletions).toMatchObject([{ users: ['usr_1006'] }])
    expect(state.events.filter((event) => event.name === 'Purchase')).toMatchObject([
      { userId: 'usr_1001', attributes: { order_id: 'ord-5001', revenue: 249.5, currency: 'USD' } }
    ])
    expect(state.events.map((event) => event.name)).toContain('Viewed Dashboard')
  })
})
