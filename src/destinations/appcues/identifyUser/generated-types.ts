// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID; the presets subscribe only calls that have one, because Appcues stores nothing without a user.
   */
  userId: string
  /**
   * Traits saved as Appcues user profile attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the traits of the identify call, or the traits in the event context when the call has none.
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
