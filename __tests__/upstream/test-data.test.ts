import { generateTestData } from '../../src/lib/test-data'
import destination from '../../src/destinations/appcues'
import { validSnapshotSettings } from '../../src/destinations/appcues/__tests__/__helpers__/snapshot'

// The monorepo's generator gives settings random values of their type: choices ignored, numbers as two-digit
// decimals that may be negative. Ours must do the same, or our snapshot tests pass here and fail upstream.
const seeds = Array.from({ length: 40 }, (_, i) => `actions-appcues#seed-${i}`)
const settingsFor = (seed: string) => generateTestData(seed, destination, destination.actions.trackEvent, false)[1]

describe('src/lib/test-data (behaves like the monorepo generator)', () => {
  it('ignores the choices of settings: Region gets random text', () => {
    const regions = seeds.map((seed) => settingsFor(seed).region as unknown)
    expect(regions.every((region) => typeof region === 'string')).toBe(true)
    expect(regions.filter((region) => region === 'US' || region === 'EU')).toHaveLength(0)
  })

  it('gives number settings two-digit decimals, negative ones included', () => {
    const ids = seeds.map((seed) => settingsFor(seed).accountId as number)
    expect(ids.every((id) => Number(id.toFixed(2)) === id)).toBe(true)
    expect(ids.some((id) => id < 0)).toBe(true)
    expect(ids.some((id) => !Number.isInteger(id))).toBe(true)
  })

  it('picks one of the choices for action fields', () => {
    const [event] = generateTestData('actions-appcues#send', destination, destination.actions.send, true)
    expect(['track', 'page', 'screen', 'identify', 'group']).toContain(event.type)
  })
})

describe('validSnapshotSettings', () => {
  it.each(seeds)('turns the generated settings of %s into settings the destination accepts', (seed) => {
    const settings = validSnapshotSettings(settingsFor(seed))
    expect(['US', 'EU']).toContain(settings.region)
    expect(Number.isSafeInteger(settings.accountId) && settings.accountId > 0).toBe(true)
    expect(settings.apiKey).toBe(settingsFor(seed).apiKey)
  })

  it('keeps generated values that are already valid', () => {
    expect(validSnapshotSettings({ apiKey: 'k', apiSecret: 's', accountId: 7, region: 'EU' })).toMatchObject({
      accountId: 7,
      region: 'EU'
    })
  })
})
