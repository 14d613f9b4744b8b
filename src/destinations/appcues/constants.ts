/** Appcues' Segment ingestion host of each region, where the Send action posts Segment calls. */
export const REGION_ENDPOINTS: Record<string, string> = {
  US: 'https://segment.appcues.com',
  EU: 'https://segment.eu.appcues.com'
}

/** Appcues' Public API host of each region. */
export const API_HOSTS: Record<string, string> = {
  US: 'https://api.appcues.com',
  EU: 'https://api.eu.appcues.com'
}

/** Appcues documents its erasure endpoint on the US host only. */
export const ERASURE_HOST = 'https://api.appcues.com'

/** Appcues rejects event names longer than this. */
export const MAX_EVENT_NAME_LENGTH = 127

/** At most this many Appcues requests of one batch are in flight at once. */
export const BATCH_CONCURRENCY = 10

/**
 * The method of the call that adds users to a group. Some published descriptions of the Appcues API say PATCH; the
 * method lives here so that changing it is a one-line change.
 */
export const GROUP_USERS_METHOD = 'POST'
