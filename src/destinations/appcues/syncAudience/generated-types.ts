// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID. Appcues stores nothing without a user ID, so an event without one is refused with an error; the Identify, Track, Page and Screen Calls presets only take calls that have one.
   */
  userId: string
  /**
   * The ID of the Appcues segment that Segment created, or reused, when the audience was connected to Appcues. Segment sends it with every audience event; keep the default mapping.
   */
  external_audience_id?: string
  /**
   * Used only for events that come without an Appcues segment ID, such as events from files or from sources outside Engage: the segment with this name receives the changes, and it is created when no segment has this name. By default it is the audience key.
   */
  segmentName?: string
  /**
   * When on, Segment sends membership changes to this action in batches, and all the users who entered or left one segment in a batch are added or removed in one request each. The default is on.
   */
  enable_batching?: boolean
  /**
   * The largest number of membership changes in one batch. The default and the maximum are 1000.
   */
  batch_size?: number
  /**
   * The fields Segment groups changes by when it batches them, so that each batch holds the changes of one Appcues segment.
   */
  batch_keys?: string[]
}
// Generated file. DO NOT MODIFY IT BY HAND.

export interface RetlOnMappingSaveInputs {
  /**
   * Create a new segment to fill it from the model, or use an existing segment. When a segment with the name you enter already exists, it is used instead of creating another one. The default is to create one.
   */
  operation?: string
  /**
   * The name of the Appcues segment to create, as Appcues Studio will show it. It is required when you choose to create a new segment.
   */
  segmentName?: string
  /**
   * The Appcues segment to fill from the model. The list shows the segments of your Appcues account.
   */
  existingSegmentId?: string
}
// Generated file. DO NOT MODIFY IT BY HAND.

export interface RetlOnMappingSaveOutputs {
  /**
   * The ID of the Appcues segment this mapping adds users to and removes them from.
   */
  segmentId: string
  /**
   * The name of that segment in Appcues.
   */
  segmentName: string
}
