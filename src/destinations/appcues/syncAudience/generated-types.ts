// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID; the presets subscribe only calls that have one, because Appcues stores nothing without a user.
   */
  userId: string
  /**
   * The key of the Engage audience, such as trial_users_who_invited. Engage puts the user’s membership in the event property (track calls) or trait (identify calls) of this name. By default it is the audience key Engage sends with the event.
   */
  audience: string
  /**
   * Whether the user is now in the audience: true adds the user to the Appcues segment, false removes them. Leave this empty (the default) to read it from the Engage event, which is the right choice for an Engage audience.
   */
  membership?: boolean
  /**
   * The name of the Appcues segment that mirrors the audience. The segment with this name is used, and it is created when no segment has this name. By default it is the audience key.
   */
  segmentName?: string
  /**
   * Pick an existing Appcues segment to sync the audience into. When one is picked, the Appcues Segment Name is not used and no segment is created. Empty by default.
   */
  segmentId?: string
  /**
   * When on, Segment sends audience changes to this action in batches, and all the users who entered or left one audience in a batch are added or removed in one request each. The default is on.
   */
  enable_batching?: boolean
  /**
   * The largest number of audience changes in one batch. The default and the maximum are 1000.
   */
  batch_size?: number
}
