import type { SimulatorCredentials } from './options'

export interface BasicCredentials {
  user: string
  password: string
}

export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** Returns why the request is refused (the `detail` of a 401), or undefined when the credentials are right. */
export function checkApiKeyPair(header: string | undefined, expected: SimulatorCredentials): string | undefined {
  const given = parseBasic(header)
  if (!given) {
    return 'This endpoint needs HTTP Basic authentication with the API key as user name and the API secret as password.'
  }
  if (given.user === expected.legacyApiKey && given.password === '') {
    return 'The Legacy API key does not work here; use an API key and secret (Studio, Settings, API Keys).'
  }
  if (given.user !== expected.apiKey || given.password !== expected.apiSecret) {
    return 'The API key and secret do not match a key pair of this account.'
  }
  return undefined
}

/** The GDPR deletion endpoint takes the Legacy API key as user name and an empty password. */
export function checkLegacyKey(header: string | undefined, expected: SimulatorCredentials): string | undefined {
  const given = parseBasic(header)
  if (!given) {
    return 'This endpoint needs HTTP Basic authentication with the Legacy API key as user name and an empty password.'
  }
  if (given.user === expected.apiKey) {
    return 'The GDPR deletion endpoint takes the Legacy API key, not the API key and secret.'
  }
  if (given.user !== expected.legacyApiKey || given.password !== '') {
    return 'The Legacy API key is not valid (it goes in the user name, with an empty password).'
  }
  return undefined
}
