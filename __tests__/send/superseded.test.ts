import fs from 'fs'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import { closeProxies, proxyInFront, targetThrough, UNAVAILABLE } from './__helpers__/proxy'
import type { Simulator } from '../../src/simulator'
import { readJsonLines, removeTempDirs, ROOT, send, targetArgs, tempDir } from './helpers'

afterEach(async () => {
  await closeProxies()
  await closeSimulators()
  removeTempDirs()
})

/** A proxy in front of the simulator that answers 503 to every request `refuse` picks. */
function refusing(sim: Simulator, refuse: (url: string, body: string) => boolean): Promise<string> {
  return proxyInFront(sim.url, (req, body) => (refuse(req.url ?? '', body.toString()) ? UNAVAILABLE : 'forward'))
}

function writeLines(file: string, events: object[], append = false): string {
  const text = events.map((event) => `${JSON.stringify(event)}\n`).join('')
  if (append) fs.appendFileSync(file, text)
  else fs.writeFileSync(file, text)
  return file
}

const identify = (userId: string, plan: string) => ({ type: 'identify', userId, traits: { plan } })
const fast = ['--rate', '0', '--quiet', '--max-retries', '0']

describe('replaying dead letters never undoes a later delivered change (issue 18, case 6)', () => {
  it('marks a profile update superseded by a later delivered one, and a replay of the file skips it', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const endpoint = await refusing(sim, (_url, body) => body.includes('"plan":"free"'))
    const dir = tempDir()
    const deadLetter = path.join(dir, 'dead.jsonl')
    // u1's older update fails for good, its newer one is delivered; u3's only update fails.
    const input = writeLines(path.join(dir, 'events.jsonl'), [
      identify('u1', 'free'),
      identify('u3', 'free'),
      identify('u1', 'pro')
    ])
    const first = await send([
      input,
      ...targetThrough(sim, endpoint),
      ...fast,
      '--batch-size',
      '1',
      '--dead-letter',
      deadLetter
    ])
    expect(first.result.summary.deadLetter).toEqual({ file: deadLetter, count: 2, superseded: 1 })
    expect(first.stdout.join('\n')).toContain('1 of them superseded')
    const letters = readJsonLines(deadLetter)
    expect(letters.map((letter) => [letter.event.userId, letter.supersededBy])).toEqual([
      ['u1', 3],
      ['u3', null]
    ])
    expect(sim.state().users.u1.plan).toBe('pro')

    // The documented recovery, once Appcues is back: send the dead-letter file.
    const replay = await send([deadLetter, ...targetArgs(sim), ...fast, '--dead-letter', path.join(dir, 'again.jsonl')])
    expect(replay.result.summary).toMatchObject({ read: 2, delivered: 1, skipped: 1, failed: 0 })
    expect(replay.result.summary.topSkippedReasons).toEqual([
      { reason: expect.stringMatching(/^superseded dead letter: a later event changed the same user/), count: 1 }
    ])
    expect(sim.state().users).toMatchObject({ u1: { plan: 'pro' }, u3: { plan: 'free' } })
  }, 30_000)

  it('keeps a user in a segment they left and then entered again, when the leaving failed', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const endpoint = await refusing(sim, (url) => url.endsWith('/remove_user_ids'))
    const dir = tempDir()
    const deadLetter = path.join(dir, 'dead.jsonl')
    const change = (userId: string, member: boolean) => ({
      type: 'track',
      userId,
      event: member ? 'Audience Entered' : 'Audience Exited',
      properties: { audience_key: 'vip', vip: member },
      context: { personas: { computation_class: 'audience', computation_key: 'vip', computation_id: 'aud_vip' } }
    })
    const input = writeLines(path.join(dir, 'audience.jsonl'), [
      change('u2', true),
      change('u1', false),
      change('u1', true)
    ])
    const audience = ['--mapping', path.join(ROOT, 'examples', 'audience-mapping.json')]
    await send([
      input,
      ...targetThrough(sim, endpoint),
      ...fast,
      ...audience,
      '--batch-size',
      '1',
      '--dead-letter',
      deadLetter
    ])
    expect(readJsonLines(deadLetter).map((letter) => [letter.event.event, letter.supersededBy])).toEqual([
      ['Audience Exited', 3]
    ])
    const replay = await send([
      deadLetter,
      ...targetArgs(sim),
      ...fast,
      ...audience,
      '--dead-letter',
      path.join(dir, 'again.jsonl')
    ])
    expect(replay.result.summary).toMatchObject({ skipped: 1, delivered: 0 })
    const [segment] = Object.values(sim.state().segments)
    expect([...segment.members].sort()).toEqual(['u1', 'u2'])
  }, 30_000)

  it('a resumed run marks the dead letters of the interrupted one', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const endpoint = await refusing(sim, (_url, body) => body.includes('"plan":"free"'))
    const dir = tempDir()
    const deadLetter = path.join(dir, 'dead.jsonl')
    const input = writeLines(path.join(dir, 'events.jsonl'), [identify('u1', 'free')])
    const args = [...targetThrough(sim, endpoint), ...fast, '--batch-size', '1', '--dead-letter', deadLetter]
    const checkpoint = ['--checkpoint', path.join(dir, 'cp')]
    await send([input, ...args, ...checkpoint])
    writeLines(input, [identify('u1', 'pro')], true)
    const resumed = await send([input, ...args, ...checkpoint])
    expect(resumed.result.summary).toMatchObject({ alreadyDone: 1, delivered: 1 })
    expect(readJsonLines(deadLetter).map((letter) => letter.supersededBy)).toEqual([2])
  }, 30_000)
})
