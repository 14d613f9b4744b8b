/** A value Appcues stores as a profile or event attribute. */
export type AttributeValue = string | number | boolean | null

export type Attributes = Record<string, AttributeValue>

/** The body of `POST /v2/accounts/{account}/users/{user}/events`. */
export interface AppcuesEvent {
  name: string
  timestamp: string
  attributes: Attributes
  group_id?: string
}

/** For the statuses Appcues answers when a setting is wrong: what the user should check. */
export type SettingHints = Partial<Record<401 | 403 | 404, string>>
