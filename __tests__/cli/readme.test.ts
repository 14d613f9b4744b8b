import fs from 'fs'
import path from 'path'
import { cli, killChildren, waitFor } from '../send/helpers'
import { call } from './__helpers__/http-client'

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8')

afterEach(killChildren)

/** The README's `serve` example: the command, and the curl request it sends through `serve`. */
function serveExample() {
  const section = README.slice(README.indexOf('### `serve'), README.indexOf('#### The mapping playground'))
  const serveLine = /^npx appcues-actions serve$/m.test(section)
  const curl = /^curl -s localhost:(\d+)\/(\w+) -H '([^:]+): ([^']+)' -d '([^']+)'$/m.exec(section)
  if (!serveLine || !curl) throw new Error('The README no longer has the serve example this test runs')
  const [, servePort, action, headerName, headerValue, body] = curl
  return { servePort, action, header: { [headerName]: headerValue }, body: JSON.parse(body) }
}

describe("the README's serve example", () => {
  it('works when pasted: the request built for Appcues reaches serve’s simulator, with credentials it accepts', async () => {
    const example = serveExample()
    expect(example.servePort).toBe('3000')
    expect(Object.keys(example.body.settings).sort()).toEqual(['accountId', 'apiKey', 'apiSecret', 'region'])

    // The same command on a free port, so that the test never meets another process on 3000.
    const serve = cli(['serve', '--port', '0'])
    await waitFor(() => /^Serving .* at http:\/\/\S+/m.test(serve.stdout()), 30_000, 'serve to start')
    const serveUrl = /^Serving .* at (http:\/\/\S+)/m.exec(serve.stdout())![1]
    // serve says that it is starting before it loads anything, and prints the credentials the example uses.
    expect(serve.stdout().split('\n')[0]).toMatch(
      /^Starting the server on 127\.0\.0\.1 port 0: loading the destination/
    )
    await waitFor(() => /simulator in this process/.test(serve.stdout()), 30_000, 'the simulator notice')
    const { apiKey, apiSecret, accountId } = example.body.settings
    expect(serve.stdout()).toContain(`account ID ${accountId}, API key ${apiKey}, API secret ${apiSecret}`)

    const answer = await call(serveUrl, `/${example.action}`, { body: example.body, headers: example.header })
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual([
      expect.objectContaining({
        request: expect.objectContaining({
          method: 'POST',
          url: 'https://api.appcues.com/v2/accounts/10001/users/user-1/events'
        }),
        response: expect.objectContaining({ statusCode: 202 })
      })
    ])
  }, 60_000)
})
