import camelCase from 'lodash/camelCase'
import startCase from 'lodash/startCase'
import type { ActionName } from './name'

/** A file of the new action folder, by path relative to that folder. */
export interface ScaffoldFile {
  path: string
  content: string
}

/** What the placeholder `perform` sends, for the next steps to name. */
export const PLACEHOLDER_REQUEST = 'POST /v2/accounts/{account}/users/{user}/events'

/** A TypeScript string literal (prettier turns it into single quotes). */
const literal = (text: string) => JSON.stringify(text)

/**
 * The import lines of a generated file, from [what, module] pairs. Built here rather than written out, so that
 * nothing reads this module's text as imports of its own.
 */
const importLines = (imports: Array<[string, string]>) =>
  imports.map(([what, module]) => `import ${what} from ${literal(module)}`).join('\n')

/** The destination's name in snapshot seeds, as the monorepo's generator derives it from the folder name. */
export function snapshotDestinationName(folderName: string): string {
  return startCase(camelCase(folderName)).replace(/ /g, '')
}

/**
 * The default subscription: track calls named like the action, from users with a User ID (the action needs one). A
 * deletion gets none, so that nothing is erased on an event nobody chose for it.
 */
export function defaultSubscriptionOf(name: ActionName, isDeletion: boolean): string | undefined {
  return isDeletion ? undefined : `type = "track" and event = "${name.title}" and userId != null`
}

function actionIndex(name: ActionName, subscription: string | undefined): string {
  const subscriptionLine = subscription === undefined ? '' : `defaultSubscription: ${literal(subscription)},`
  return `${importLines([
    ['type { ActionDefinition }', '@segment/actions-core'],
    ['type { Settings }', '../generated-types'],
    ['type { Payload }', './generated-types'],
    ['{ ATTRIBUTE_RULES, timestampField, userIdField }', '../fields'],
    ['{ apiUrl, appcuesRequest, buildEvent, encodeId, toAppcuesAttributes }', '../functions']
  ])}

const EVENT_NAME = ${literal(name.title)}

const action: ActionDefinition<Settings, Payload> = {
  title: ${literal(name.title)},
  description: ${literal(`Record a “${name.title}” event for a user in Appcues, with the mapped attributes.`)},
  ${subscriptionLine}
  fields: {
    userId: userIdField,
    attributes: {
      label: 'Attributes',
      description: \`Attributes sent with the event as Appcues event attributes. \${ATTRIBUTE_RULES} By default these are the Segment event properties.\`,
      type: 'object',
      default: { '@path': '$.properties' }
    },
    timestamp: timestampField
  },
  perform: (request, { payload, settings }) => {
    const event = buildEvent(
      { event: EVENT_NAME, timestamp: payload.timestamp },
      toAppcuesAttributes(payload.attributes, 'Attributes')
    )
    return appcuesRequest(request, apiUrl(settings, \`/users/\${encodeId(payload.userId, 'User ID')}/events\`), {
      method: 'POST',
      json: event
    })
  }
}

export default action
`
}

function actionTest(name: ActionName, destinationName: string): string {
  const eventName = literal(name.title)
  return `${importLines([
    ['nock', 'nock'],
    ['{ createTestEvent, createTestIntegration }', '@segment/actions-core'],
    ['type { SegmentEvent }', '@segment/actions-core'],
    ['destination', '../../index'],
    ['type { Settings }', '../../generated-types']
  ])}

const testDestination = createTestIntegration(destination)
const API = 'https://api.appcues.com'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const TIMESTAMP = '2024-05-01T12:00:00.000Z'

function run(event: Partial<SegmentEvent> = {}, withSettings: Settings = settings) {
  return testDestination.testAction(${literal(name.key)}, {
    event: createTestEvent({ type: 'track', event: ${eventName}, userId: 'u1', timestamp: TIMESTAMP, properties: {}, context: {}, ...event }),
    settings: withSettings,
    useDefaultMappings: true
  })
}

describe(${literal(`${destinationName}.${name.key}`)}, () => {
  it('POSTs the event with the key pair: its name, ISO timestamp and the properties as flat attributes', async () => {
    const scope = nock(API)
      .post('/v2/accounts/123/users/u1/events', {
        name: ${eventName},
        timestamp: TIMESTAMP,
        attributes: { stage: 'setup', plan_name: 'pro', tags: 'a,b' }
      })
      .matchHeader('authorization', 'Basic a2V5LTE6c2VjcmV0LTE=')
      .reply(200, {})
    const [response] = await run({ properties: { stage: 'setup', plan: { name: 'pro' }, tags: ['a', 'b'] } })
    expect(response.status).toBe(200)
    expect(scope.isDone()).toBe(true)
  })

  it('percent-encodes the User ID and uses the EU host for EU accounts', async () => {
    const scope = nock('https://api.eu.appcues.com').post('/v2/accounts/123/users/a%2Fb%3Fc/events').reply(200, {})
    await run({ userId: 'a/b?c' }, { ...settings, region: 'EU' })
    expect(scope.isDone()).toBe(true)
  })

  it.each([
    [{ userId: undefined }, "The root value is missing the required field 'userId'."],
    [{ userId: ' ' }, 'The User ID is empty.'],
    [{ timestamp: 'yesterday-ish' }, 'Timestamp must be a valid date-like string but it was not.'],
    [{ properties: { a: { b: 1 }, a_b: 2 } }, 'Attributes has two values for the Appcues attribute "a_b"']
  ])('refuses %j before any request', async (event, message) => {
    await expect(run(event)).rejects.toThrow(message)
  })
})
`
}

function snapshotTest(name: ActionName, destinationName: string): string {
  return `${importLines([
    ['{ freezeDate, restoreDate }', '../../__tests__/__helpers__/fixed-clock'],
    ['{ firstRequestForTestData }', '../../__tests__/__helpers__/snapshot']
  ])}

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
