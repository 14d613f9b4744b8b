// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID. Appcues stores nothing without a user ID, so an event without one is refused with an error; the Identify, Track, Page and Screen Calls presets only take calls that have one.
   */
  userId: string
  /**
   * The name of the Appcues event. The default is "Page Viewed". Appcues accepts at most 127 characters.
   */
  event: string
  /**
   * The name of the page or screen. It is sent as the event attribute "name". By default it is the name of the Segment page or screen call.
   */
  name?: string
  /**
   * The full address of the page. It is sent as the event attribute "url". By default it is the page address that Segment recorded with the event, or the event property "url" when Segment recorded none.
   */
  url?: string
  /**
   * The path part of the page address. It is sent as the event attribute "path". By default it is the page path that Segment recorded with the event, or the event property "path" when Segment recorded none.
   */
  path?: string
  /**
   * The title of the page. It is sent as the event attribute "title". By default it is the page title that Segment recorded with the event, or the event property "title" when Segment recorded none.
   */
  title?: string
  /**
   * The address of the page the user came from. It is sent as the event attribute "referrer". By default it is the referring address that Segment recorded with the event, or the event property "referrer" when Segment recorded none.
   */
  referrer?: string
  /**
   * The part of the page address from the question mark on, such as ?q=shoes, which holds the search terms and other options of the page. It is sent as the event attribute "search". By default it is the search query that Segment recorded with the event, or the event property "search" when Segment recorded none.
   */
  search?: string
  /**
   * Properties sent with the event as Appcues event attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. Attributes whose names start with an underscore (_) are left out, because Appcues keeps those names for its own attributes, and so are empty text and empty lists; an empty value (null) clears the attribute in Appcues. By default these are the Segment event properties. When a property has the same name as one of the page fields above, the page field’s value is sent if it is not empty, and the property’s value otherwise.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * When the event happened: a date and time such as 2024-05-01T12:00:00Z, or a number of seconds or milliseconds since 1 January 1970. By default it is the Segment event timestamp; if it is empty, the time of sending is used.
   */
  timestamp?: string | number
}
