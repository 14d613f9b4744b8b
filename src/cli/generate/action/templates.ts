import camelCase from 'lodash/camelCase'
import startCase from 'lodash/startCase'
import type { ActionName } from './name'

/** A file of the new action folder, by path relative to that folder. */
export interface ScaffoldFile {
  path: string
  content: string
}

/** What the placeholder `perform` sends, for the next steps to name. */
export const PLACEHOLDER_REQUEST = 'PATCH /v2/accounts/{account}/users/{user}/profile'

/** A TypeScript string literal (prettier turns it into single quotes). */
const literal = (text: string) => JSON.stringify(text)

/** The destination's name in snapshot seeds, as the monorepo's generator derives it from the folder name. */
export function snapshotDestinationName(folderName: string): string {
  return startCase(camelCase(folderName)).replace(/ /g, '')
}

/**
 * The default subscription: track calls named like the action. A deletion gets none, so that nothing is erased on
 * an event nobody chose for it.
 */
export function defaultSubscriptionOf(name: ActionName, isDeletion: boolean): string | undefined {
  return isDeletion ? undefined : `type = "track" and event = "${name.title}"`
}

function actionIndex(name: ActionName, subscription: string | undefined): string {
  const subscriptionLine = subscription === undefined ? '' : `defaultSubscription: ${literal(subscription)},`
  return `import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { userIdField } from '../fields'
import { apiUrl, appcuesRequest, encodeId, toAppcuesAttributes } from '../functions'

const action: ActionDefinition<Settings, Payload> = {
  title: ${literal(name.title)},
  description: 'Save the mapped attributes on the user’s profile in Appcues.',
  ${subscriptionLine}
  fields: {
    userId: userIdField,
    attributes: {
      label: 'Attributes',
      description:
        'Attributes saved on the user’s Appcues profile. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the Segment event properties.',
      type: 'object',
      default: { '@path': '$.properties' }
    }
  },
  perform: (request, { payload, settings }) =>
    appcuesRequest(request, apiUrl(settings, \`/users/\${encodeId(payload.userId, 'User ID')}/profile\`), {
      method: 'PATCH',
      json: toAppcuesAttributes(payload.attributes, 'Attributes')
    })
}

export default action
`
}

function actionTest(name: ActionName, destinationName: string): string {
  const eventName = literal(name.title)
  return `import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import destination from '../../index'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }

function run(event: Partial<SegmentEvent> = {}, withSettings: Settings = settings) {
  return testDestination.testAction(${literal(name.key)}, {
    event: createTestEvent({ type: 'track', event: ${eventName}, userId: 'u1', properties: {}, context: {}, ...event }),
    settings: withSettings,
    useDefaultMappings: true
  })
}

describe(${literal(`${destinationName}.${name.key}`)}, () => {
  it('PATCHes the user profile with the key pair and the event properties as flat attributes', async () => {
    const scope = nock(API)
      .patch('/v2/accounts/123/users/u1/profile', { stage: 'setup', plan_name: 'pro', tags: 'a,b' })
      .matchHeader('authorization', 'Basic a2V5LTE6c2VjcmV0LTE=')
      .reply(200, {})
    const [response] = await run({ properties: { stage: 'setup', plan: { name: 'pro' }, tags: ['a', 'b'] } })
    expect(response.status).toBe(200)
    expect(scope.isDone()).toBe(true)
  })

  it('percent-encodes the User ID and uses the EU host for EU accounts', async () => {
    const scope = nock('https://api.eu.appcues.com').patch('/v2/accounts/123/users/a%2Fb%3Fc/profile').reply(200, {})
    await run({ userId: 'a/b?c' }, { ...settings, region: 'EU' })
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    [{ userId: undefined }, "The root value is missing the required field 'userId'."],
    [{ userId: ' ' }, 'The User ID is empty.'],
    [{ properties: { a: { b: 1 }, a_b: 2 } }, 'Attributes has two values for the Appcues attribute "a_b"']
  ])('refuses %j before any request', async (event, message) => {
    await expect(run(event)).rejects.toThrow(message)
  })
})
`
}

function snapshotTest(name: ActionName, destinationName: string): string {
  return `import { freezeDate, restoreDate } from '../../__tests__/__helpers__/fixed-clock'
import { firstRequestForTestData } from '../../__tests__/__helpers__/snapshot'

const destinationSlug = ${literal(destinationName)}
const actionSlug = ${literal(name.key)}
const seedName = \`\${destinationSlug}#\${actionSlug}\`

describe(\`Testing snapshot for \${destinationSlug}'s \${actionSlug} destination action:\`, () => {
  beforeAll(() => freezeDate())
  afterAll(() => restoreDate())

  it('required fields', async () => {
    expect(await firstRequestForTestData(seedName, actionSlug, true)).toMatchSnapshot()
  })

  it('all fields', async () => {
    expect(await firstRequestForTestData(seedName, actionSlug, false)).toMatchSnapshot()
  })
})
`
}

/** The files of a new action folder, before formatting: the action, its request test and its snapshot test. */
export function actionFiles(
  name: ActionName,
  options: { destinationFolder: string; isDeletion: boolean }
): ScaffoldFile[] {
  const destinationName = snapshotDestinationName(options.destinationFolder)
  return [
    { path: 'index.ts', content: actionIndex(name, defaultSubscriptionOf(name, options.isDeletion)) },
    { path: '__tests__/index.test.ts', content: actionTest(name, destinationName) },
    { path: '__tests__/snapshot.test.ts', content: snapshotTest(name, destinationName) }
  ]
}
