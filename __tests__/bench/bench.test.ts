import { spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'

const ROOT = path.resolve(__dirname, '..', '..')
const FIGURES = ['overhead', 'requests', 'throughput', 'rateLimit', 'memory', 'audience', 'startup', 'redaction']

interface Outcome {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `npm run bench`'s command (without npm) with the given environment. */
function runBench(env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bench/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run bench (BENCH_QUICK smoke run)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-bench-test-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  // Performance is measured by `npm run bench`, never asserted here: this only checks that every figure runs.
  it('runs every figure, prints each as a table and writes them all to the results file', async () => {
    const file = path.join(dir, 'results.json')
    const { code, stdout, stderr } = await runBench({ BENCH_QUICK: '1', BENCH_RESULTS: file })
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' })

    const results = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(Object.keys(results.figures).sort()).toEqual([...FIGURES].sort())
    expect(results.machine.cpus).toBeGreaterThan(0)
    for (const key of FIGURES) {
      const figure = results.figures[key]
      expect(figure.quick).toBe(true)
      expect(figure.table).toMatch(/^\| .+ \|\n\| --- \|/)
      expect(stdout).toContain(figure.table)
      expect(stdout).toContain(figure.title)
    }
    const { overhead, requests, throughput, rateLimit, memory, startup } = results.figures
    expect(overhead.data.rows.map((row: { action: string }) => row.action)).toEqual([
      'identifyUser',
      'trackEvent',
      'pageView',
      'identifyGroup',
      'deleteUser',
      'send',
      'benchFloor'
    ])
    // Every case measures events that its subscription takes: each makes at least one request.
    expect(overhead.data.rows.filter((row: { requestsPerEvent: number }) => !(row.requestsPerEvent >= 1))).toEqual([])
    expect(requests.data.modes.every((mode: { failedEvents: number }) => mode.failedEvents === 0)).toBe(true)
    for (const variant of throughput.data.variants) {
      expect(variant.send.requests).toBeGreaterThan(0)
      expect(variant.raw.requests).toBe(variant.recordedRequests)
    }
    expect(typeof rateLimit.data.tooManyRequests).toBe('number')
    expect(memory.data.large.skipped).toBe(memory.data.large.lines - memory.data.large.deliverable)
    expect(memory.data.large.peakRssMb).toBeGreaterThan(0)
    const { audience } = results.figures
    expect(audience.data.rows.map((row: { mode: string }) => row.mode)).toContain(
      'segment ID, one audience, one batch of 1,000'
    )
    expect(audience.data.rows.every((row: { failedEvents: number }) => row.failedEvents === 0)).toBe(true)
    expect(startup.data.rows.map((row: { name: string }) => row.name)).toEqual(['baseline', 'help', 'send'])
    expect(results.figures.redaction.data.rows.length).toBeGreaterThan(0)
  }, 180_000)
})
