// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the group in Appcues. By default it is the group ID of the Segment group call.
   */
  groupId: string
  /**
   * The ID of a user to add to the group. By default it is the Segment User ID of the group call; leave it empty to update the group without adding a user.
   */
  userId?: string
  /**
   * Traits saved as Appcues group profile attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. Attributes whose names start with an underscore (_) are left out, because Appcues keeps those names for its own attributes, and so are empty text and empty lists; an empty value (null) clears the attribute in Appcues. By default these are the traits of the group call.
   */
  traits?: {
    [k: string]: unknown
  }
  /**
   * When on, Segment sends events to this action in batches, and updates of the same profile in one batch are merged into one request, which keeps you further from the Appcues rate limit. Each event still gets its own result. The default is on.
   */
  enable_batching?: boolean
  /**
   * The largest number of events in one batch. The default is 500 and the maximum is 1000.
   */
  batch_size?: number
}
