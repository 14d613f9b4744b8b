// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID of the Appcues user to erase. By default it is the Segment User ID.
   */
  userId: string
  /**
   * When on, Segment sends deletions to this action in batches, and all the users of a batch are erased with one request. Each event still gets its own result. The default is on.
   */
  enable_batching?: boolean
  /**
   * The largest number of events in one batch. The default is 500 and the maximum is 1000.
   */
  batch_size?: number
}
