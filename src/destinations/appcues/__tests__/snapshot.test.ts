import destination from '../index'
import { freezeDate, restoreDate } from './__helpers__/fixed-clock'
import { firstRequestForTestData } from './__helpers__/snapshot'

const destinationSlug = 'actions-appcues'

describe(`Testing snapshot for ${destinationSlug} destination:`, () => {
  beforeAll(() => freezeDate())
  afterAll(() => restoreDate())

  for (const actionSlug in destination.actions) {
    const seedName = `${destinationSlug}#${actionSlug}`

    it(`${actionSlug} action - required fields`, async () => {
      expect(await firstRequestForTestData(seedName, actionSlug, true)).toMatchSnapshot()
    })

    it(`${actionSlug} action - all fields`, async () => {
      expect(await firstRequestForTestData(seedName, actionSlug, false)).toMatchSnapshot()
    })
  }
})
