import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import { generateTestData } from '../../../../lib/test-data'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { freezeDate } from '../../__tests__/__helpers__/fixed-clock'

const testDestination = createTestIntegration(destination)
const actionSlug = 'deleteUser'
const destinationSlug = 'Appcues'
const seedName = `${destinationSlug}#${actionSlug}`

/** Segment validates the Endpoint Override before events run; a random string is not a usable address. */
function usableSettings(settingsData: Settings): Settings {
  return { ...settingsData, endpoint: undefined }
}

function mockEveryRequest() {
  for (const method of ['get', 'post', 'put', 'patch'] as const) {
    nock(/.*/).persist()[method](/.*/).reply(200)
  }
}

async function bodyOf(request: Request): Promise<unknown> {
  const rawBody = await request.text()
  try {
    return JSON.parse(rawBody)
  } catch {
    return rawBody
  }
}

describe(`Testing snapshot for ${destinationSlug}'s ${actionSlug} destination action:`, () => {
  beforeAll(() => freezeDate())
  afterAll(() => jest.useRealTimers())

  it('required fields', async () => {
    const action = destination.actions[actionSlug]
    const [eventData, settingsData] = generateTestData(seedName, destination, action, true)
    mockEveryRequest()

    const event = createTestEvent({ properties: eventData })
    const responses = await testDestination.testAction(actionSlug, {
      event,
      mapping: event.properties,
      settings: usableSettings(settingsData),
      auth: undefined
    })

    expect(await bodyOf(responses[0].request)).toMatchSnapshot()
  })

  it('all fields', async () => {
    const action = destination.actions[actionSlug]
    const [eventData, settingsData] = generateTestData(seedName, destination, action, false)
    mockEveryRequest()

    const event = createTestEvent({ properties: eventData })
    const responses = await testDestination.testAction(actionSlug, {
      event,
      mapping: event.properties,
      settings: usableSettings(settingsData),
      auth: undefined
    })

    expect(await bodyOf(responses[0].request)).toMatchSnapshot()
  })
})
