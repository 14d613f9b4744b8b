import type { ActionDefinition, InputField } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { eventNameField, propertiesField, timestampField, userIdField } from '../fields'
import { buildEvent, createEvent, toAppcuesAttributes } from '../functions'

/** The page fields: their keys, which are also the Appcues attribute names, and their labels. */
const PAGE_FIELD_LABELS = {
  name: 'Page Name',
  url: 'Page URL',
  path: 'Page Path',
  title: 'Page Title',
  referrer: 'Referrer',
  search: 'Search Query'
} as const

type PageFieldKey = keyof typeof PAGE_FIELD_LABELS

/** A page field that defaults to what Segment recorded about the page (`recorded`), else the event property `key`. */
function pageField(key: Exclude<PageFieldKey, 'name'>, what: string, recorded: string): InputField {
  return {
    label: PAGE_FIELD_LABELS[key],
    description: `${what} It is sent as the event attribute "${key}". By default it is the ${recorded} that Segment recorded with the event, or the event property "${key}" when Segment recorded none.`,
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
      label: PAGE_FIELD_LABELS.name,
      description:
        'The name of the page or screen. It is sent as the event attribute "name". By default it is the name of the Segment page or screen call.',
      type: 'string',
      default: { '@path': '$.name' }
    },
    url: pageField('url', 'The full address of the page.', 'page address'),
    path: pageField('path', 'The path part of the page address.', 'page path'),
    title: pageField('title', 'The title of the page.', 'page title'),
    referrer: pageField('referrer', 'The address of the page the user came from.', 'referring address'),
    search: pageField(
      'search',
      'The part of the page address from the question mark on, such as ?q=shoes, which holds the search terms and other options of the page.',
      'search query'
    ),
    properties: {
      ...propertiesField,
      label: 'Page Properties',
      description: `${propertiesField.description} When a property has the same name as one of the page fields above, the page field’s value is sent if it is not empty, and the property’s value otherwise.`
    },
    timestamp: timestampField
  },
  perform: (request, { payload, settings }) => {
    // A page field replaces the property of the same name; an empty one is left out, so the property stays.
    const attributes = (Object.keys(PAGE_FIELD_LABELS) as PageFieldKey[]).reduce(
      (all, key) => ({ ...all, ...toAppcuesAttributes({ [key]: payload[key] }, PAGE_FIELD_LABELS[key]) }),
      toAppcuesAttributes(payload.properties, 'Page Properties')
    )
    return createEvent(request, settings, payload.userId, buildEvent(payload, attributes))
  }
}

export default action
