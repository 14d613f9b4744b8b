import { describeStart, exposureWarning } from '../../src/cli/commands/simulator-start'
import { DEFAULT_CREDENTIALS } from '../../src/simulator'

const at = (url: string, credentials = DEFAULT_CREDENTIALS) => ({ url, credentials })
const hints = (lines: string[]) => lines.filter((line) => /serve --simulator|send FILE|--endpoint/.test(line))

describe('what the simulator command prints at start', () => {
  it('shows how to reach a loopback simulator with serve and send, saying the playground fills in these credentials', () => {
    const lines = describeStart(at('http://127.0.0.1:4567'), {}, new Set())
    expect(hints(lines)).toEqual([
      'Try a mapping with `appcues-actions serve --simulator http://127.0.0.1:4567` (its playground fills empty credentials with these), or send events with:',
      `  appcues-actions send FILE --endpoint http://127.0.0.1:4567 --account-id ${DEFAULT_CREDENTIALS.accountId} --api-key ${DEFAULT_CREDENTIALS.apiKey} --api-secret ${DEFAULT_CREDENTIALS.apiSecret}`
    ])
  })

  it('asks for the credentials in the playground when they are not the made-up defaults, and echoes no given secret', () => {
    const credentials = { ...DEFAULT_CREDENTIALS, accountId: 777, apiSecret: 'given-secret' }
    const lines = describeStart(at('http://127.0.0.1:4567', credentials), {}, new Set(['account-id', 'api-secret']))
    expect(hints(lines)[0]).toContain('enter the credentials above in its playground')
    expect(hints(lines)[1]).toContain('--account-id 777 ')
    expect(lines.join('\n')).not.toContain('given-secret')
  })

  it('gives no serve or send command for a simulator off loopback, which they would refuse', () => {
    const lines = describeStart(at('http://192.168.1.20:4567'), {}, new Set())
    expect(lines.filter((line) => line.includes('appcues-actions'))).toEqual([])
    expect(lines.join('\n')).toContain('start one with --host 127.0.0.1')
  })

  it('warns only when the simulator listens on an address that is not loopback', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(exposureWarning(host)).toBeUndefined()
    for (const host of ['0.0.0.0', '192.168.1.20'])
      expect(exposureWarning(host)).toMatch(/reachable from other machines/)
  })
})
