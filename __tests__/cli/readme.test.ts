import fs from 'fs'
import path from 'path'
import { cli, killChildren, waitFor } from '../send/helpers'
import { call } from './__helpers__/http-client'

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8')

afterEach(killChildren)

/** The README's `serve` example: the simulator it starts, and the curl request it sends through `serve`. */
function serveExample() {
  const section = README.slice(README.indexOf('### `serve'), README.indexOf('#### The mapping playground'))
  const simulatorPort = /^npx appcues-actions simulator --port (\d+)$/m.exec(section)?.[1]
  const serveLine = /^npx appcues-actions serve$/m.test(section)
  const curl = /^curl -s localhost:(\d+)\/(\w+) -H '([^:]+): ([^']+)' -d '([^']+)'$/m.exec(section)
  if (!simulatorPort || !serveLine || !curl)
    throw new Error('The README no longer has the serve example this test runs')
  const [, servePort, action, headerName, headerValue, body] = curl
  return { simulatorPort, servePort, action, header: { [headerName]: headerValue }, body: JSON.parse(body) }
}

describe("the README's serve example", () => {
  it('works when pasted: the request reaches the simulator it starts, with credentials it accepts', async () => {
    const example = serveExample()
    // The ports the README uses agree with each other and with serve's default.
    expect(example.body.settings.endpoint).toBe(`http://127.0.0.1:${example.simulatorPort}`)
    expect(example.servePort).toBe('3000')

    // The same commands on free ports, so that the test never meets another process on 3000 or 4567.
    const simulator = cli(['simulator', '--port', '0'])
    const serve = cli(['serve', '--port', '0'])
    await waitFor(() => /listening on http:\/\/\S+/.test(simulator.stdout()), 30_000, 'the simulator to start')
    await waitFor(() => /^Serving .* at http:\/\/\S+/m.test(serve.stdout()), 30_000, 'serve to start')
    const simulatorUrl = /listening on (http:\/\/\S+)/.exec(simulator.stdout())![1]
    const serveUrl = /^Serving .* at (http:\/\/\S+)/m.exec(serve.stdout())![1]
    // serve says that it is starting before it loads anything.
    expect(serve.stdout().split('\n')[0]).toMatch(
      /^Starting the server on 127\.0\.0\.1 port 0: loading the destination/
    )

    const body = { ...example.body, settings: { ...example.body.settings, endpoint: simulatorUrl } }
    const answer = await call(serveUrl, `/${example.action}`, { body, headers: example.header })
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual([
      expect.objectContaining({
        request: expect.objectContaining({
          method: 'POST',
          url: `${simulatorUrl}/v2/accounts/10001/users/user-1/events`
        }),
        response: expect.objectContaining({ statusCode: 202 })
      })
    ])
    const state = await call(simulatorUrl, '/_simulator/state')
    expect(state.json.events).toEqual([expect.objectContaining({ userId: 'user-1', name: 'Signed Up' })])
  }, 60_000)
})
