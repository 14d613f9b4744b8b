import type { JSONObject } from '@segment/actions-core'
import { loadDestination } from '../../src/cli/load-destination'
import {
  AUDIENCE_SAMPLES,
  CALL_TYPES,
  conditionsInWords,
  holdingsFor,
  runMark,
  idsOf,
  playgroundSetup,
  sampleEvents,
  settingsForRun,
  settingsView,
  subscriptionSample
} from '../../src/cli/serve/playground'
import { DEFAULT_CREDENTIALS } from '../../src/simulator'
import type { SimulatorState } from '../../src/simulator'

const { definition } = loadDestination()
const simulator = { url: 'http://127.0.0.1:4567', credentials: { ...DEFAULT_CREDENTIALS } }

describe('settingsView (the settings form)', () => {
  it('masks password settings and never gives them a value, and targets the simulator by default', () => {
    const view = settingsView(definition, simulator)
    const byKey = Object.fromEntries(view.map((setting) => [setting.key, setting]))
    for (const key of ['apiKey', 'apiSecret', 'legacyApiKey']) {
      expect(byKey[key]).toMatchObject({ secret: true, placeholder: 'Empty: the simulator’s credential is used.' })
      expect(byKey[key].value).toBeUndefined()
    }
    expect(byKey.accountId).toMatchObject({ secret: false, value: DEFAULT_CREDENTIALS.accountId, type: 'number' })
    expect(byKey.region).toMatchObject({
      value: 'US',
      choices: [expect.objectContaining({ value: 'US' }), expect.anything()]
    })
    expect(byKey.apiKey).toMatchObject({ label: 'API Key', required: true })
    expect(JSON.stringify(view)).not.toContain(DEFAULT_CREDENTIALS.apiSecret)
  })

  it('leaves the account empty when there is no simulator', () => {
    const byKey = Object.fromEntries(settingsView(definition).map((setting) => [setting.key, setting]))
    expect(byKey.accountId.value).toBeUndefined()
    expect(byKey.apiKey.placeholder).toBeUndefined()
  })
})

describe('settingsForRun', () => {
  it('fills every empty credential with the simulator’s while Appcues is routed to a simulator', () => {
    const { settings, target } = settingsForRun(
      { apiKey: '', apiSecret: 'typed', accountId: null, region: 'US' },
      simulator
    )
    expect(settings).toEqual({
      apiKey: DEFAULT_CREDENTIALS.apiKey,
      apiSecret: 'typed',
      legacyApiKey: DEFAULT_CREDENTIALS.legacyApiKey,
      accountId: DEFAULT_CREDENTIALS.accountId,
      region: 'US'
    })
    expect(target).toEqual({ kind: 'simulator', where: simulator.url })
  })

  it('fills nothing when requests go to Appcues, and names the region', () => {
    const appcues = settingsForRun({ region: 'EU', apiKey: ' ' })
    expect(appcues).toEqual({ settings: { region: 'EU' }, target: { kind: 'appcues', where: 'Appcues EU' } })
  })

  it('refuses settings that are not an object', () => {
    expect(() => settingsForRun(['x'], simulator)).toThrow(expect.objectContaining({ status: 400 }))
  })
})

describe('playgroundSetup (what the page draws)', () => {
  const setup = playgroundSetup(definition, settingsView(definition, simulator), {
    url: simulator.url,
    accountId: 1,
    holdings: true
  })
  const action = (key: string) => setup.actions.find((candidate) => candidate.key === key)

  it('lists every action with its fields as the mapping UI shows them', () => {
    expect(setup.actions.map((candidate) => candidate.key)).toEqual(Object.keys(definition.actions))
    expect(action('trackEvent')?.fields.find((field) => field.key === 'event')).toEqual({
      key: 'event',
      label: 'Event Name',
      description: expect.stringContaining('at most 127 characters'),
      type: 'string',
      required: true,
      multiple: false,
      maximum: 127,
      hidden: false,
      default: { '@path': '$.event' }
    })
    expect(action('identifyUser')?.fields.find((field) => field.key === 'batch_size')).toMatchObject({ hidden: true })
    expect(action('trackEvent')?.fields.map((field) => field.key)).not.toContain('batch_size')
    const sendEvent = action('send')?.fields.find((field) => field.key === 'event')
    expect(sendEvent).toMatchObject({
      required: false,
      requiredWhen: 'Event Type is track',
      shownWhen: 'Event Type is track'
    })
    expect(action('send')?.fields.find((field) => field.key === 'type')?.choices).toHaveLength(5)
  })

  it('marks the actions that read the segment ID of a connected audience, for the page to offer connecting one', () => {
    expect(setup.actions.filter((candidate) => candidate.readsAudienceId).map((candidate) => candidate.key)).toEqual([
      'syncAudience'
    ])
  })

  it('offers each action’s presets with the sample that matches their trigger', () => {
    expect(action('pageView')?.presets.map((preset) => [preset.name, preset.callType])).toEqual([
      ['Page Calls', 'page'],
      ['Screen Calls', 'screen']
    ])
    expect(action('pageView')?.presets[1].mapping).toMatchObject({ event: 'Screen Viewed' })
    // Delete User subscribes to nothing by default: the page offers no sample of its own for it.
    expect(action('deleteUser')).toMatchObject({ presets: [] })
    expect(action('deleteUser')?.callType).toBeUndefined()
  })

  it('has a deletion entry, a sample of every call type, and the simulator', () => {
    expect(setup.deletion?.title).toBe('Privacy Deletion')
    expect(Object.keys(setup.samples)).toEqual([...CALL_TYPES, ...AUDIENCE_SAMPLES])
    for (const type of CALL_TYPES) expect(sampleEvents()[type]).toMatchObject({ type, userId: 'user-1042' })
    expect(sampleEvents()['audience entered']).toMatchObject({ type: 'track', event: 'Audience Entered' })
    expect(sampleEvents()['audience exited']).toMatchObject({ type: 'track', event: 'Audience Exited' })
    expect(setup.simulator).toEqual({
      url: simulator.url,
      accountId: 1,
      holdings: true
    })
  })
})

