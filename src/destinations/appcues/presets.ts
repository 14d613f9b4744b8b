import { defaultValues } from '@segment/actions-core'
import type { Preset } from '@segment/actions-core'
import identifyUser from './identifyUser'
import trackEvent from './trackEvent'
import pageView from './pageView'
import identifyGroup from './identifyGroup'
import syncAudience from './syncAudience'

// Appcues keeps profiles and events for a user ID only, so the presets for them leave calls without one alone
// instead of turning each anonymous call into an error. A group needs no user.
export const presets: Preset[] = [
  {
    name: 'Identify Calls',
    type: 'automatic',
    subscribe: 'type = "identify" and userId != null',
    partnerAction: 'identifyUser',
    mapping: defaultValues(identifyUser.fields)
  },
  {
    name: 'Track Calls',
    type: 'automatic',
    subscribe: 'type = "track" and userId != null',
    partnerAction: 'trackEvent',
    mapping: defaultValues(trackEvent.fields)
  },
  {
    name: 'Page Calls',
    type: 'automatic',
    subscribe: 'type = "page" and userId != null',
    partnerAction: 'pageView',
    mapping: defaultValues(pageView.fields)
  },
  {
    name: 'Screen Calls',
    type: 'automatic',
    subscribe: 'type = "screen" and userId != null',
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
  // Linked Audiences and Journeys send their events to the mappings made from these presets. Associated entity
  // events have no preset: they change a user's entities, not whether the user is in the audience.
  {
    name: 'Entities Audience Membership Changed',
    type: 'specificEvent',
    eventSlug: 'warehouse_audience_membership_changed_identify',
    partnerAction: 'syncAudience',
    mapping: defaultValues(syncAudience.fields)
  },
  {
    name: 'Entities Audience Entered',
    type: 'specificEvent',
    eventSlug: 'warehouse_audience_entered_track',
    partnerAction: 'syncAudience',
    mapping: defaultValues(syncAudience.fields)
  },
  {
    name: 'Entities Audience Exited',
    type: 'specificEvent',
    eventSlug: 'warehouse_audience_exited_track',
    partnerAction: 'syncAudience',
    mapping: defaultValues(syncAudience.fields)
  },
  {
    name: 'Journeys Step Entered',
    type: 'specificEvent',
    eventSlug: 'journeys_step_entered_track',
    partnerAction: 'syncAudience',
    mapping: defaultValues(syncAudience.fields)
  }
]
