import { defaultValues } from '@segment/actions-core'
import type { JSONObject, Subscription } from '@segment/actions-core'
import destination from '../../src/destinations/appcues'

/** The live destination's five presets, all pointing at `send` (the Group preset also maps the group traits). */
export function legacySendSubscriptions(): Subscription[] {
  const mapping = defaultValues(destination.actions.send.fields) as JSONObject
  return ['track', 'page', 'screen', 'identify', 'group'].map((type) => ({
    name: `${type} calls (send)`,
    partnerAction: 'send',
    subscribe: `type = "${type}"`,
    mapping: type === 'group' ? { ...mapping, group_traits: { '@path': '$.traits' } } : mapping
  }))
}
