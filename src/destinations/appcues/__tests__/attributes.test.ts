import { PayloadValidationError } from '@segment/actions-core'
import { toAppcuesAttributes, toIsoTimestamp } from '../attributes'

const LABEL = 'User Traits'

/** An object nested `levels` objects deep below the root: `{a: {a: ... {a: 'leaf'}}}`. */
function nested(levels: number): Record<string, unknown> {
  let value: unknown = 'leaf'
  for (let i = 0; i < levels; i++) value = { a: value }
  return { a: value }
}

function expectValidationError(run: () => unknown, message: string) {
  expect(run).toThrow(PayloadValidationError)
  expect(run).toThrow(message)
}

describe('toAppcuesAttributes', () => {
  describe('plain values', () => {
    it('keeps strings, numbers, booleans and null as they are', () => {
      expect(
        toAppcuesAttributes({ s: 'text', n: 42, f: 1.5, neg: -3, zero: 0, t: true, no: false, nil: null }, LABEL)
      ).toStrictEqual({ s: 'text', n: 42, f: 1.5, neg: -3, zero: 0, t: true, no: false, nil: null })
    })

    it('returns an empty object for undefined, null or an empty source', () => {
      expect(toAppcuesAttributes(undefined, LABEL)).toStrictEqual({})
      expect(toAppcuesAttributes(null, LABEL)).toStrictEqual({})
      expect(toAppcuesAttributes({}, LABEL)).toStrictEqual({})
    })

    it('leaves out empty strings and undefined values at every depth, but keeps whitespace', () => {
      expect(
        toAppcuesAttributes({ a: '', b: undefined, c: { d: '', e: undefined, f: 'x' }, g: ' ' }, LABEL)
      ).toStrictEqual({ c_f: 'x', g: ' ' })
    })

    it('keeps null at every depth (null clears the attribute in Appcues)', () => {
      expect(toAppcuesAttributes({ a: null, b: { c: null } }, LABEL)).toStrictEqual({ a: null, b_c: null })
    })

    it('writes Date values as ISO-8601 strings', () => {
      expect(
        toAppcuesAttributes({ signedUp: new Date(Date.UTC(2024, 4, 1, 12)), meta: { at: new Date(0) } }, LABEL)
      ).toStrictEqual({ signedUp: '2024-05-01T12:00:00.000Z', meta_at: '1970-01-01T00:00:00.000Z' })
    })

    it('rejects an invalid Date with a PayloadValidationError naming the attribute', () => {
      expectValidationError(() => toAppcuesAttributes({ when: new Date('not a date') }, LABEL), '"when"')
    })

    it.each([
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity]
    ])('rejects %s, naming the field and the attribute', (_name, value) => {
      expectValidationError(
        () => toAppcuesAttributes({ score: { value } }, LABEL),
        'User Traits has a number at "score_value" that is not finite. Map a real number.'
      )
    })

    it.each([
      ['a function', () => 1],
      ['a Map', new Map([['a', 1]])],
      ['a Set', new Set([1])],
      [
        'a class instance',
        new (class Point {
          x = 1
        })()
      ],
      ['a bigint', BigInt(1)],
      ['a symbol', Symbol('s')]
    ])('rejects %s with a PayloadValidationError naming the attribute', (_name, value) => {
      expectValidationError(
        () => toAppcuesAttributes({ outer: { odd: value } }, LABEL),
        'User Traits has a value of an unsupported type at "outer_odd". Map plain data.'
      )
    })
  })

  describe('nested objects', () => {
    it('flattens nested objects with "_"', () => {
      expect(
        toAppcuesAttributes({ company: { name: 'Acme', address: { city: 'Paris', zip: '75001' } }, plan: 'pro' }, LABEL)
      ).toStrictEqual({
        company_name: 'Acme',
        company_address_city: 'Paris',
        company_address_zip: '75001',
        plan: 'pro'
      })
    })

    it('sends nothing for an empty nested object', () => {
      expect(toAppcuesAttributes({ company: {}, deep: { deeper: {} } }, LABEL)).toStrictEqual({})
    })

    it('accepts objects without a prototype', () => {
      const bare = Object.create(null) as Record<string, unknown>
      bare.name = 'Acme'
      expect(toAppcuesAttributes({ company: bare }, LABEL)).toStrictEqual({ company_name: 'Acme' })
    })

    it.each([
      [{ company_name: 'Flat', company: { name: 'Nested' } }],
      [{ company: { name: 'Nested' }, company_name: 'Flat' }],
      [{ a: { b_c: 1 }, a_b: { c: 2 } }]
    ])('rejects keys that flatten to the same name, naming the field and the attribute: %j', (source) => {
      const run = () => toAppcuesAttributes(source, LABEL)
      expect(run).toThrow(PayloadValidationError)
      expect(run).toThrow(/^User Traits has two values for the Appcues attribute "(company_name|a_b_c)"/)
      expect(run).toThrow('Rename one of them in the mapping.')
    })

    it('names the colliding attribute exactly', () => {
      expectValidationError(
        () => toAppcuesAttributes({ a: { b_c: 1 }, a_b: { c: 2 } }, 'Event Properties'),
        'Event Properties has two values for the Appcues attribute "a_b_c"'
      )
    })

    it('does not count an empty-string value as a collision', () => {
      expect(toAppcuesAttributes({ company_name: '', company: { name: 'Acme' } }, LABEL)).toStrictEqual({
        company_name: 'Acme'
      })
    })

    it('accepts 16 levels of nesting and rejects 17, naming the field and where', () => {
      expect(toAppcuesAttributes(nested(16), LABEL)).toStrictEqual({ [Array(17).fill('a').join('_')]: 'leaf' })
      expectValidationError(
        () => toAppcuesAttributes(nested(17), LABEL),
        `User Traits is nested more than 16 levels deep at "${Array(17).fill('a').join('_')}". Map a flatter object.`
      )
    })

    it('rejects an object that contains itself, naming where', () => {
      const company: Record<string, unknown> = { name: 'Acme' }
      company.parent = { child: company }
      expectValidationError(
        () => toAppcuesAttributes({ company }, LABEL),
        'User Traits refers to itself at "company_parent_child". Map plain data.'
      )
    })

    it('accepts the same object twice when it does not contain itself', () => {
      const shared = { id: 7 }
      expect(toAppcuesAttributes({ owner: shared, creator: shared }, LABEL)).toStrictEqual({
        owner_id: 7,
        creator_id: 7
      })
    })
  })

  describe('arrays', () => {
    it('joins arrays of strings, numbers and booleans with ","', () => {
      expect(
        toAppcuesAttributes(
          { roles: ['admin', 'editor'], ids: [3, 1, 2], flags: [true, false], mixed: ['a', 1, true] },
          LABEL
        )
      ).toStrictEqual({ roles: 'admin,editor', ids: '3,1,2', flags: 'true,false', mixed: 'a,1,true' })
    })

    it('keeps a one-element array as that element as text', () => {
      expect(toAppcuesAttributes({ ids: [42], tags: ['solo'] }, LABEL)).toStrictEqual({ ids: '42', tags: 'solo' })
    })

    it('writes arrays that hold objects, arrays or null as JSON text', () => {
      expect(
        toAppcuesAttributes(
          {
            teams: [{ id: 1, name: 'Core' }, { id: 2 }],
            matrix: [
              [1, 2],
              [3, 4]
            ],
            withNull: ['a', null],
            objectAndText: [{ a: 1 }, 'b']
          },
          LABEL
        )
      ).toStrictEqual({
        teams: '[{"id":1,"name":"Core"},{"id":2}]',
        matrix: '[[1,2],[3,4]]',
        withNull: '["a",null]',
        objectAndText: '[{"a":1},"b"]'
      })
    })

    it('leaves out empty strings inside a list, and a list that holds only empty strings', () => {
      expect(
        toAppcuesAttributes({ roles: ['', 'admin', '', 'editor'], blank: ['', ''], ids: [1, '', 2] }, LABEL)
      ).toStrictEqual({
        roles: 'admin,editor',
        ids: '1,2'
      })
    })

    it('leaves out empty arrays at every depth', () => {
      expect(toAppcuesAttributes({ none: [], deep: { none: [] }, some: ['x'] }, LABEL)).toStrictEqual({ some: 'x' })
    })

    it('flattens arrays inside nested objects under the flattened name', () => {
      expect(toAppcuesAttributes({ company: { tags: ['b2b', 'saas'] } }, LABEL)).toStrictEqual({
        company_tags: 'b2b,saas'
      })
    })

    it('rejects an array that contains itself, naming the field and where', () => {
      const loop: unknown[] = [{ a: 1 }]
      loop.push(loop)
      expectValidationError(
        () => toAppcuesAttributes({ meta: { loop } }, LABEL),
        'User Traits has a value at "meta_loop" that cannot be written as JSON. Map plain data.'
      )
    })
  })

  describe('keys that start with "_"', () => {
    it('drops top-level keys that start with "_", including objects that flatten under them', () => {
      expect(
        toAppcuesAttributes({ _lastPageUrl: 'https://x', _sessionCount: 3, _nested: { a: 1 }, kept: 1 }, LABEL)
      ).toStrictEqual({ kept: 1 })
    })

    it('keeps nested keys that start with "_" (their flattened name does not start with "_")', () => {
      expect(toAppcuesAttributes({ meta: { _source: 'crm' } }, LABEL)).toStrictEqual({ meta__source: 'crm' })
    })
  })

  describe('prototype safety', () => {
    afterEach(() => {
      // Clean up in case a regression polluted the shared prototype, so that other tests are not affected.
      delete (Object.prototype as Record<string, unknown>).polluted
    })

    it('never writes to Object.prototype and keeps special names as plain own keys', () => {
      const source = JSON.parse(
        '{"__proto__":{"polluted":"top"},"constructor":"c","prototype":"p","toString":"t","hasOwnProperty":"h",' +
          '"nested":{"__proto__":{"polluted":"nested"},"constructor":{"prototype":{"polluted":"ctor"}}}}'
      ) as Record<string, unknown>

      const result = toAppcuesAttributes(source, LABEL)

      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
      expect(Object.keys(result).sort()).toEqual(
        [
          'constructor',
          'prototype',
          'toString',
          'hasOwnProperty',
          'nested___proto___polluted',
          'nested_constructor_prototype_polluted'
        ].sort()
      )
      expect(Object.getOwnPropertyDescriptor(result, 'constructor')?.value).toBe('c')
      expect(Object.getOwnPropertyDescriptor(result, 'prototype')?.value).toBe('p')
      expect(Object.getOwnPropertyDescriptor(result, 'toString')?.value).toBe('t')
      expect(Object.getOwnPropertyDescriptor(result, 'hasOwnProperty')?.value).toBe('h')
      expect(result.nested___proto___polluted).toBe('nested')
      expect(result.nested_constructor_prototype_polluted).toBe('ctor')
      expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result)
    })

    it('keeps a nested "__proto__" with a plain value as an own key', () => {
      const source = JSON.parse('{"a":{"__proto__":"x"}}') as Record<string, unknown>
      const result = toAppcuesAttributes(source, LABEL)
      expect(Object.getOwnPropertyDescriptor(result, 'a___proto__')?.value).toBe('x')
      expect(Object.keys(result)).toEqual(['a___proto__'])
    })
  })

  it('does not change its input', () => {
    const source = { company: { name: 'Acme', tags: ['a'] }, _x: 1, empty: '' }
    const copy = JSON.parse(JSON.stringify(source)) as unknown
    toAppcuesAttributes(source, LABEL)
    expect(source).toStrictEqual(copy)
  })
})

