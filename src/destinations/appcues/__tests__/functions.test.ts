import nock from 'nock'
import {
  createRequestClient,
  HTTPError,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError
} from '@segment/actions-core'
import type { Settings } from '../generated-types'
import {
  apiUrl,
  appcuesRequest,
  BatchResults,
  encodeId,
  prepareEach,
  buildEvent,
  toAppcuesAttributes
} from '../functions'
import { freezeDate, restoreDate } from './__helpers__/fixed-clock'

const LABEL = 'User Traits'
const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadValidationError)
    return (error as Error).message
  }
  throw new Error('expected a PayloadValidationError')
}

describe('toAppcuesAttributes', () => {
  it('keeps strings, numbers, booleans and null (which clears the attribute); empty sources give {}', () => {
    const plain = { s: 'text', n: 42, f: 1.5, neg: -3, zero: 0, t: true, no: false, nil: null, g: ' ' }
    expect(toAppcuesAttributes(plain, LABEL)).toStrictEqual(plain)
    for (const empty of [undefined, null, {}]) expect(toAppcuesAttributes(empty, LABEL)).toStrictEqual({})
  })

  it('flattens nested objects with "_" and writes dates as ISO-8601', () => {
    const bare = Object.create(null) as Record<string, unknown>
    bare.name = 'Acme'
    const source = {
      company: { address: { city: 'Paris' }, owner: bare, empty: {} },
      signedUp: new Date(Date.UTC(2024, 4, 1, 12)),
      meta: { _source: 'crm', nil: null }
    }
    expect(toAppcuesAttributes(source, LABEL)).toStrictEqual({
      company_address_city: 'Paris',
      company_owner_name: 'Acme',
      signedUp: '2024-05-01T12:00:00.000Z',
      meta__source: 'crm',
      meta_nil: null
    })
  })

  it('joins lists of plain values with ",", writes other lists as JSON, leaves out empty strings and lists', () => {
    const source = {
      roles: ['', 'admin', 'editor'],
      mixed: ['a', 1, true],
      one: [42],
      teams: [{ id: 1 }, 'b'],
      withNull: ['a', null],
      blank: ['', ''],
      none: [],
      deep: { tags: ['b2b'], none: [], text: '', gone: undefined }
    }
    expect(toAppcuesAttributes(source, LABEL)).toStrictEqual({
      roles: 'admin,editor',
      mixed: 'a,1,true',
      one: '42',
      teams: '[{"id":1},"b"]',
      withNull: '["a",null]',
      deep_tags: 'b2b'
    })
  })

  it('leaves out top-level keys that start with "_" (Appcues’ own) and an empty key, even when they collide', () => {
    const source = { _lastPageUrl: 'x', _nested: { a: 1 }, _nested_a: 2, '': 'nameless', kept: 1 }
    expect(toAppcuesAttributes(source, LABEL)).toStrictEqual({ kept: 1 })
    expect(toAppcuesAttributes({ a_b: '', a: { b: 'kept' } }, LABEL)).toStrictEqual({ a_b: 'kept' })
  })

  it('accepts the same object twice and 16 levels of nesting', () => {
    const shared = { id: 7 }
    expect(toAppcuesAttributes({ owner: shared, creator: shared }, LABEL)).toStrictEqual({ owner_id: 7, creator_id: 7 })
    let deep: unknown = 'leaf'
    for (let i = 0; i < 17; i++) deep = { a: deep }
    expect(toAppcuesAttributes(deep as Record<string, unknown>, LABEL)).toStrictEqual({
      [Array(17).fill('a').join('_')]: 'leaf'
    })
    expect(refusal(() => toAppcuesAttributes({ a: deep }, LABEL))).toBe(
      `User Traits is nested more than 16 levels deep at "${Array(17).fill('a').join('_')}". Map a flatter object.`
    )
  })

  it.each([
    [{ company_name: 'Flat', company: { name: 'Nested' } }, 'has two values for the Appcues attribute "company_name"'],
    [{ a: { b_c: 1 }, a_b: { c: 2 } }, 'has two values for the Appcues attribute "a_b_c"'],
    [{ score: { value: NaN } }, 'has a number at "score_value" that is not finite'],
    [{ score: Infinity }, 'has a number at "score" that is not finite'],
    [{ when: new Date('not a date') }, 'has an invalid date at "when"'],
    [{ outer: { odd: new Map() } }, 'has a value of an unsupported type at "outer_odd"'],
    [{ odd: BigInt(1) }, 'has a value of an unsupported type at "odd"'],
    [{ odd: () => 1 }, 'has a value of an unsupported type at "odd"']
  ])('refuses %p, naming the field and the attribute', (source, message) => {
    expect(refusal(() => toAppcuesAttributes(source, LABEL))).toContain(`User Traits ${message}`)
  })

  it('refuses data that contains itself, naming where', () => {
    const company: Record<string, unknown> = { name: 'Acme' }
    company.parent = { child: company }
    expect(refusal(() => toAppcuesAttributes({ company }, LABEL))).toBe(
      'User Traits refers to itself at "company_parent_child". Map plain data.'
    )
    const loop: unknown[] = [{ a: 1 }]
    loop.push(loop)
    expect(refusal(() => toAppcuesAttributes({ meta: { loop } }, LABEL))).toBe(
      'User Traits has a value at "meta_loop" that cannot be written as JSON. Map plain data.'
    )
  })

  it('never writes to Object.prototype, keeps special names as own keys and leaves its input unchanged', () => {
    const json =
      '{"__proto__":{"polluted":"top"},"constructor":"c","toString":"t","nested":{"__proto__":{"polluted":"n"}}}'
    const source = JSON.parse(json) as Record<string, unknown>
    const result = toAppcuesAttributes(source, LABEL)
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.entries(result)).toEqual([
      ['constructor', 'c'],
      ['toString', 't'],
      ['nested___proto___polluted', 'n']
    ])
    expect(source).toStrictEqual(JSON.parse(json))
  })
})

