import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import Destination from '../../index'

const testDestination = createTestIntegration(Destination)
const settings = { apiKey: 'key', apiSecret: 'secret', accountId: 123, region: 'US' }

describe('Appcues.identifyUser', () => {
  it('smoke', async () => {
    nock('https://api.appcues.com').patch('/v2/accounts/123/users/u%2F1/profile').reply(200, { ok: true })
    const event = createTestEvent({ type: 'identify', userId: 'u/1', traits: { a: { b: [1, 2] }, _x: 1, e: '' } })
    const responses = await testDestination.testAction('identifyUser', { event, settings, useDefaultMappings: true })
    expect(responses[0].options.json).toEqual({ a_b: '1,2' })
    expect(responses[0].options.headers).toBeDefined()
    expect((responses[0].options.headers as unknown as Headers).get('authorization')).toBe('Basic a2V5OnNlY3JldA==')
  })
})
