import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import destination from '../../src/destinations/appcues'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { routeAppcuesHostsTo } from '../../src/simulator/host-route'
import type { Simulator } from '../../src/simulator'
import { closeSimulators, simulator } from '../simulator/helpers'

// End to end: every action runs through actions-core's request client against the Appcues simulator, at Appcues'
// real addresses (the host route changes only where the connection goes). The simulator checks each request's
// credentials and body against the schemas we wrote from Appcues' documentation, and keeps what it accepted.

let sim: Simulator
let unroute: () => void
let settings: Settings

beforeEach(async () => {
  sim = await simulator()
  unroute = routeAppcuesHostsTo(sim.url)
  const { accountId, apiKey, apiSecret, legacyApiKey } = sim.credentials
  settings = { apiKey, apiSecret, accountId, region: 'US', legacyApiKey }
})

afterEach(async () => {
  unroute()
  await closeSimulators()
})

const run = (action: string, event: Partial<SegmentEvent>, mapping?: JSONObject) =>
  createTestIntegration(destination).testAction(action, {
    event: createTestEvent({ userId: 'u1', timestamp: '2024-05-01T12:00:00.000Z', ...event }),
    settings,
    mapping,
    useDefaultMappings: true
  })

describe('the destination against the Appcues simulator', () => {
  it('passes the credential check, and fails it with a wrong secret', async () => {
    const testDestination = createTestIntegration(destination)
    await expect(testDestination.testAuthentication(settings)).resolves.toBeUndefined()
    await expect(testDestination.testAuthentication({ ...settings, apiSecret: 'wrong' })).rejects.toThrow(
      'API Key and API Secret settings'
    )
  })

  it('stores profiles, events, page views, groups and their users', async () => {
    await run('identifyUser', { type: 'identify', traits: { plan: 'pro', company: { name: 'Acme' } } })
    await run('trackEvent', { type: 'track', event: 'Invoice Paid', properties: { amount: 3 } })
    await run('pageView', {
      type: 'page',
      name: 'Pricing',
      properties: { url: 'https://example.com/pricing' },
      context: {}
    })
    await run('identifyGroup', { type: 'group', groupId: 'g1', traits: { name: 'Acme' } })
    const state = sim.state()
    expect(state.users).toEqual({ u1: { plan: 'pro', company_name: 'Acme' } })
    expect(state.events.map((event) => [event.name, event.attributes])).toEqual([
      ['Invoice Paid', { amount: 3 }],
      ['Page Viewed', expect.objectContaining({ name: 'Pricing', url: 'https://example.com/pricing' })]
    ])
    expect(state.groupProfiles).toEqual({ g1: { attributes: { name: 'Acme' }, members: ['u1'] } })
    expect(state.dropped).toEqual([])
  })

  it('posts the Send action’s Segment calls, and erases users with the Legacy API key', async () => {
    await run('send', { type: 'track', event: 'Signed Up', context: { traits: { plan: 'free' } } })
    await run('deleteUser', { type: 'track', event: 'Account Closed' })
    await createTestIntegration(destination).onDelete?.(
      createTestEvent({ type: 'delete', userId: 'u2', anonymousId: 'a2' }),
      settings as unknown as JSONObject
    )
    const state = sim.state()
    expect(state.segmentMessages.map((stored) => stored.message.type).sort()).toEqual(['identify', 'track'])
    expect(state.deletions.map((deletion) => deletion.users)).toEqual([['u1'], ['u2', 'a2']])
  })

  it('connects an audience, syncs its changes by the segment ID alone, and explains a segment deleted in Appcues', async () => {
    const testDestination = createTestIntegration(destination)
    const { externalId } = await testDestination.createAudience({ settings, audienceName: 'Trial users' })
    await expect(testDestination.createAudience({ settings, audienceName: 'Trial users' })).resolves.toEqual({
      externalId
    })
    const personas = { computation_class: 'journey_step', computation_key: 'step_1', external_audience_id: externalId }
    const events = ['u1', 'u2'].map((userId) =>
      createTestEvent({
        type: 'track',
        userId,
        event: 'Step Entered',
        properties: { step_1: true },
        context: { personas }
      })
    )
    const lookups = sim.counts().requestsByRoute.segments
    await testDestination.testBatchAction('syncAudience', { events, settings, useDefaultMappings: true })
    expect(sim.state().segments[externalId].members).toEqual(['u1', 'u2'])
    expect(sim.counts().requestsByRoute.segments).toBe(lookups)
    await expect(testDestination.getAudience({ settings, externalId })).resolves.toEqual({ externalId })

    const account = `${sim.url}/v2/accounts/${settings.accountId}`
    const auth = `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64')}`
    await fetch(`${account}/segments/${externalId}`, { method: 'DELETE', headers: { authorization: auth } })
    await expect(testDestination.getAudience({ settings, externalId })).rejects.toMatchObject({
      code: 'GET_AUDIENCE_FAILED',
      message: expect.stringContaining('connect it again')
    })
  })

  it('keeps an Appcues segment in step with an audience', async () => {
    const personas = { computation_class: 'audience', computation_key: 'trial', computation_id: 'aud_1' }
    const events = [true, true, false].map((entered, index) =>
      createTestEvent({
        type: 'track',
        userId: `u${index}`,
        event: entered ? 'Audience Entered' : 'Audience Exited',
        properties: { trial: entered },
        context: { personas }
      })
    )
    await createTestIntegration(destination).testBatchAction('syncAudience', {
      events,
      settings,
      useDefaultMappings: true
    })
    expect(Object.values(sim.state().segments)).toEqual([
      expect.objectContaining({ name: 'trial', members: ['u0', 'u1'] })
    ])
  })
})
