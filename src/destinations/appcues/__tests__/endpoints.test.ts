import { IntegrationError, PayloadValidationError } from '@segment/actions-core'
import { appcuesUrls, encodeId, GROUP_USERS_METHOD, InvalidSettingsError, parseEndpointOverride } from '../endpoints'
import type { Settings } from '../generated-types'

const settings: Settings = { apiKey: 'key-1', apiSecret: 'secret-1', accountId: 123, region: 'US' }
const eu: Settings = { ...settings, region: 'EU' }

function thrown(fn: () => unknown): Error & { status?: number; code?: string } {
  try {
    fn()
  } catch (error) {
    return error as Error & { status?: number; code?: string }
  }
  throw new Error('expected a throw')
}

describe('parseEndpointOverride', () => {
  it.each([undefined, '', '   ', '\n\t'])('returns undefined for the empty value %j', (value) => {
    expect(parseEndpointOverride(value)).toBeUndefined()
  })

  it.each([
    ['https://proxy.example.com', 'https://proxy.example.com'],
    ['https://proxy.example.com/', 'https://proxy.example.com'],
    ['https://proxy.example.com///', 'https://proxy.example.com'],
    ['https://proxy.example.com/appcues', 'https://proxy.example.com/appcues'],
    ['https://proxy.example.com/appcues/', 'https://proxy.example.com/appcues'],
    ['https://proxy.example.com/a/b/c//', 'https://proxy.example.com/a/b/c'],
    ['https://proxy.example.com:8443/appcues/', 'https://proxy.example.com:8443/appcues'],
    ['https://proxy.example.com:443/', 'https://proxy.example.com'],
    ['  https://proxy.example.com/x  ', 'https://proxy.example.com/x'],
    ['HTTPS://Proxy.Example.COM/Appcues', 'https://proxy.example.com/Appcues'],
    ['https://proxy.example.com/?', 'https://proxy.example.com'],
    ['https://10.0.0.5', 'https://10.0.0.5']
  ])('accepts the https address %j as %j', (value, expected) => {
    expect(parseEndpointOverride(value)).toBe(expected)
  })

  it.each([
    ['http://localhost', 'http://localhost'],
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://127.0.0.1:4010/sim/', 'http://127.0.0.1:4010/sim'],
    ['http://127.1.2.3', 'http://127.1.2.3'],
    ['http://[::1]:4010/', 'http://[::1]:4010'],
    ['http://appcues.localhost:8080', 'http://appcues.localhost:8080']
  ])('accepts plain http on the loopback address %j', (value, expected) => {
    expect(parseEndpointOverride(value)).toBe(expected)
  })

  it.each([
    'http://proxy.example.com',
    'http://10.0.0.5:4010',
    'http://192.168.1.10',
    'http://0.0.0.0:4010',
    'http://[::2]',
    'http://127.0.0.1.example.com',
    'http://localhost.example.com',
    'http://example.com/localhost',
    'ftp://proxy.example.com',
    'ws://127.0.0.1:4010',
    'file:///etc/passwd',
    'javascript:alert(1)'
  ])('rejects %j because it is not https (or http on loopback)', (value) => {
    const error = thrown(() => parseEndpointOverride(value))
    expect(error).toBeInstanceOf(InvalidSettingsError)
    expect(error.message).toBe(
      'The Endpoint Override setting must use https (plain http is accepted only for localhost, 127.0.0.1 and [::1]). Use an https address such as https://appcues-proxy.example.com, or leave the setting empty.'
    )
  })

  it.each(['https://user:pass@proxy.example.com', 'https://user@proxy.example.com', 'http://a:b@127.0.0.1:4010'])(
    'rejects %j because it holds credentials',
    (value) => {
      const error = thrown(() => parseEndpointOverride(value))
      expect(error).toBeInstanceOf(InvalidSettingsError)
      expect(error.message).toContain('must not contain a user name or password')
      expect(error.message).toContain('API Key and API Secret settings')
    }
  )

  it.each(['https://proxy.example.com/?key=1', 'https://proxy.example.com/#top', 'https://proxy.example.com/a?b#c'])(
    'rejects %j because it holds a query string or fragment',
    (value) => {
      const error = thrown(() => parseEndpointOverride(value))
      expect(error).toBeInstanceOf(InvalidSettingsError)
      expect(error.message).toContain('must not contain a query string or fragment')
    }
  )

  it.each(['proxy.example.com', 'not a url', '://missing-scheme', 'https://', 'https://exa mple.com'])(
    'rejects the garbage %j as not an address',
    (value) => {
      const error = thrown(() => parseEndpointOverride(value))
      expect(error).toBeInstanceOf(InvalidSettingsError)
      expect(error.message).toBe(
        'The Endpoint Override setting is not a valid address. Use an https address such as https://appcues-proxy.example.com, or leave the setting empty.'
      )
    }
  )

  it('makes settings errors final (400, INVALID_SETTINGS)', () => {
    const error = thrown(() => parseEndpointOverride('http://proxy.example.com'))
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('INVALID_SETTINGS')
  })
})

