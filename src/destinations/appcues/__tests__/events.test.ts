import { PayloadValidationError } from '@segment/actions-core'
import { buildEvent } from '../events'
import { MAX_EVENT_NAME_LENGTH } from '../fields'
import { freezeDate, restoreDate } from './__helpers__/fixed-clock'

const TIMESTAMP = '2024-05-01T12:00:00.000Z'

function expectValidationError(run: () => unknown, message: string) {
  expect(run).toThrow(PayloadValidationError)
  expect(run).toThrow(message)
}

describe('buildEvent', () => {
  afterEach(() => restoreDate())

  it('builds the Appcues event body from the name, timestamp and attributes', () => {
    const attributes = { plan: 'pro', seats: 3 }
    const event = buildEvent({ event: 'Plan Upgraded', timestamp: TIMESTAMP }, attributes)
    expect(event).toStrictEqual({ name: 'Plan Upgraded', timestamp: TIMESTAMP, attributes: { plan: 'pro', seats: 3 } })
    expect(Object.keys(event)).toEqual(['name', 'timestamp', 'attributes'])
  })

  it('passes the attributes through unchanged', () => {
    const attributes = { a: null, b: false, c: 0 }
    const event = buildEvent({ event: 'X', timestamp: TIMESTAMP }, attributes)
    expect(event.attributes).toBe(attributes)
    expect(attributes).toStrictEqual({ a: null, b: false, c: 0 })
  })

  it('adds group_id when a group ID is given', () => {
    expect(buildEvent({ event: 'X', timestamp: TIMESTAMP, groupId: 'acme/eu' }, {})).toStrictEqual({
      name: 'X',
      timestamp: TIMESTAMP,
      attributes: {},
      group_id: 'acme/eu'
    })
  })

  it.each([undefined, ''])('leaves group_id out when the group ID is %p', (groupId) => {
    const event = buildEvent({ event: 'X', timestamp: TIMESTAMP, groupId }, {})
    expect(event).not.toHaveProperty('group_id')
  })

  it('keeps the event name exactly as mapped', () => {
    expect(buildEvent({ event: ' Spaced Name ', timestamp: TIMESTAMP }, {}).name).toBe(' Spaced Name ')
  })

  describe('timestamp', () => {
    it.each([
      ['an ISO string with an offset', '2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
      ['epoch milliseconds', 1714564800250, '2024-05-01T12:00:00.250Z'],
      ['epoch seconds', 1714564800, '2024-05-01T12:00:00.000Z']
    ])('converts %s to ISO-8601 UTC', (_label, timestamp, expected) => {
      expect(buildEvent({ event: 'X', timestamp }, {}).timestamp).toBe(expected)
    })

    it.each([undefined, ''])('uses the time of sending when the timestamp is %p', (timestamp) => {
      freezeDate('2024-06-30T08:15:00.000Z')
      expect(buildEvent({ event: 'X', timestamp }, {}).timestamp).toBe('2024-06-30T08:15:00.000Z')
    })

    it('rejects a timestamp that is not a date, naming the Timestamp field', () => {
      expectValidationError(
        () => buildEvent({ event: 'X', timestamp: 'soon' }, {}),
        'The Timestamp field "soon" is not a date.'
      )
    })
  })

  describe('event name', () => {
    it('allows at most 127 characters', () => {
      expect(MAX_EVENT_NAME_LENGTH).toBe(127)
    })

    it('accepts a name of exactly 127 characters', () => {
      const name = 'n'.repeat(127)
      expect(buildEvent({ event: name, timestamp: TIMESTAMP }, {}).name).toBe(name)
    })

    it('rejects a name of 128 characters, naming Event Name, its length and the limit', () => {
      expectValidationError(
        () => buildEvent({ event: 'n'.repeat(128), timestamp: TIMESTAMP }, {}),
        'The Event Name field has 128 characters; Appcues accepts at most 127. Map a shorter event name.'
      )
    })

    it('counts characters the way the Event Name field validation does (an emoji is one character)', () => {
      // The field's own maxLength check counts Unicode code points, so 127 emoji pass it; buildEvent must agree.
      const name = '🎉'.repeat(127)
      expect(buildEvent({ event: name, timestamp: TIMESTAMP }, {}).name).toBe(name)
      expectValidationError(
        () => buildEvent({ event: '🎉'.repeat(128), timestamp: TIMESTAMP }, {}),
        'The Event Name field has 128 characters; Appcues accepts at most 127.'
      )
    })

    it.each(['', ' ', '\t\n'])('rejects an empty or blank name %p, naming Event Name', (event) => {
      expectValidationError(
        () => buildEvent({ event, timestamp: TIMESTAMP }, {}),
        'The Event Name field is empty. Map a non-empty event name.'
      )
    })
  })
})
