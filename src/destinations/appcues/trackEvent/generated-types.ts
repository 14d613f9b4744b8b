// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID. Appcues stores nothing without a user ID, so an event without one is refused with an error; the Identify, Track, Page and Screen Calls presets only take calls that have one.
   */
  userId: string
  /**
   * The name of the event in Appcues. By default it is the Segment event name. Appcues accepts at most 127 characters.
   */
  event: string
  /**
   * Properties sent with the event as Appcues event attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. Attributes whose names start with an underscore (_) are left out, because Appcues keeps those names for its own attributes, and so are empty text and empty lists; an empty value (null) clears the attribute in Appcues. By default these are the Segment event properties.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * When the event happened: a date and time such as 2024-05-01T12:00:00Z, or a number of seconds or milliseconds since 1 January 1970. By default it is the Segment event timestamp; if it is empty, the time of sending is used.
   */
  timestamp?: string | number
  /**
   * The ID of the Appcues group (for example the company or account) the event belongs to. By default it is the group ID in the Segment event context; leave it empty to send the event without a group.
   */
  groupId?: string
}
