import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  InvalidAudienceMembershipError,
  PayloadValidationError
} from '@segment/actions-core'
import { generateTestData } from '../../../../lib/test-data'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const SNAPSHOT_ACCOUNT_ID = 12345

/**
 * `generateTestData` fills settings with random values of their type: Region gets random text (it ignores
 * choices) and Account ID a random decimal that may be negative. The destination rightly refuses both, so the
 * snapshot uses a valid value wherever the generated one is not.
 */
export function validSnapshotSettings(generated: Record<string, unknown>): Settings {
  const { accountId, region } = generated
  return {
    ...(generated as unknown as Settings),
    region: region === 'US' || region === 'EU' ? region : 'US',
    accountId:
      Number.isSafeInteger(accountId) && (accountId as number) > 0 ? (accountId as number) : SNAPSHOT_ACCOUNT_ID
  }
}

/**
 * The snapshot tests' recipe: the action runs on seeded test data and the first request it makes is returned.
 * An action may refuse the generated data as a payload or as an audience change: the refusal is returned instead.
 * Any other error fails the test, so that `-u` can never write a settings refusal.
 */
export async function firstRequestForTestData(seed: string, actionKey: string, requiredOnly: boolean) {
  const [eventData, settingsData] = generateTestData(seed, destination, destination.actions[actionKey], requiredOnly)
  for (const method of ['get', 'post', 'put', 'patch'] as const) nock(/.*/).persist()[method](/.*/).reply(200)
  const event = createTestEvent({ properties: eventData })
  const settings = validSnapshotSettings(settingsData)
  try {
    const responses = await createTestIntegration(destination).testAction(actionKey, {
      event,
      mapping: event.properties,
      settings,
      auth: undefined
    })
    const request = responses[0].request
    const rawBody = await request.text()
    let body: unknown = rawBody
    try {
      body = JSON.parse(rawBody)
    } catch {
      // Not JSON: the raw text is the snapshot.
    }
    return { method: request.method, url: request.url, body }
  } catch (error) {
    if (!(error instanceof PayloadValidationError || error instanceof InvalidAudienceMembershipError)) throw error
    return { refused: error.message }
  }
}
