import type { GlobalSetting } from '@segment/actions-core'

export const settingsFields: Record<string, GlobalSetting> = {
  apiKey: {
    label: 'API Key',
    description:
      'The key of an Appcues API key pair. Create one in Appcues Studio under Settings, then API Keys. Choose a key with the Admin role so that it can write profiles, events and groups.',
    type: 'password',
    required: true
  },
  apiSecret: {
    label: 'API Secret',
    description:
      'The secret of the same Appcues API key pair. Appcues Studio shows it only once, when you create the key under Settings, then API Keys.',
    type: 'password',
    required: true
  },
  accountId: {
    label: 'Account ID',
    description:
      'Your numeric Appcues account ID. You can find it in Appcues Studio under Settings, then Account, and in the Studio address after /accounts/.',
    type: 'number',
    required: true
  },
  region: {
    label: 'Region',
    description:
      'The region where your Appcues account stores its data. Choose EU if your Studio address ends in eu.appcues.com. The default is US.',
    type: 'string',
    required: true,
    choices: [
      { label: 'US', value: 'US' },
      { label: 'EU', value: 'EU' }
    ],
    default: 'US'
  },
  legacyApiKey: {
    label: 'Legacy API Key',
    description:
      'Needed only to delete users (the Delete User action and Segment privacy deletions). This is the Legacy API Key shown in Appcues Studio under Settings, then API Keys. It is a different credential from the API Key and API Secret. Leave it empty if you do not delete users through Segment.',
    type: 'password'
  },
  endpoint: {
    label: 'Endpoint Override',
    description:
      'Leave this empty to send data to the Appcues servers of the selected region. Set it only to route requests through your own proxy or to a local Appcues simulator. It must be an https address (for example https://appcues-proxy.example.com); plain http is accepted only for addresses on this machine (localhost, 127.0.0.1 and [::1]).',
    type: 'string'
  }
}
