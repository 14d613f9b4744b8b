import fs from 'fs'
import http from 'http'
import type { AddressInfo, Socket } from 'net'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import type { Simulator } from '../../src/simulator'
import { readJsonLines, removeTempDirs, ROOT, send, targetArgs, tempDir } from './helpers'

const servers: Array<() => Promise<void>> = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()))
  await closeSimulators()
  removeTempDirs()
})

/** A proxy in front of the simulator that answers 503 to every request `refuse` picks. */
async function refusing(sim: Simulator, refuse: (url: string, body: string) => boolean): Promise<string> {
  const upstream = new URL(sim.url)
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      if (refuse(req.url ?? '', body.toString())) {
        res.writeHead(503, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: true, status: 503, title: 'Service Unavailable', detail: 'Try again.' }))
        return
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      forward.on('error', () => res.destroy())
      forward.end(body)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(
    () =>
      new Promise((resolve) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resolve())
      })
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function through(sim: Simulator, endpoint: string): string[] {
  const args = targetArgs(sim)
  args[args.indexOf('--endpoint') + 1] = endpoint
  return args
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
      ...through(sim, endpoint),
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
      ...through(sim, endpoint),
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
    const args = [...through(sim, endpoint), ...fast, '--batch-size', '1', '--dead-letter', deadLetter]
    const checkpoint = ['--checkpoint', path.join(dir, 'cp')]
    await send([input, ...args, ...checkpoint])
    writeLines(input, [identify('u1', 'pro')], true)
    const resumed = await send([input, ...args, ...checkpoint])
    expect(resumed.result.summary).toMatchObject({ alreadyDone: 1, delivered: 1 })
    expect(readJsonLines(deadLetter).map((letter) => letter.supersededBy)).toEqual([2])
  }, 30_000)
})