describe('toIsoTimestamp', () => {
  const fixedNow = () => new Date('2024-06-30T08:15:00.000Z')

  it.each([
    ['an ISO string in UTC', '2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z'],
    ['an ISO string without milliseconds', '2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
    ['an ISO string with an offset', '2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
    ['a date without a time (read as UTC midnight)', '2024-05-01', '2024-05-01T00:00:00.000Z'],
    ['epoch milliseconds', 1714564800123, '2024-05-01T12:00:00.123Z'],
    ['epoch seconds', 1714564800, '2024-05-01T12:00:00.000Z'],
    ['fractional epoch seconds', 1714564800.5, '2024-05-01T12:00:00.500Z'],
    ['epoch 0', 0, '1970-01-01T00:00:00.000Z'],
    ['negative epoch seconds', -86400, '1969-12-31T00:00:00.000Z'],
    ['the largest number read as seconds', 99_999_999_999, '5138-11-16T09:46:39.000Z'],
    ['the smallest number read as milliseconds', 100_000_000_000, '1973-03-03T09:46:40.000Z']
  ])('converts %s', (_label, value, expected) => {
    expect(toIsoTimestamp(value, 'The Timestamp field', fixedNow)).toBe(expected)
  })

  it.each([
    ['epoch seconds', '1714564800'],
    ['epoch milliseconds', '1714564800000']
  ])('converts %s given as text (Segment accepts numeric strings as dates)', (_label, value) => {
    expect(toIsoTimestamp(value, 'The Timestamp field', fixedNow)).toBe('2024-05-01T12:00:00.000Z')
  })

  it('uses the clock when the value is missing or empty', () => {
    expect(toIsoTimestamp(undefined, 'The Timestamp field', fixedNow)).toBe('2024-06-30T08:15:00.000Z')
    expect(toIsoTimestamp('', 'The Timestamp field', fixedNow)).toBe('2024-06-30T08:15:00.000Z')
  })

  it('uses the real clock by default', () => {
    const before = Date.now()
    const result = Date.parse(toIsoTimestamp(undefined, 'The Timestamp field'))
    expect(result).toBeGreaterThanOrEqual(before)
    expect(result).toBeLessThanOrEqual(Date.now())
  })

  it.each([
    ['text', 'yesterday-ish'],
    ['an impossible date', '2024-13-45T00:00:00Z'],
    ['NaN', NaN],
    ['a number beyond the Date range', 9e15]
  ])('rejects %s with a PayloadValidationError naming the field and the value', (_label, value) => {
    expectValidationError(
      () => toIsoTimestamp(value, 'The Timestamp field', fixedNow),
      `The Timestamp field "${String(
        value
      )}" is not a date. Map an ISO-8601 timestamp such as 2024-05-01T12:00:00.000Z.`
    )
  })
})
