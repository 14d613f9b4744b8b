import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import { generateTestData } from '../../../../lib/test-data'
import destination from '../../index'
import type { Settings } from '../../generated-types'
import { freezeDate } from '../../__tests__/__helpers__/fixed-clock'

const testDestination = createTestIntegration(destination)
const actionSlug = 'trackEvent'
const destinationSlug = 'Appcues'
const seedName = `${destinationSlug}#${actionSlug}`

/** The generated Endpoint Override is random text, which the destination rightly refuses; use the region's host. */
function usableSettings(settingsData: Settings): Settings {
  return { ...settingsData, endpoint: undefined }
}

function mockEveryRequest() {
  for (const method of ['get', 'post', 'put', 'patch'] as const) {
    nock(/.*/).persist()[method](/.*/).reply(200)
  }
}

async function snapshotOf(request: Request) {
  const rawBody = await request.text()
  let body: unknown = rawBody
  try {
    body = JSON.parse(rawBody)
  } catch {
    // Not JSON: snapshot the raw text.
  }
  return { method: request.method, url: request.url, body }
}

describe(`Testing snapshot for ${destinationSlug}'s ${actionSlug} destination action:`, () => {
  beforeAll(() => freezeDate())
  afterAll(() => jest.useRealTimers())

  for (const requiredOnly of [true, false]) {
    it(requiredOnly ? 'required fields' : 'all fields', async () => {
      const action = destination.actions[actionSlug]
      const [eventData, settingsData] = generateTestData(seedName, destination, action, requiredOnly)
      mockEveryRequest()

      const event = createTestEvent({ properties: eventData })
      const responses = await testDestination.testAction(actionSlug, {
        event,
        mapping: event.properties,
        settings: usableSettings(settingsData),
        auth: undefined
      })

      expect(responses).toHaveLength(1)
      expect(await snapshotOf(responses[0].request)).toMatchSnapshot()
    })
  }
})
