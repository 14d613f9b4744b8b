import { cli, killChildren, waitFor } from '../send/helpers'
import { call } from './__helpers__/http-client'
import { HOSTILE_TARGETS, rawRequestLine } from './__helpers__/raw-request'

afterEach(() => killChildren())

describe('serve survives any request line (issue 18, case 9)', () => {
  it('answers 400 to a target that is not a path, logs it, and keeps serving', async () => {
    const serve = cli(['serve', '--port', '0'])
    await waitFor(() => /^Serving .* at http:\/\/\S+/m.test(serve.stdout()), 60_000, 'serve to start')
    const url = /^Serving .* at (http:\/\/\S+)/m.exec(serve.stdout())![1]
    for (const target of HOSTILE_TARGETS) {
      expect([target, await rawRequestLine(url, `GET ${target} HTTP/1.1`)]).toEqual([
        target,
        'HTTP/1.1 400 Bad Request'
      ])
    }
    // `//x` is a path (not the host x): no route has it.
    expect(await rawRequestLine(url, 'GET //x HTTP/1.1')).toBe('HTTP/1.1 404 Not Found')
    expect(await rawRequestLine(url, 'GET // HTTP/1.1')).toBe('HTTP/1.1 404 Not Found')
    const manifest = await call(url, '/manifest')
    expect(manifest.status).toBe(200)
    await waitFor(() => serve.stdout().includes('400 GET "http://["'), 10_000, 'the log line of the refusal')
    expect(serve.stderr()).not.toMatch(/TypeError|Invalid URL/)
    serve.kill('SIGTERM')
    expect((await serve.exit).code).toBe(0)
  }, 90_000)
})
