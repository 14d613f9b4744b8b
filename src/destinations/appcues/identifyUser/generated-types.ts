// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID. Appcues stores nothing without a user ID, so an event without one is refused with an error; the Identify, Track, Page and Screen Calls presets only take calls that have one.
   */
  userId: string
  /**
   * Traits saved as Appcues user profile attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. Attributes whose names start with an underscore (_) are left out, because Appcues keeps those names for its own attributes, and so are empty text and empty lists; an empty value (null) clears the attribute in Appcues. By default these are the traits of the identify call, or the traits in the event context when the call has none.
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
