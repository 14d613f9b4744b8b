import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }

describe('Appcues.send with a large answer', () => {
  // When actions-core reads a copy of an answer and leaves the original unread, an answer larger than the stream
  // buffer never finishes arriving, and this test times out instead of failing slowly.
  it('reads an answer larger than 64 KB in full', async () => {
    const answer = { success: true, notes: 'n'.repeat(80 * 1024) }
    const scope = nock('https://segment.appcues.com').post('/v2/accounts/123/segment/direct').reply(200, answer)
    const event = createTestEvent({ type: 'track', event: 'Report Exported', userId: 'user-1', properties: {} })
    const responses = await testDestination.testAction('send', { event, settings, useDefaultMappings: true })
    expect(scope.isDone()).toBe(true)
    expect(responses.map((response) => response.status)).toEqual([200])
  }, 10_000)
})
