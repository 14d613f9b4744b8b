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
  const testDestination = createTestIntegration(destination)
  const input = { event, mapping: event.properties, settings, auth: undefined }
  try {
    const responses = await testDestination.testAction(actionKey, input)
    return Promise.all(responses.map((response) => snapshotOf(response.request)))
  } catch (error) {
    // An action may refuse the generated data (syncAudience needs an Engage audience event): the snapshot then shows
    // the requests made before the refusal, and the refusal.
    const requests = await Promise.all(testDestination.responses.map((response) => snapshotOf(response.request)))
    return [...requests, { refused: `${(error as Error).name}: ${(error as Error).message}` }]
  }
}