describe('encodeId', () => {
  it.each([
    ['user-1', 'user-1'],
    ['a/b', 'a%2Fb'],
    ['a?b', 'a%3Fb'],
    ['a#b', 'a%23b'],
    ['100%', '100%25'],
    ['a/b?c#d%e', 'a%2Fb%3Fc%23d%25e'],
    ['../x', '..%2Fx'],
    ['../../accounts/999', '..%2F..%2Faccounts%2F999'],
    ['..\\x', '..%5Cx'],
    ['user 1', 'user%201'],
    ['a+b&c=d', 'a%2Bb%26c%3Dd'],
    ['josé', 'jos%C3%A9'],
    ['%2e%2e', '%252e%252e'],
    ['...', '...'],
    ['.x', '.x']
  ])('encodes %j as %j', (id, encoded) => {
    expect(encodeId(id, 'User ID')).toBe(encoded)
  })

  it.each(['.', '..'])('refuses %j, which URL normalisation would turn into path navigation', (id) => {
    const error = thrown(() => encodeId(id, 'Group ID'))
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error.message).toBe(`The Group ID "${id}" cannot be sent to Appcues. Map a real identifier.`)
  })

  it('never lets an encoded id change the path of a URL', () => {
    for (const id of ['../x', 'a/b?c#d%e', '..%2F', '%2e%2e/x', '/..', '?', '#']) {
      const url = new URL(`https://api.appcues.com/v2/accounts/1/users/${encodeId(id, 'User ID')}/profile`)
      expect([id, url.pathname.split('/').length, url.search, url.hash]).toEqual([id, 7, '', ''])
      expect(decodeURIComponent(url.pathname.split('/')[5])).toBe(id)
    }
  })
})

