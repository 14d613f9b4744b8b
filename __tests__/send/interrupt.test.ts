import fs from 'fs'
import path from 'path'
import { PassThrough } from 'stream'
import { parseSendArgs, runSend } from '../../src/cli/send'
import type { SendResult } from '../../src/cli/send'
import { closeSimulators, simulator } from '../simulator/helpers'
import type { Simulator } from '../../src/simulator'
import { cli, removeTempDirs, targetArgs, tempDir, waitFor } from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

const identify = (user: string) => JSON.stringify({ type: 'identify', userId: user, traits: { plan: 'pro' } })

function inputFile(count: number): string {
  const file = path.join(tempDir(), 'events.jsonl')
  fs.writeFileSync(file, `${Array.from({ length: count }, (_, i) => identify(`u${i}`)).join('\n')}\n`)
  return file
}

/** Starts `send` in this process with an abort signal, as the command does for Ctrl-C. */
function start(sim: Simulator, args: string[], stopGraceMs?: number, stdin?: PassThrough) {
  const controller = new AbortController()
  const stderr: string[] = []
  const options = parseSendArgs(
    [...args, ...targetArgs(sim), '--quiet', '--dead-letter', path.join(tempDir(), 'd')],
    {}
  )
  const run: Promise<SendResult> = runSend(options, {
    stdout: () => undefined,
    stderr: (line) => stderr.push(line),
    signal: controller.signal,
    ...(stdin ? { stdin } : {}),
    ...(stopGraceMs !== undefined ? { stopGraceMs } : {})
  })
  return { run, stop: () => controller.abort() }
}

/** Every profile update gets 503: each event goes into a backoff of 15 to 30 s (--retry-delay 60000, capped at 30 s). */
const allFail = () => simulator({ rateLimit: 0, faults: { errorRates: { 503: 1 }, routes: ['userProfile'] } })

describe('the first Ctrl-C stops promptly (issue 18, case 13)', () => {
  it.each([
    ['one event at a time', ['--batch-size', '1']],
    ['in batches', []]
  ])(
    'ends a retry backoff at once (%s): the waiting events fail without another attempt, exit 1',
    async (_, flags) => {
      const sim = await allFail()
      const { run, stop } = start(sim, [inputFile(3), '--retry-delay', '60000', ...flags])
      const failures = () => sim.state().requests.filter((request) => request.status === 503).length
      await waitFor(() => failures() === 3, 10_000, 'a 503 for each event')
      const attempts = sim.state().requests.length
      stop()
      // Without the fix the run waits out the backoff (15 s at least) before it ends: this test's timeout is shorter.
      const { summary, exitCode } = await run
      expect(exitCode).toBe(1)
      expect(summary.stopped).toMatch(/^interrupted/)
      expect(summary.failed + summary.unfinished).toBe(3)
      expect(summary.topFailedReasons[0].reason).toMatch(/\(the run was stopped before a retry\)$/)
      expect(sim.state().requests).toHaveLength(attempts)
    },
    12_000
  )

  it('gives requests in flight a bounded grace period, then prints the summary with the unfinished events', async () => {
    const sim = await simulator({ rateLimit: 0 })
    const stdin = new PassThrough()
    const { run, stop } = start(sim, ['-', '--batch-size', '1'], 200, stdin)
    await waitFor(() => sim.state().requests.length === 1, 10_000, 'the credential check')
    sim.pause()
    stdin.write(`${identify('u1')}\n${identify('u2')}\n`)
    await waitFor(() => sim.held() === 2, 10_000, 'both profile updates held by the simulator')
    stop()
    const { summary, exitCode } = await run
    sim.resume()
    expect(exitCode).toBe(1)
    expect(summary).toMatchObject({ read: 2, delivered: 0, failed: 0, unfinished: 2 })
  }, 12_000)

  it('the real command: Ctrl-C during a backoff prints the summary and exits 1 at once', async () => {
    const sim = await allFail()
    const child = cli([
      'send',
      inputFile(3),
      ...targetArgs(sim),
      '--retry-delay',
      '60000',
      '--dead-letter',
      path.join(tempDir(), 'd')
    ])
    const failures = () => sim.state().requests.filter((request) => request.status === 503).length
    await waitFor(() => failures() === 3, 15_000, 'a 503 for each event')
    child.kill('SIGINT')
    const { code } = await child.exit
    expect(code).toBe(1)
    // No retry was sent after the Ctrl-C.
    expect(failures()).toBe(3)
    expect(child.stdout()).toMatch(/Summary[\s\S]*failed\s+3[\s\S]*Stopped early: interrupted/)
  }, 20_000)
})
