import { freezeDate, restoreDate } from '../../__tests__/__helpers__/fixed-clock'
import { firstRequestForTestData } from '../../__tests__/__helpers__/snapshot'

const destinationSlug = 'Appcues'
const actionSlug = 'pageView'
const seedName = `${destinationSlug}#${actionSlug}`

describe(`Testing snapshot for ${destinationSlug}'s ${actionSlug} destination action:`, () => {
  beforeAll(() => freezeDate())
  afterAll(() => restoreDate())

  it('required fields', async () => {
    expect(await firstRequestForTestData(seedName, actionSlug, true)).toMatchSnapshot()
  })

  it('all fields', async () => {
    expect(await firstRequestForTestData(seedName, actionSlug, false)).toMatchSnapshot()
  })
})
