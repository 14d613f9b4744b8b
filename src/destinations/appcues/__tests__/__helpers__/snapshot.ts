import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import { generateTestData } from '../../../../lib/test-data'
import destination from '../../index'
import type { Settings } from '../../generated-types'

export interface RequestSnapshot {
  method: string
  url: string
  body: unknown
}

function mockEveryRequest() {
  for (const method of ['get', 'post', 'put', 'patch'] as const) {
    nock(/.*/).persist()[method](/.*/).reply(200)
  }
}

async function snapshotOf(request: Request): Promise<RequestSnapshot> {
  const rawBody = await request.text()
  let body: unknown = rawBody
  try {
    body = JSON.parse(rawBody)
  } catch {
    // Not JSON: keep the raw text.
  }
  return { method: request.method, url: request.url, body }
}

/**
 * Runs one action on seeded test data (the monorepo's snapshot recipe) and returns every request it made.
 * The generated Endpoint Override is random text, which the destination rightly refuses, so the region's host is used.
 */
export async function requestsForTestData(seed: string, actionKey: string, requiredOnly: boolean) {
  const [eventData, settingsData] = generateTestData(seed, destination, destination.actions[actionKey], requiredOnly)
  mockEveryRequest()
  const event = createTestEvent({ properties: eventData })
  const settings: Settings = { ...(settingsData as Settings), endpoint: undefined }
  const responses = await createTestIntegration(destination).testAction(actionKey, {
    event,
    mapping: event.properties,
    settings,
    auth: undefined
  })
  return Promise.all(responses.map((response) => snapshotOf(response.request)))
}
