// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The kind of Segment call to send to Appcues: track, page, screen, identify or group. By default it is the type of the Segment event.
   */
  type: string
  /**
   * The ID of the user in Appcues. By default it is the Segment User ID.
   */
  userId?: string
  /**
   * The anonymous ID of the visitor, sent alongside the User ID. By default it is the Segment Anonymous ID.
   */
  anonymousId?: string
  /**
   * The name of the event. It is required when the Event Type is track. By default it is the Segment event name.
   */
  event?: string
  /**
   * The name of the page or screen, for page and screen calls. By default it is the name of the Segment call.
   */
  name?: string
  /**
   * The properties of a track, page or screen call, sent to Appcues as they are. By default these are the Segment event properties.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * Traits to save on the user. For identify calls they are the traits sent; for track, page and screen calls a separate identify call is sent when there are any. By default these are the traits in the event context, or the traits of the call.
   */
  user_traits?: {
    [k: string]: unknown
  }
  /**
   * The ID of the group. For group calls it is the group updated; for track, page and screen calls a separate group call is sent when it is set. By default it is the Segment Group ID.
   */
  groupId?: string
  /**
   * Traits to save on the group named by the Group ID. This field has no default, so no group traits are sent unless you map them. For group calls, map the traits of the call.
   */
  group_traits?: {
    [k: string]: unknown
  }
  /**
   * The Segment context object (device, page, library and so on), sent to Appcues as it is. By default it is the event context.
   */
  context?: {
    [k: string]: unknown
  }
  /**
   * The Segment integrations object, sent to Appcues as it is. By default it is the event’s integrations object.
   */
  integrations?: {
    [k: string]: unknown
  }
  /**
   * When the event happened, sent as it is. By default it is the Segment event timestamp.
   */
  timestamp?: string
  /**
   * The Segment message ID, sent as it is. By default it is the event’s message ID.
   */
  messageId?: string
}
