import type { JSONObject } from '@segment/actions-core'

/** The Segment call types the event editor offers a sample of. `delete` is a privacy deletion request (onDelete). */
export const CALL_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'delete'] as const
export type CallType = typeof CALL_TYPES[number]

/** Engage audience changes, as Engage sends them to the Sync Audience action. */
export const AUDIENCE_SAMPLES = ['audience entered', 'audience exited'] as const
export type SampleName = CallType | typeof AUDIENCE_SAMPLES[number]

const USER_ID = 'user-1042'
const ANONYMOUS_ID = '7f3c9a52-2b1e-4c8d-9e0f-5a6b7c8d9e01'
const GROUP_ID = 'acme-inc'
const SENT_AT = '2024-05-01T10:15:30.000Z'

const webContext = (page: JSONObject): JSONObject => ({
  ip: '203.0.113.42',
  locale: 'en-US',
  library: { name: 'analytics.js', version: 'next-1.62.0' },
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0',
  page,
  groupId: GROUP_ID
})

const appPage = (path: string, title: string): JSONObject => ({
  path,
  referrer: 'https://app.example.com/dashboard',
  search: '',
  title,
  url: `https://app.example.com${path}`
})

const common = (messageId: string): JSONObject => ({
  userId: USER_ID,
  anonymousId: ANONYMOUS_ID,
  messageId,
  timestamp: SENT_AT,
  receivedAt: '2024-05-01T10:15:31.204Z',
  sentAt: SENT_AT
})

const AUDIENCE_KEY = 'trial_users_who_invited'

/** An Engage "Audience Entered" or "Audience Exited" track call: the membership is the property named by the key. */
const audienceChange = (entered: boolean): JSONObject => ({
  type: 'track',
  ...common(`engage-1714558530000-audience-${entered ? 'entered' : 'exited'}`),
  event: entered ? 'Audience Entered' : 'Audience Exited',
  properties: { audience_key: AUDIENCE_KEY, [AUDIENCE_KEY]: entered },
  context: {
    library: { name: 'unknown', version: 'unknown' },
    personas: {
      computation_class: 'audience',
      computation_id: 'aud_2fXk9TrialInvited',
      computation_key: AUDIENCE_KEY,
      namespace: 'spa_w5d3',
      space_id: 'spa_w5d3'
    }
  }
})

/** A realistic event of each call type, and Engage audience changes, as Segment delivers them to a destination. */
export function sampleEvents(): Record<SampleName, JSONObject> {
  return {
    identify: {
      type: 'identify',
      ...common('ajs-next-1714558530000-identify'),
      traits: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        plan: 'pro',
        createdAt: '2023-11-02T08:30:00.000Z',
        company: { name: 'Acme Inc.', employees: 120 },
        roles: ['admin', 'billing']
      },
      context: webContext(appPage('/settings/profile', 'Profile settings'))
    },
    track: {
      type: 'track',
      ...common('ajs-next-1714558530000-track'),
      event: 'Report Created',
      properties: { reportId: 'rpt-5531', format: 'pdf', pages: 12, shared: true, tags: ['quarterly', 'finance'] },
      context: webContext(appPage('/reports/new', 'New report'))
    },
    page: {
      type: 'page',
      ...common('ajs-next-1714558530000-page'),
      name: 'Pricing',
      properties: {
        path: '/pricing',
        referrer: 'https://www.example.com/',
        search: '?plan=pro',
        title: 'Pricing - Example',
        url: 'https://www.example.com/pricing?plan=pro'
      },
      context: webContext({
        path: '/pricing',
        referrer: 'https://www.example.com/',
        search: '?plan=pro',
        title: 'Pricing - Example',
        url: 'https://www.example.com/pricing?plan=pro'
      })
    },
    screen: {
      type: 'screen',
      ...common('ios-1714558530000-screen'),
      name: 'Checkout',
      properties: { step: 2, cartItems: 3 },
      context: {
        app: { name: 'Example', version: '5.2.0', build: '520' },
        device: { manufacturer: 'Apple', model: 'iPhone15,2', type: 'ios' },
        library: { name: 'analytics-swift', version: '1.5.11' },
        locale: 'en-US',
        os: { name: 'iOS', version: '17.4.1' },
        groupId: GROUP_ID
      }
    },
    group: {
      type: 'group',
      ...common('ajs-next-1714558530000-group'),
      groupId: GROUP_ID,
      traits: {
        name: 'Acme Inc.',
        plan: 'enterprise',
        industry: 'Manufacturing',
        employees: 120,
        billing: { cycle: 'annual', currency: 'USD' }
      },
      context: webContext(appPage('/settings/company', 'Company settings'))
    },
    delete: {
      type: 'delete',
      userId: USER_ID,
      anonymousId: ANONYMOUS_ID,
      messageId: 'regulation-1714558530000-delete',
      timestamp: SENT_AT,
      context: { library: { name: 'unknown', version: 'unknown' } }
    },
    'audience entered': audienceChange(true),
    'audience exited': audienceChange(false)
  }
}
