import type { ActionDefinition, InputField } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { eventNameField, propertiesField, timestampField, userIdField } from '../fields'
import { buildEvent, createEvent, toAppcuesAttributes } from '../functions'

const PAGE_FIELD_KEYS = ['url', 'path', 'title', 'referrer', 'search'] as const

function pageField(key: typeof PAGE_FIELD_KEYS[number], label: string, what: string): InputField {
  return {
    label,
    description: `${what} It is sent as the event attribute "${key}". By default it is the page’s ${key} in the event context, or the ${key} property when the context has none.`,
    type: 'string',
    default: {
      '@if': {
        exists: { '@path': `$.context.page.${key}` },
        then: { '@path': `$.context.page.${key}` },
        else: { '@path': `$.properties.${key}` }
      }
    }
  }
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Page View',
  description:
    'Record a page view (or, with the Screen Calls preset, a screen view) as an Appcues event whose attributes carry the page’s address, title and properties.',
  defaultSubscription: 'type = "page" and userId != null',
  fields: {
    userId: userIdField,
    event: eventNameField('The name of the Appcues event. The default is "Page Viewed".', 'Page Viewed'),
    name: {
      label: 'Page Name',
      description:
        'The name of the page or screen. It is sent as the event attribute "name". By default it is the name of the Segment page or screen call.',
      type: 'string',
      default: { '@path': '$.name' }
    },
    url: pageField('url', 'Page URL', 'The full address of the page.'),
    path: pageField('path', 'Page Path', 'The path part of the page address.'),
    title: pageField('title', 'Page Title', 'The title of the page.'),
    referrer: pageField('referrer', 'Referrer', 'The address of the page the user came from.'),
    search: pageField(
      'search',
      'Search Query',
      'The part of the page address from the question mark on, such as ?q=shoes, which holds the search terms and other options of the page.'
    ),
    properties: {
      ...propertiesField,
      label: 'Page Properties',
      description: `${propertiesField.description} When a property has the same name as one of the page fields above, the page field’s value is sent if it is not empty, and the property’s value otherwise.`
    },
    timestamp: timestampField
  },
  perform: (request, { payload, settings }) => {
    const pageFields = Object.fromEntries((['name', ...PAGE_FIELD_KEYS] as const).map((key) => [key, payload[key]]))
    const attributes = {
      ...toAppcuesAttributes(payload.properties, 'Page Properties'),
      ...toAppcuesAttributes(pageFields, 'Page fields')
    }
    return createEvent(request, settings, payload.userId, buildEvent(payload, attributes))
  }
}

export default action
