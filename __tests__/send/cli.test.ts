import path from 'path'
import { cli, EXAMPLE, removeTempDirs, send, tempDir, waitFor } from './helpers'

afterEach(removeTempDirs)

const fast = ['--rate', '0', '--sim-rate-limit', '0', '--quiet']

describe('the appcues-actions CLI', () => {
  it('send exits 1 when a delivery failed, 1 when events were refused beyond --max-refused, 0 within it, 2 on a usage error', async () => {
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
    const refused = cli(['send', EXAMPLE, ...fast, '--dead-letter', path.join(dir, 'b.jsonl')])
    const allowed = cli(['send', EXAMPLE, ...fast, '--max-refused', '7', '--dead-letter', path.join(dir, 'c.jsonl')])
    const tooFew = cli(['send', EXAMPLE, ...fast, '--max-refused', '6', '--dead-letter', path.join(dir, 'e.jsonl')])
    const usage = cli(['send', EXAMPLE, '--rate', 'many'])
    expect((await failing.exit).code).toBe(1)
    expect(failing.stdout()).toMatch(
      /failed\s+30\s+not delivered; top reasons:\n\s+30 × Appcues answered 503 Service Unavailable/
    )
    expect((await refused.exit).code).toBe(1)
    expect(refused.stdout()).toMatch(/rejected\s+3/)
    expect(refused.stdout()).toContain(
      'Not every event was delivered: 3 events were rejected and 4 lines were malformed, more than the 0 that --max-refused allows.'
    )
    expect((await allowed.exit).code).toBe(0)
    expect(allowed.stdout()).not.toContain('Not every event was delivered')
    expect((await tooFew.exit).code).toBe(1)
    expect(tooFew.stdout()).toContain('more than the 6 that --max-refused allows')
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
