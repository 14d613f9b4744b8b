import fs from 'fs'
import path from 'path'
import { Readable } from 'stream'
import { closeSimulators, simulator } from '../simulator/helpers'
import type { Simulator } from '../../src/simulator'
import { cli, removeTempDirs, send, targetArgs, tempDir } from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

const identify = (user: string, plan: string) => JSON.stringify({ type: 'identify', userId: user, traits: { plan } })
const lines = (...users: string[]) => `${users.map((user) => identify(user, 'pro')).join('\n')}\n`

interface Setup {
  sim: Simulator
  dir: string
  file: string
  checkpoint: string
  args: (input: string) => string[]
}

async function setup(): Promise<Setup> {
  const sim = await simulator({ rateLimit: 0 })
  const dir = tempDir()
  const checkpoint = path.join(dir, 'run.checkpoint')
  const args = (input: string) => [
    input,
    ...targetArgs(sim),
    '--quiet',
    '--rate',
    '0',
    '--checkpoint',
    checkpoint,
    '--dead-letter',
    path.join(dir, 'dead.jsonl')
  ]
  return { sim, dir, file: path.join(dir, 'daily-export.jsonl'), checkpoint, args }
}

/** The profile updates the simulator stored, as user IDs in arrival order. */
const stored = (sim: Simulator) => sim.state().profiles.map((profile) => profile.userId)

describe('a checkpoint knows its input by content, not by name (issue 18, case 1)', () => {
  it('refuses a file rewritten in place, naming the checkpoint and both inputs, before sending anything', async () => {
    const { sim, file, checkpoint, args } = await setup()
    fs.writeFileSync(file, lines('a1', 'a2', 'a3'))
    expect((await send(args(file))).result.summary.delivered).toBe(3)
    const requests = sim.state().requests.length
    // The next day's export, written to the same path: as many lines, other users.
    fs.writeFileSync(file, lines('b1', 'b2', 'b3'))
    const refusal = send(args(file))
    await expect(refusal).rejects.toThrow(
      `The checkpoint ${checkpoint} belongs to other input: it recorded the first 3 lines of ${file}, and in ${file} its first 3 lines differ`
    )
    await expect(refusal).rejects.toMatchObject({ name: 'UsageError' })
    // Not even the credential check was sent.
    expect(sim.state().requests).toHaveLength(requests)
    expect(stored(sim)).toEqual(['a1', 'a2', 'a3'])
  })

  it('refuses a file with a line inserted at the top', async () => {
    const { sim, file, args } = await setup()
    fs.writeFileSync(file, lines('a1', 'a2', 'a3'))
    await send(args(file))
    fs.writeFileSync(file, lines('new', 'a1', 'a2', 'a3'))
    await expect(send(args(file))).rejects.toThrow(/belongs to other input: .* its first 3 lines differ/)
    expect(stored(sim)).toEqual(['a1', 'a2', 'a3'])
  })

  it('refuses other data on standard input, and a shorter input; resumes the same data under any name', async () => {
    const { sim, file, args } = await setup()
    const stdin = (text: string) => ({ stdin: Readable.from([Buffer.from(text)]) })
    await send(args('-'), stdin(lines('a1', 'a2')))
    await expect(send(args('-'), stdin(lines('b1', 'b2')))).rejects.toThrow(
      /recorded the first 2 lines of standard input, and in standard input its first 2 lines differ/
    )
    await expect(send(args('-'), stdin(lines('a1')))).rejects.toThrow(
      /in standard input the input ends after 1 lines, before line 2/
    )
    expect(stored(sim)).toEqual(['a1', 'a2'])
    // The same lines, and more, from a file: the two finished lines are skipped, the new one is sent.
    fs.writeFileSync(file, lines('a1', 'a2', 'a3'))
    const { summary } = (await send(args(file))).result
    expect(summary).toMatchObject({ alreadyDone: 2, delivered: 1, failed: 0 })
    expect(stored(sim)).toEqual(['a1', 'a2', 'a3'])
  })

  it('resumes an export that grew at its end: only the new lines are sent', async () => {
    const { sim, file, args } = await setup()
    fs.writeFileSync(file, lines('a1', 'a2'))
    await send(args(file))
    fs.appendFileSync(file, lines('a3', 'a4'))
    expect((await send(args(file))).result.summary).toMatchObject({ alreadyDone: 2, delivered: 2 })
    expect(stored(sim)).toEqual(['a1', 'a2', 'a3', 'a4'])
  })

  it('the real command exits 2 with the refusal, and leaves the checkpoint as it was', async () => {
    const { file, checkpoint, args } = await setup()
    fs.writeFileSync(file, lines('a1', 'a2'))
    await send(args(file))
    const before = fs.readFileSync(checkpoint, 'utf8')
    fs.writeFileSync(file, lines('b1', 'b2'))
    const run = cli(['send', ...args(file)])
    expect((await run.exit).code).toBe(2)
    expect(run.stderr()).toContain(`The checkpoint ${checkpoint} belongs to other input`)
    expect(run.stderr()).toContain('Nothing was sent.')
    expect(fs.readFileSync(checkpoint, 'utf8')).toBe(before)
  }, 60_000)
})

