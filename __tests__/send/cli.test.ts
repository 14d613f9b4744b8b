import path from 'path'
import { cli, EXAMPLE, removeTempDirs, send, tempDir, waitFor } from './helpers'

afterEach(removeTempDirs)

const fast = ['--rate', '0', '--sim-rate-limit', '0', '--quiet']

describe('the appcues-actions CLI', () => {
  it('send exits 1 when a delivery failed, 1 with --strict when an event was rejected, 2 on a usage error', async () => {
    const dir = tempDir()
    const failing = cli([
      'send',
      EXAMPLE,
      ...fast,
      '--sim-error-rate',
      '503=1',
      '--sim-fault-routes',
      'userEvents',
      '--max-retries',
      '0',
      '--dead-letter',
      path.join(dir, 'a.jsonl')
    ])
    const strict = cli(['send', EXAMPLE, ...fast, '--strict', '--dead-letter', path.join(dir, 'b.jsonl')])
    const usage = cli(['send', EXAMPLE, '--rate', 'many'])
    expect((await failing.exit).code).toBe(1)
    expect(failing.stdout()).toMatch(
      /failed\s+30\s+not delivered; top reasons:\n\s+30 × Appcues answered 503 Service Unavailable/
    )
    expect((await strict.exit).code).toBe(1)
    expect(strict.stdout()).toMatch(/rejected\s+3/)
    expect((await usage.exit).code).toBe(2)
    expect(usage.stderr()).toBe('--rate must be a whole number, got "many".\n')
  }, 60_000)

  it('simulator serves until stopped, and send delivers to it through --endpoint', async () => {
    const child = cli(['simulator', '--port', '0', '--rate-limit', '0', '--api-secret', 'given-secret-789'])
    await waitFor(() => child.stdout().includes('Stop: Ctrl-C'), 15_000, 'the simulator to start')
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stdout())![1]
    expect(child.stdout()).toContain('API key         simulator-api-key')
    expect(child.stdout()).toContain('API secret      (as given)')
    expect(child.stdout()).not.toContain('given-secret-789')
    const { result } = await send([
      EXAMPLE,
      '--endpoint',
      url,
      '--account-id',
      '10001',
      '--api-key',
      'simulator-api-key',
      '--api-secret',
      'given-secret-789',
      '--rate',
      '0',
      '--quiet',
      '--dead-letter',
      path.join(tempDir(), 'd.jsonl')
    ])
    expect(result.summary.delivered).toBe(46)
    const state = await (await fetch(`${url}/_simulator/state`)).json()
    expect(state.counts).toMatchObject({ events: 30, users: 9, dropped: 0 })
    child.kill('SIGINT')
    expect((await child.exit).code).toBe(0)
    expect(child.stdout()).toContain('Simulator stopped. It held:')
    expect(child.stdout()).toMatch(/user profiles +9 users/)
  }, 60_000)
})
