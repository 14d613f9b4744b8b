// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID; events without one are not sent.
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
  /**
   * When on, Segment sends events to this action in batches. Profile updates for the same user or group are then merged into one request, which keeps you further from the Appcues rate limit. Each event still gets its own result. The default is on.
   */
  enable_batching?: boolean
  /**
   * The largest number of events in one batch. Larger batches merge more profile updates into one request. The default is 500 and the maximum is 1000.
   */
  batch_size?: number
}