describe('appcuesUrls', () => {
  it('builds the v2 public API URLs on the US host', () => {
    expect(appcuesUrls.tags(settings)).toBe('https://api.appcues.com/v2/accounts/123/tags')
    expect(appcuesUrls.userProfile(settings, 'user-1')).toBe(
      'https://api.appcues.com/v2/accounts/123/users/user-1/profile'
    )
    expect(appcuesUrls.userEvents(settings, 'user-1')).toBe(
      'https://api.appcues.com/v2/accounts/123/users/user-1/events'
    )
    expect(appcuesUrls.groupProfile(settings, 'group-1')).toBe(
      'https://api.appcues.com/v2/accounts/123/groups/group-1/profile'
    )
    expect(appcuesUrls.groupUsers(settings, 'group-1')).toBe(
      'https://api.appcues.com/v2/accounts/123/groups/group-1/users'
    )
  })

  it('builds the v2 public API URLs on the EU host', () => {
    expect(appcuesUrls.tags(eu)).toBe('https://api.eu.appcues.com/v2/accounts/123/tags')
    expect(appcuesUrls.userProfile(eu, 'u')).toBe('https://api.eu.appcues.com/v2/accounts/123/users/u/profile')
    expect(appcuesUrls.userEvents(eu, 'u')).toBe('https://api.eu.appcues.com/v2/accounts/123/users/u/events')
    expect(appcuesUrls.groupProfile(eu, 'g')).toBe('https://api.eu.appcues.com/v2/accounts/123/groups/g/profile')
    expect(appcuesUrls.groupUsers(eu, 'g')).toBe('https://api.eu.appcues.com/v2/accounts/123/groups/g/users')
  })

  it('builds the GDPR erasure URL, without the account, per region', () => {
    expect(appcuesUrls.gdprDelete(settings)).toBe('https://api.appcues.com/v1/gdpr/delete')
    expect(appcuesUrls.gdprDelete(eu)).toBe('https://api.eu.appcues.com/v1/gdpr/delete')
  })

  it('builds the Segment direct URL per region', () => {
    expect(appcuesUrls.segmentDirect(settings)).toBe('https://segment.appcues.com/v2/accounts/123/segment/direct')
    expect(appcuesUrls.segmentDirect(eu)).toBe('https://segment.eu.appcues.com/v2/accounts/123/segment/direct')
  })

  it('defaults to the US host when the region is not set', () => {
    const noRegion = { ...settings, region: undefined } as unknown as Settings
    expect(appcuesUrls.tags(noRegion)).toBe('https://api.appcues.com/v2/accounts/123/tags')
    expect(appcuesUrls.segmentDirect(noRegion)).toBe('https://segment.appcues.com/v2/accounts/123/segment/direct')
  })

  it('replaces the host of every URL with the Endpoint Override, keeping its path prefix', () => {
    const proxied = { ...eu, endpoint: 'https://proxy.example.com/appcues/' }
    expect(appcuesUrls.tags(proxied)).toBe('https://proxy.example.com/appcues/v2/accounts/123/tags')
    expect(appcuesUrls.userProfile(proxied, 'u')).toBe(
      'https://proxy.example.com/appcues/v2/accounts/123/users/u/profile'
    )
    expect(appcuesUrls.userEvents(proxied, 'u')).toBe(
      'https://proxy.example.com/appcues/v2/accounts/123/users/u/events'
    )
    expect(appcuesUrls.groupProfile(proxied, 'g')).toBe(
      'https://proxy.example.com/appcues/v2/accounts/123/groups/g/profile'
    )
    expect(appcuesUrls.groupUsers(proxied, 'g')).toBe(
      'https://proxy.example.com/appcues/v2/accounts/123/groups/g/users'
    )
    expect(appcuesUrls.gdprDelete(proxied)).toBe('https://proxy.example.com/appcues/v1/gdpr/delete')
    expect(appcuesUrls.segmentDirect(proxied)).toBe('https://proxy.example.com/appcues/v2/accounts/123/segment/direct')
  })

  it('uses a loopback http Endpoint Override', () => {
    const local = { ...settings, endpoint: 'http://127.0.0.1:4010' }
    expect(appcuesUrls.userEvents(local, 'u')).toBe('http://127.0.0.1:4010/v2/accounts/123/users/u/events')
  })

  it('ignores an empty Endpoint Override', () => {
    expect(appcuesUrls.tags({ ...settings, endpoint: '' })).toBe('https://api.appcues.com/v2/accounts/123/tags')
    expect(appcuesUrls.tags({ ...settings, endpoint: '  ' })).toBe('https://api.appcues.com/v2/accounts/123/tags')
  })

  it('percent-encodes user and group ids', () => {
    expect(appcuesUrls.userProfile(settings, 'a/b?c#d%e')).toBe(
      'https://api.appcues.com/v2/accounts/123/users/a%2Fb%3Fc%23d%25e/profile'
    )
    expect(appcuesUrls.userEvents(settings, '../x')).toBe('https://api.appcues.com/v2/accounts/123/users/..%2Fx/events')
    expect(appcuesUrls.groupProfile(settings, '../../users/x')).toBe(
      'https://api.appcues.com/v2/accounts/123/groups/..%2F..%2Fusers%2Fx/profile'
    )
    expect(appcuesUrls.groupUsers(settings, 'g 1')).toBe('https://api.appcues.com/v2/accounts/123/groups/g%201/users')
  })

  it('names the field of a refused id', () => {
    expect(thrown(() => appcuesUrls.userProfile(settings, '..')).message).toContain('The User ID ".."')
    expect(thrown(() => appcuesUrls.groupUsers(settings, '.')).message).toContain('The Group ID "."')
  })

  it.each(['APAC', 'us', '', 'eu'])('rejects the region %j', (region) => {
    const error = thrown(() => appcuesUrls.tags({ ...settings, region }))
    expect(error).toBeInstanceOf(InvalidSettingsError)
    expect(error.message).toBe(
      'The Region setting must be US or EU. Choose the region where your Appcues account is hosted.'
    )
    expect(() => appcuesUrls.gdprDelete({ ...settings, region })).toThrow(InvalidSettingsError)
    expect(() => appcuesUrls.segmentDirect({ ...settings, region })).toThrow(InvalidSettingsError)
  })

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects the account ID %p', (accountId) => {
    const error = thrown(() => appcuesUrls.tags({ ...settings, accountId }))
    expect(error).toBeInstanceOf(InvalidSettingsError)
    expect(error.message).toContain('The Account ID setting must be your numeric Appcues account ID')
    expect(() => appcuesUrls.segmentDirect({ ...settings, accountId })).toThrow(InvalidSettingsError)
  })

  it.each(['123', ' 123 ', '00123', '\t123\n'])('accepts the account ID stored as the text %j', (accountId) => {
    const textId = { ...settings, accountId } as unknown as Settings
    expect(appcuesUrls.tags(textId)).toBe('https://api.appcues.com/v2/accounts/123/tags')
    expect(appcuesUrls.segmentDirect(textId)).toBe('https://segment.appcues.com/v2/accounts/123/segment/direct')
  })

  it.each(['acme', '', '  ', '0', '000', '-1', '12.5', '1e3', '0x10', '12 34', '١٢٣'])(
    'rejects the account ID text %j',
    (accountId) => {
      const error = thrown(() => appcuesUrls.tags({ ...settings, accountId } as unknown as Settings))
      expect(error).toBeInstanceOf(InvalidSettingsError)
      expect(error.message).toContain('The Account ID setting must be your numeric Appcues account ID')
    }
  )

  it.each([null, undefined, true, ['123'], { id: 123 }])('rejects the account ID %p', (accountId) => {
    expect(() => appcuesUrls.tags({ ...settings, accountId } as unknown as Settings)).toThrow(InvalidSettingsError)
  })

  it('accepts the largest safe account ID', () => {
    expect(appcuesUrls.tags({ ...settings, accountId: 2 ** 53 - 1 })).toBe(
      'https://api.appcues.com/v2/accounts/9007199254740991/tags'
    )
  })

  it('rejects a bad Endpoint Override in every URL', () => {
    const bad = { ...settings, endpoint: 'http://proxy.example.com' }
    for (const build of [
      () => appcuesUrls.tags(bad),
      () => appcuesUrls.userProfile(bad, 'u'),
      () => appcuesUrls.gdprDelete(bad),
      () => appcuesUrls.segmentDirect(bad)
    ]) {
      expect(build).toThrow(InvalidSettingsError)
    }
  })

  it('associates users with groups with POST, as Appcues’ own CLI does', () => {
    expect(GROUP_USERS_METHOD).toBe('POST')
  })
})
