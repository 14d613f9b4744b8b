import { spawn } from 'child_process'
import fs from 'fs'
import http from 'http'
import type { AddressInfo } from 'net'
import path from 'path'
import { removeTempDirs, ROOT, tempDir } from './helpers'

afterEach(removeTempDirs)

const PRELOAD = path.join(__dirname, '__helpers__', 'appcues-on-port.js')

/** Answers the credential check; every other request gets its headers and the start of a body that never ends. */
async function stallingAppcues(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url?.endsWith('/tags')) {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('[]')
      return
    }
    request.resume()
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
    response.write('{"id":')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

describe('an answer that stalls its body (issue 18, case 10)', () => {
  it('times out, prints the summary, and the process exits with status 1', async () => {
    const appcues = await stallingAppcues()
    const dir = tempDir()
    const input = path.join(dir, 'events.jsonl')
    fs.writeFileSync(input, `${JSON.stringify({ type: 'identify', userId: 'u1', traits: { plan: 'pro' } })}\n`)
    const args = ['--account-id', '1', '--api-key', 'k', '--api-secret', 's', '--max-retries', '0', '--json', '--quiet']
    const child = spawn(
      process.execPath,
      [
        '-r',
        PRELOAD,
        path.join(ROOT, 'bin', 'appcues-actions.js'),
        'send',
        input,
        ...args,
        '--dead-letter',
        path.join(dir, 'd')
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, APPCUES_PORT: String(appcues.port) },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.resume()
    // The request times out (actions-core's 10 s); the process must then end on its own, with the run's status.
    const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const killer = setTimeout(() => child.kill('SIGKILL'), 50_000)
    try {
      expect(await ended).toBe(1)
      expect(JSON.parse(stdout)).toMatchObject({ read: 1, delivered: 0, failed: 1 })
    } finally {
      clearTimeout(killer)
      child.kill('SIGKILL')
      await appcues.close()
    }
  }, 60_000)
})
