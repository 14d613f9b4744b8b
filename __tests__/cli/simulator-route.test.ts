import { UsageError } from '../../src/cli/args'
import { routeFlagToSimulator } from '../../src/cli/simulator-route'
import { routedTarget } from '../../src/simulator'

describe('routeFlagToSimulator (send --endpoint, serve --simulator)', () => {
  it('turns a refused address into a usage error of the flag that gave it', () => {
    for (const [flag, url, reason] of [
      ['--endpoint', 'http://10.0.0.5:4567', 'Only a simulator on this machine'],
      ['--simulator', 'http://127.0.0.1', 'names no port'],
      ['--simulator', 'not a url', 'is not an address']
    ]) {
      let thrown: unknown
      try {
        routeFlagToSimulator(flag, url)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(UsageError)
      expect((thrown as Error).message).toMatch(new RegExp(`^${flag}: .*${reason}`))
    }
    expect(routedTarget()).toBeUndefined()
  })

  it('routes Appcues’ hosts to a simulator on this machine until restored', () => {
    const restore = routeFlagToSimulator('--simulator', 'http://127.0.0.1:4567')
    expect(routedTarget()).toBe('http://127.0.0.1:4567')
    restore()
    expect(routedTarget()).toBeUndefined()
  })
})
