import nock from 'nock'
import { createTestEvent, createTestIntegration, PayloadValidationError } from '@segment/actions-core'
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

const SNAPSHOT_ACCOUNT_ID = 12345

/**
 * The monorepo's generator fills settings with random values of their type: Region gets random text (it ignores
 * choices), Account ID a random decimal that may be negative, Endpoint Override random text. The destination rightly
 * refuses all three, so the snapshot uses a valid value wherever the generated one is not, and the region's host.
 */
export function validSnapshotSettings(generated: Record<string, unknown>): Settings {
  const { accountId, region } = generated
  return {
    ...(generated as unknown as Settings),
    region: region === 'US' || region === 'EU' ? region : 'US',
    accountId:
      Number.isSafeInteger(accountId) && (accountId as number) > 0 ? (accountId as number) : SNAPSHOT_ACCOUNT_ID,
    endpoint: undefined
  }
}

/** Runs one action on seeded test data (the monorepo's snapshot recipe) and returns every request it made. */
export async function requestsForTestData(seed: string, actionKey: string, requiredOnly: boolean) {
  const [eventData, settingsData] = generateTestData(seed, destination, destination.actions[actionKey], requiredOnly)
  mockEveryRequest()
  const event = createTestEvent({ properties: eventData })
  const settings = validSnapshotSettings(settingsData)
  const testDestination = createTestIntegration(destination)
  const input = { event, mapping: event.properties, settings, auth: undefined }
  try {
    const responses = await testDestination.testAction(actionKey, input)
    return Promise.all(responses.map((response) => snapshotOf(response.request)))
  } catch (error) {
    // An action may refuse the generated data as a payload (syncAudience needs an Engage audience event): the
    // snapshot then shows the requests made before the refusal, and the refusal. Any other error fails the test, so
    // that a settings refusal can never be written into a snapshot by `-u`.
    if (!(error instanceof PayloadValidationError)) throw error
    const requests = await Promise.all(testDestination.responses.map((response) => snapshotOf(response.request)))
    return [...requests, { refused: `${(error as Error).name}: ${(error as Error).message}` }]
  }
}