describe('a damaged checkpoint is "not a checkpoint", never a bare error or wrong counts (issue 18, case 12)', () => {
  /** A real checkpoint of a finished run over three lines, and that run's setup. */
  async function written(): Promise<Setup & { snapshot: Record<string, unknown>; text: string }> {
    const context = await setup()
    fs.writeFileSync(context.file, lines('a1', 'a2', 'a3'))
    await send(context.args(context.file))
    const text = fs.readFileSync(context.checkpoint, 'utf8')
    return { ...context, text, snapshot: JSON.parse(text.split('\n')[0]) as Record<string, unknown> }
  }

  const damages: Array<[string, (text: string, snapshot: Record<string, unknown>) => string]> = [
    ['truncated in its first line', (text) => text.slice(0, Math.floor(text.indexOf('\n') / 2))],
    ['empty', () => ''],
    ['not JSON', (text) => `{"appcuesSendCheckpoint": ${text.slice(30)}`],
    ['a JSON list', () => '[1, 2, 3]\n'],
    ['"done" not a list', (_, snapshot) => `${JSON.stringify({ ...snapshot, done: 'all' })}\n`],
    ['"partial" a list', (_, snapshot) => `${JSON.stringify({ ...snapshot, partial: [[1]] })}\n`],
    ['a negative low-water mark', (_, snapshot) => `${JSON.stringify({ ...snapshot, lowWaterMark: -5 })}\n`],
    ['a huge low-water mark', (_, snapshot) => `${JSON.stringify({ ...snapshot, lowWaterMark: 1e12 })}\n`],
    ['a fractional line', (_, snapshot) => `${JSON.stringify({ ...snapshot, lowWaterMark: 0, done: [1.5] })}\n`],
    ['a garbled entry', (_, snapshot) => `${JSON.stringify({ ...snapshot, lowWaterMark: 0 })}\nzz\n2\n`],
    ['a line far beyond the input', (_, snapshot) => `${JSON.stringify({ ...snapshot, lowWaterMark: 0 })}\n999999\n`],
    [
      'a subscription that does not exist',
      (_, snapshot) => `${JSON.stringify({ ...snapshot, lowWaterMark: 0 })}\n1/99\n`
    ]
  ]

  it.each(damages)('refuses a checkpoint %s, naming the file and what to do', async (_, damage) => {
    const { sim, file, checkpoint, args, text, snapshot } = await written()
    fs.writeFileSync(checkpoint, damage(text, snapshot))
    const requests = sim.state().requests.length
    const run = send(args(file))
    await expect(run).rejects.toMatchObject({ name: 'UsageError' })
    await expect(run).rejects.toThrow(
      new RegExp(
        `^${checkpoint.replace(
          /[.*+?^${}()|[\]\\]/g,
          '\\$&'
        )} is not a checkpoint written by send: .*\\. Delete it to send every line again, or give another --checkpoint file\\.$`
      )
    )
    expect(sim.state().requests).toHaveLength(requests)
  })

  it('the real command exits 2 with the message, and no stack trace', async () => {
    const { file, checkpoint, args, snapshot } = await written()
    fs.writeFileSync(checkpoint, `${JSON.stringify({ ...snapshot, done: { 4: true } })}\n`)
    const run = cli(['send', ...args(file)])
    expect((await run.exit).code).toBe(2)
    expect(run.stderr()).toMatch(
      new RegExp(`^${checkpoint} is not a checkpoint written by send: "done" must list`, 'm')
    )
    expect(run.stderr()).not.toMatch(/TypeError|\n\s+at /)
  }, 60_000)
})
