import nock from 'nock'

// As packages/destination-actions/test/setup-after-env.ts does: no network but this machine, and no mock carried
// from one test to the next.
beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
  if (!nock.isActive()) nock.activate()
})

beforeEach(() => {
  nock.cleanAll()
})

afterAll(() => {
  nock.restore()
  nock.enableNetConnect()
  nock.cleanAll()
})
