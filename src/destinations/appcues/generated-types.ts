// Generated file. DO NOT MODIFY IT BY HAND.

export interface Settings {
  /**
   * The key of an Appcues API key pair. Create one in Appcues Studio under Settings, then API Keys. Choose a key with the Admin role so that it can write profiles, events, groups and segments.
   */
  apiKey: string
  /**
   * The secret of the same Appcues API key pair. Appcues Studio shows it only once, when you create the key under Settings, then API Keys.
   */
  apiSecret: string
  /**
   * Your numeric Appcues account ID. You can find it in Appcues Studio under Settings, then Account, and in the Studio address after /accounts/.
   */
  accountId: number
  /**
   * The region where your Appcues account stores its data. Choose EU if your Studio address ends in eu.appcues.com. The default is US.
   */
  region: string
  /**
   * Needed only to delete users, with the Delete User action or Segment privacy deletions. It is the Legacy API Key shown in Appcues Studio under Settings, then API Keys, not the API Key and API Secret above. Deleting users works for US accounts only: with the Region setting on EU, deletions are refused and nothing is deleted. Leave it empty if you do not delete users through Segment; privacy deletions then do nothing in Appcues.
   */
  legacyApiKey?: string
}
// Generated file. DO NOT MODIFY IT BY HAND.

export interface AudienceSettings {
  /**
   * The name of the Appcues segment that this audience fills. Leave it empty to use the name of the audience in Segment. When a segment with this name already exists in Appcues, it is used instead of creating another one.
   */
  segmentName?: string
}
