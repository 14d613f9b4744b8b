import type { RouteName } from './routes'

// JSON Schemas of the request bodies Appcues accepts. Values that Appcues takes but silently ignores (nested objects,
// lists, `_` keys, empty strings) pass here and are reported by drops.ts.

const id = { type: 'string', minLength: 1 }
const anyObject = { type: 'object' }
const attributes = { type: 'object', propertyNames: { type: 'string', minLength: 1 } }

const profile = attributes

const event = {
  type: 'object',
  required: ['name', 'timestamp'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 127 },
    timestamp: {
      anyOf: [
        { type: 'string', format: 'date-time' },
        { type: 'integer', minimum: 0 }
      ]
    },
    attributes,
    group_id: id,
    context: anyObject
  }
}

const idList = { type: 'array', minItems: 1, items: id }

const groupUsers = {
  type: 'object',
  required: ['user_ids'],
  additionalProperties: false,
  properties: { user_ids: idList }
}

const gdprDelete = {
  type: 'object',
  required: ['users'],
  additionalProperties: false,
  properties: { users: idList }
}

const requireWhenType = (type: string, field: string) => ({
  if: { type: 'object', properties: { type: { const: type } }, required: ['type'] },
  then: { type: 'object', required: [field] }
})

// The live Send action forwards what it is given (ids and timestamp unchecked); Appcues documents no rules for this
// endpoint, so only the message's shape is checked here.
const segmentMessage = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  allOf: [requireWhenType('track', 'event'), requireWhenType('group', 'groupId')],
  properties: {
    type: { enum: ['track', 'page', 'screen', 'identify', 'group'] },
    userId: id,
    anonymousId: id,
    event: id,
    name: { type: 'string' },
    groupId: id,
    properties: anyObject,
    traits: anyObject,
    context: anyObject,
    integrations: anyObject,
    timestamp: { type: 'string' },
    messageId: { type: 'string' }
  }
}

const newSegment = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string' } }
}

const segmentUsers = groupUsers

/** The schema of each route's body; routes without a body are absent. */
export const BODY_SCHEMAS: Partial<Record<RouteName, object>> = {
  userProfile: profile,
  userEvents: event,
  groupProfile: profile,
  groupUsers,
  gdprDelete,
  segmentDirect: segmentMessage,
  segments: newSegment,
  segmentAddUsers: segmentUsers,
  segmentRemoveUsers: segmentUsers
}