describe('subscription and condition helpers', () => {
  it('reads the call type and event name of a subscription', () => {
    expect(subscriptionSample('type = "track" and event = "User Deleted"')).toEqual({
      callType: 'track',
      eventName: 'User Deleted'
    })
    expect(subscriptionSample('context.personas.computation_class = "audience" and (type = "identify")')).toEqual({
      callType: 'audience entered'
    })
    expect(subscriptionSample('type = "alias"')).toEqual({})
    expect(subscriptionSample(undefined)).toEqual({})
  })

  it('says conditions in words', () => {
    const fields = { type: { label: 'Event Type', description: '', type: 'string' as const } }
    expect(
      conditionsInWords(
        {
          match: 'any',
          conditions: [
            { fieldKey: 'type', operator: 'is', value: 'page' },
            { fieldKey: 'type', operator: 'is_not', value: ['track', 'group'] }
          ]
        },
        fields
      )
    ).toBe('Event Type is page, or Event Type is not track or group')
  })
})

describe('holdings', () => {
  const stamp = { seq: 1, receivedAt: '2024-05-01T00:00:00.000Z', region: 'US' as const, accountId: 1 }
  const state = {
    profiles: [
      { ...stamp, seq: 2, userId: 'u1', attributes: { plan: 'free', seats: 1 } },
      { ...stamp, seq: 9, userId: 'u1', attributes: { plan: 'pro' } }
    ],
    events: [1, 3, 4, 5, 6, 7, 8].map((seq, i) => ({
      ...stamp,
      seq,
      userId: 'u1',
      name: `E${i + 1}`,
      timestamp: i + 1,
      attributes: {}
    })),
    groups: [{ ...stamp, seq: 10, groupId: 'g1', attributes: { name: 'G' } }],
    memberships: [],
    deletions: [{ seq: 11, receivedAt: stamp.receivedAt, region: 'US' as const, users: ['u1', 'anon'] }],
    segmentMessages: [{ ...stamp, message: { anonymousId: 'u1' } }],
    segmentCreations: [],
    segmentDeletions: [],
    segmentChanges: [],
    dropped: [
      { seq: 1, route: 'userProfile' as const, subject: 'user "u1"', key: 'old', reason: 'earlier' },
      { seq: 3, route: 'userProfile' as const, subject: 'user "u1"', key: 'new', reason: 'this run' }
    ],
    requests: [],
    users: { u1: { plan: 'pro' } },
    groupProfiles: { g1: { attributes: { name: 'G' }, members: ['u1'] } },
    segments: {
      seg_1: { name: 'Trial', description: '', members: ['u1'] },
      seg_2: { name: 'Other', description: '', members: [] }
    },
    counts: {
      profileUpdates: 1,
      users: 1,
      events: 6,
      groupUpdates: 1,
      groups: 1,
      memberships: 1,
      deletions: 1,
      segmentMessages: 1,
      segmentCreations: 0,
      segmentDeletions: 0,
      segmentChanges: 0,
      dropped: 2,
      requests: 9,
      requestsByRoute: {}
    }
  } as SimulatorState

  it('shows what this run did to a user and a group, latest events first, and counts what earlier runs left', () => {
    const holdings = holdingsFor(state, { userIds: ['u1'], groupIds: ['g1', 'g2'] }, { seq: 3, dropped: 1 })
    expect(holdings.users).toEqual([
      {
        userId: 'u1',
        profile: { plan: 'pro' },
        changes: { plan: 'pro' },
        eventCount: 5,
        recentEvents: ['E7', 'E6', 'E5', 'E4', 'E3'].map((name) => expect.objectContaining({ name })),
        groups: ['g1'],
        segments: ['Trial (seg_1)'],
        erasureRequests: 1,
        segmentMessages: 0,
        earlier: { events: 2, profileUpdates: 1, erasureRequests: 0, segmentMessages: 1 }
      }
    ])
    expect(holdings.groups).toEqual([
      { groupId: 'g1', attributes: { name: 'G' }, changes: { name: 'G' }, members: ['u1'], earlierUpdates: 0 },
      { groupId: 'g2', attributes: null, changes: null, members: [], earlierUpdates: 0 }
    ])
    expect(holdings.dropped).toEqual([{ subject: 'user "u1"', key: 'new', reason: 'this run' }])
    expect(holdings.summary[0]).toMatch(/^user profiles/)
  })

  it('marks a run after the latest record of any kind', () => {
    expect(runMark(state)).toEqual({ seq: 11, dropped: 2 })
  })

  it('takes each kind of ID from the first source that has it', () => {
    const payload: JSONObject = { userId: 'u1', anonymousId: 'a1', groupId: 'g1' }
    expect(idsOf([payload, { userId: 'other' }])).toEqual({ userIds: ['u1'], groupIds: ['g1'] })
    expect(idsOf([payload], true)).toEqual({ userIds: ['u1', 'a1'], groupIds: ['g1'] })
    expect(idsOf([{ groupId: 'g1' }, { userId: 'u2', groupId: 'g2' }])).toEqual({ userIds: ['u2'], groupIds: ['g1'] })
    expect(idsOf([{}, null, { userId: ' ' }, { userId: 'u2' }])).toEqual({ userIds: ['u2'], groupIds: [] })
  })
})
