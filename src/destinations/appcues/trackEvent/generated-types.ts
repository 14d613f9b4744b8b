// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID; the presets subscribe only calls that have one, because Appcues stores nothing without a user.
   */
  userId: string
  /**
   * The name of the event in Appcues. By default it is the Segment event name. Appcues accepts at most 127 characters.
   */
  event: string
  /**
   * Properties sent with the event as Appcues event attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the Segment event properties.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * When the event happened. It is sent to Appcues as an ISO-8601 date. By default it is the Segment event timestamp; if it is empty, the time of sending is used.
   */
  timestamp?: string | number
  /**
   * The ID of the Appcues group (for example the company or account) the event belongs to. By default it is the group ID in the Segment event context; leave it empty to send the event without a group.
   */
  groupId?: string
}
