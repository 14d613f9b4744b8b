import nock from 'nock'

beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
})

beforeEach(() => {
  nock.cleanAll()
})

afterAll(() => {
  nock.restore()
})
