// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID of the Appcues user to erase. By default it is the Segment User ID.
   */
  userId: string
  /**
   * When on, Segment sends events to this action in batches. Profile updates for the same user or group are then merged into one request, which keeps you further from the Appcues rate limit. Each event still gets its own result. The default is on.
   */
  enable_batching?: boolean
  /**
   * The largest number of events in one batch. Larger batches merge more profile updates into one request. The default is 500 and the maximum is 1000.
   */
  batch_size?: number
}
