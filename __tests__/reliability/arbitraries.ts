import fc from 'fast-check'

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '.',
  '..',
  '../admin',
  '../../v2/accounts/1/tags',
  'a/b?c#d%e',
  '%2e%2e',
  '__proto__',
  'constructor',
  'prototype',
  '\u0000\u0001\u001f',
  'line\nbreak\r\n',
  '\ud83d\ude00 emoji',
  '\u202e right-to-left',
  '\ud800',
  'lone \udfff surrogate',
  'x'.repeat(128),
  'y'.repeat(100_000)
)

export const anyString = fc.oneof(fc.string(), fc.fullUnicodeString({ maxLength: 40 }), nastyStrings)

const hostileKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '_lastPageUrl',
    '_x',
    '',
    'a_b',
    'toString',
    'hasOwnProperty'
  ),
  fc.string({ maxLength: 12 })
)

/** JSON values with hostile keys, built with own properties (as JSON.parse builds them). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    anyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries))
  )
})).value

/** An object nested `depth` levels deep. */
export function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 'bottom' }
  for (let i = 0; i < depth; i++) value = { level: value }
  return value
}

export const hostileObject = fc.oneof(
  fc.array(fc.tuple(hostileKey, hostileJson), { maxLength: 8 }).map((entries) => Object.fromEntries(entries)),
  fc.integer({ min: 1, max: 40 }).map(nested),
  fc.constant(
    JSON.parse('{"__proto__": {"polluted": true, "isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}')
  )
)

/** A value that may be of the wrong type for the field it lands in. */
export const anyValue = fc.oneof(anyString, hostileJson, fc.constant(undefined))

export const hostileEvent = fc.record(
  {
    type: fc.constantFrom('identify', 'track', 'page', 'screen', 'group'),
    userId: anyValue,
    anonymousId: anyValue,
    groupId: anyValue,
    event: anyValue,
    name: anyValue,
    timestamp: fc.oneof(
      fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'not a date' : d.toISOString())),
      anyValue
    ),
    traits: fc.oneof(hostileObject, anyValue),
    properties: fc.oneof(hostileObject, anyValue),
    context: fc.record(
      { traits: fc.oneof(hostileObject, anyValue), page: fc.oneof(hostileObject, anyValue), groupId: anyValue },
      { requiredKeys: [] }
    )
  },
  { requiredKeys: ['type'] }
)
