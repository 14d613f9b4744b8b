import { freezeDate, restoreDate } from '../../__tests__/__helpers__/fixed-clock'
import { requestsForTestData } from '../../__tests__/__helpers__/snapshot'

const destinationSlug = 'Appcues'
const actionSlug = 'syncAudience'
const seedName = `${destinationSlug}#${actionSlug}`

describe(`Testing snapshot for ${destinationSlug}'s ${actionSlug} destination action:`, () => {
  beforeAll(() => freezeDate())
  afterAll(() => restoreDate())

  it('required fields', async () => {
    expect(await requestsForTestData(seedName, actionSlug, true)).toMatchSnapshot()
  })

  it('all fields', async () => {
    expect(await requestsForTestData(seedName, actionSlug, false)).toMatchSnapshot()
  })
})
