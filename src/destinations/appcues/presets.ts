import { defaultValues } from '@segment/actions-core'
import type { Preset } from '@segment/actions-core'
import identifyUser from './identifyUser'
import trackEvent from './trackEvent'
import pageView from './pageView'
import identifyGroup from './identifyGroup'
import syncAudience, { AUDIENCE_CHANGES } from './syncAudience'

export const presets: Preset[] = [
  {
    name: 'Identify Calls',
    type: 'automatic',
    subscribe: 'type = "identify"',
    partnerAction: 'identifyUser',
    mapping: defaultValues(identifyUser.fields)
  },
  {
    name: 'Track Calls',
    type: 'automatic',
    subscribe: 'type = "track"',
    partnerAction: 'trackEvent',
    mapping: defaultValues(trackEvent.fields)
  },
  {
    name: 'Page Calls',
    type: 'automatic',
    subscribe: 'type = "page"',
    partnerAction: 'pageView',
    mapping: defaultValues(pageView.fields)
  },
  {
    name: 'Screen Calls',
    type: 'automatic',
    subscribe: 'type = "screen"',
    partnerAction: 'pageView',
    mapping: { ...defaultValues(pageView.fields), event: 'Screen Viewed' }
  },
  {
    name: 'Group Calls',
    type: 'automatic',
    subscribe: 'type = "group"',
    partnerAction: 'identifyGroup',
    mapping: defaultValues(identifyGroup.fields)
  },
  {
    name: 'Engage Audience Changes',
    type: 'automatic',
    subscribe: AUDIENCE_CHANGES,
    partnerAction: 'syncAudience',
    mapping: defaultValues(syncAudience.fields)
  }
]
