// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID of the Appcues user to erase. By default it is the Segment User ID.
   */
  userId: string
}