describe('buildEvent', () => {
  const timestampOf = (timestamp: string | number | undefined) => buildEvent({ event: 'E', timestamp }, {}).timestamp

  afterEach(() => restoreDate())

  it.each([
    ['2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    [1714564800123, '2024-05-01T12:00:00.123Z'],
    [1714564800, '2024-05-01T12:00:00.000Z'],
    ['1714564800', '2024-05-01T12:00:00.000Z'],
    ['1714564800000', '2024-05-01T12:00:00.000Z'],
    [1714564800.5, '2024-05-01T12:00:00.500Z'],
    [-86400, '1969-12-31T00:00:00.000Z'],
    [99_999_999_999, '5138-11-16T09:46:39.000Z'],
    [100_000_000_000, '1973-03-03T09:46:40.000Z']
  ])('converts %p (numbers below 1e11 are seconds, others milliseconds)', (value, expected) => {
    expect(timestampOf(value)).toBe(expected)
  })

  it('uses the time of sending when the value is missing or empty', () => {
    freezeDate('2024-06-30T08:15:00.000Z')
    expect([timestampOf(undefined), timestampOf('')]).toEqual(['2024-06-30T08:15:00.000Z', '2024-06-30T08:15:00.000Z'])
  })

  it.each([
    ['yesterday-ish', 'is not a date'],
    ['2024-13-45T00:00:00Z', 'is not a date'],
    [9e15, 'is not a date'],
    ['-000001-01-01T00:00:00.000Z', 'is outside the years 0000 to 9999'],
    ['+010000-01-01T00:00:00.000Z', 'is outside the years 0000 to 9999']
  ])('refuses %p, naming the field and the value', (value, problem) => {
    expect(refusal(() => timestampOf(value))).toContain(`The Timestamp field "${String(value)}" ${problem}`)
  })
})

describe('apiUrl and encodeId', () => {
  it('builds the account’s URL on the region’s host, with the Account ID stored as a number or as digits', () => {
    expect(apiUrl(settings, '/tags')).toBe('https://api.appcues.com/v2/accounts/123/tags')
    expect(apiUrl({ ...settings, region: 'EU' }, '/tags')).toBe('https://api.eu.appcues.com/v2/accounts/123/tags')
    expect(apiUrl({ ...settings, region: undefined } as unknown as Settings, '')).toMatch(
      /^https:\/\/api\.appcues\.com\//
    )
    expect(apiUrl({ ...settings, accountId: 2 ** 53 - 1 }, '')).toMatch(/\/accounts\/9007199254740991$/)
    for (const accountId of ['123', ' 123 ', '00123']) {
      expect(apiUrl({ ...settings, accountId } as unknown as Settings, '')).toBe(
        'https://api.appcues.com/v2/accounts/123'
      )
    }
  })

  it.each([0, -1, 1.5, NaN, 2 ** 53, 'acme', '', '0', '12.5', '1e3', '12 34', '١٢٣', null, ['123']])(
    'refuses the Account ID %p as an authentication error naming the setting',
    (accountId) => {
      const run = () => apiUrl({ ...settings, accountId } as unknown as Settings, '')
      expect(run).toThrow(InvalidAuthenticationError)
      expect(run).toThrow('The Account ID setting must be your numeric Appcues account ID')
    }
  )

  it.each(['APAC', 'us', ''])('refuses the region %p, naming the setting', (region) => {
    const run = () => apiUrl({ ...settings, region }, '')
    expect(run).toThrow(InvalidAuthenticationError)
    expect(run).toThrow(`Invalid region "${region}": the Region setting must be US or EU`)
  })

  it('percent-encodes ids so that none can change the path', () => {
    for (const id of ['a/b?c#d%e', '../x', 'user 1', '😀']) {
      const url = new URL(`https://api.appcues.com/v2/accounts/1/users/${encodeId(id, 'User ID')}/profile`)
      expect(url.pathname.split('/').map(decodeURIComponent)).toEqual([
        '',
        'v2',
        'accounts',
        '1',
        'users',
        id,
        'profile'
      ])
    }
  })

  it.each([
    ['', 'The User ID is empty. Map a field that holds the User ID.'],
    ['  ', 'The User ID is empty.'],
    ['.', 'The User ID "." cannot be sent to Appcues.'],
    ['..', 'The User ID ".." cannot be sent to Appcues.'],
    ['a\uD800', 'The User ID contains a broken character']
  ])('refuses the id %j', (id, message) => {
    expect(refusal(() => encodeId(id, 'User ID'))).toContain(message)
  })
})

describe('appcuesRequest', () => {
  const url = 'https://api.appcues.com/v2/accounts/123/tags'
  const send = () => appcuesRequest(createRequestClient(), url, { method: 'GET' })

  it.each([
    [401, InvalidAuthenticationError, 'Check that the API Key and API Secret settings hold one key pair'],
    [403, IntegrationError, 'The key in the API Key setting lacks permission for this call.'],
    [404, IntegrationError, 'Check that the Account ID setting is your Appcues account ID and that the Region setting']
  ])('turns %i into a final error with Appcues’ words and the setting to check', async (status, type, hint) => {
    nock('https://api.appcues.com').get('/v2/accounts/123/tags').reply(status, { title: 'Nope', detail: 'Bad key.' })
    const attempt = send()
    await expect(attempt).rejects.toBeInstanceOf(type)
    await expect(attempt).rejects.toMatchObject({
      status,
      message: expect.stringMatching(new RegExp(`^Appcues answered ${status} [A-Za-z ]+: Nope: Bad key\\. ${hint}`))
    })
  })

  it('reads the v1 error body, drops a title that only repeats the status, and clips long words', async () => {
    const scope = nock('https://api.appcues.com').get('/v2/accounts/123/tags')
    scope.reply(401, { message: { title: 'Unauthorized', description: 'Legacy key unknown.' } })
    await expect(send()).rejects.toThrow(/^Appcues answered 401 Unauthorized: Legacy key unknown\. Check/)
    nock('https://api.appcues.com')
      .get('/v2/accounts/123/tags')
      .reply(404, { detail: 'x'.repeat(400) })
    await expect(send()).rejects.toThrow(`Appcues answered 404 Not Found: ${'x'.repeat(300)}…. Check`)
  })

  it('leaves out credentials that the answer repeats', async () => {
    const token = Buffer.from('key-1234:secret-5678').toString('base64')
    nock('https://api.appcues.com')
      .get('/v2/accounts/123/tags')
      .reply(401, { title: 'Refused', detail: `key-1234:secret-5678 (Basic ${token}) secret-5678` })
    const client = createRequestClient({ headers: { Authorization: `Basic ${token}` } })
    const attempt = appcuesRequest(client, url, { method: 'GET' })
    await expect(attempt).rejects.toThrow(
      'Appcues answered 401 Unauthorized: Refused: <redacted> (Basic <redacted>) <redacted>. Check'
    )
  })

  it.each([400, 422, 429, 500, 503])('leaves %i to actions-core, which retries by status', async (status) => {
    nock('https://api.appcues.com').get('/v2/accounts/123/tags').reply(status, { title: 'T' })
    await expect(send()).rejects.toMatchObject({ constructor: HTTPError, response: { status } })
  })

  it('reads an answer in full without cloning it', async () => {
    // Larger than the 16 KB a clone buffers: reading a clone and leaving the original unread would never settle.
    const tags = Array.from({ length: 1000 }, (_, index) => ({ id: `t${index}`, name: `Tag number ${index}` }))
    expect(JSON.stringify(tags).length).toBeGreaterThan(16 * 1024)
    nock('https://api.appcues.com').get('/v2/accounts/123/tags').reply(200, tags)
    await expect(send()).resolves.toMatchObject({ status: 200, data: tags })
  })
})

describe('BatchResults', () => {
  const url = 'https://api.appcues.com/v2/accounts/123/users/u/profile'
  const patch = () => appcuesRequest(createRequestClient(), url, { method: 'PATCH', json: { a: 1 } })

  it('gives each event its own outcome: what was sent, Appcues’ answer (with a setting hint too), or the payload error', async () => {
    nock('https://api.appcues.com')
      .patch('/v2/accounts/123/users/u/profile')
      .reply(200, { ok: true })
      .patch('/v2/accounts/123/users/u/profile')
      .reply(400, { title: 'Invalid attribute', detail: 'Too long.' })
      .patch('/v2/accounts/123/users/u/profile')
      .reply(401, { title: 'Unauthorized' })
    const results = new BatchResults()
    const prepared = prepareEach([1, 2, 3, 4], results, (n) => {
      if (n === 4) throw new PayloadValidationError('Four is refused.')
      return n
    })
    expect(prepared).toEqual([
      [0, 1],
      [1, 2],
      [2, 3]
    ])
    expect(await results.settle([0], { a: 1 }, patch)).toBe(true)
    expect(await results.settle([1], { a: 1 }, patch)).toBe(false)
    expect(await results.settle([2], { a: 1 }, patch)).toBe(false)
    expect(results.response.getAllResponses().map((response) => response.value())).toEqual([
      { status: 200, sent: { a: 1 }, body: { ok: true } },
      {
        status: 400,
        errortype: 'BAD_REQUEST',
        errormessage: 'Appcues answered 400 Bad Request: Invalid attribute: Too long.',
        sent: { a: 1 },
        body: { title: 'Invalid attribute', detail: 'Too long.' }
      },
      {
        status: 401,
        errortype: 'INVALID_AUTHENTICATION',
        errormessage: expect.stringMatching(
          /^Appcues answered 401 Unauthorized\. Check that the API Key and API Secret/
        ),
        sent: { a: 1 },
        body: { title: 'Unauthorized' }
      },
      { status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED', errormessage: 'Four is refused.' }
    ])
  })
})
