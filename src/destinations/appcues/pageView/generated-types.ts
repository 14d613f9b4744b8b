// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * The ID that identifies the user in Appcues. It must be the same ID your app passes to Appcues. By default it is the Segment User ID; the presets subscribe only calls that have one, because Appcues stores nothing without a user.
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
   * The full address of the page. It is sent as the event attribute "url". By default it is the url of the page in the event context, or the url property when the context has none.
   */
  url?: string
  /**
   * The path part of the page address. It is sent as the event attribute "path". By default it is the path of the page in the event context, or the path property when the context has none.
   */
  path?: string
  /**
   * The title of the page. It is sent as the event attribute "title". By default it is the title of the page in the event context, or the title property when the context has none.
   */
  title?: string
  /**
   * The address of the page the user came from. It is sent as the event attribute "referrer". By default it is the referrer of the page in the event context, or the referrer property when the context has none.
   */
  referrer?: string
  /**
   * The query string of the page address. It is sent as the event attribute "search". By default it is the search of the page in the event context, or the search property when the context has none.
   */
  search?: string
  /**
   * Properties sent with the event as Appcues event attributes. Nested objects become attributes named parent_child, and lists become comma-separated text. By default these are the Segment event properties. When a property has the same name as one of the page fields above, the page field wins.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * When the event happened. It is sent to Appcues as an ISO-8601 date. By default it is the Segment event timestamp; if it is empty, the time of sending is used.
   */
  timestamp?: string | number
}
