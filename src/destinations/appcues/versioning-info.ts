/**
 * Appcues Public API version for profiles, events, groups, segments and the credential check.
 * API reference: https://api.appcues.com/v2/docs
 */
export const APPCUES_PUBLIC_API_VERSION = 'v2'

/** Appcues GDPR erasure API version (Legacy API key). */
export const APPCUES_GDPR_API_VERSION = 'v1'

/** Version of Appcues' Segment ingestion endpoint used by the legacy `send` action. */
export const APPCUES_SEGMENT_API_VERSION = 'v2'
