import type { AnyDestination } from '../load-destination'
import { HttpError } from './http'
import { TextMatcher } from './text-matcher'

const REDACTED = '<redacted>'

/**
 * Secrets at least this long are also replaced inside longer text (error messages, echoed bodies, log lines).
 * Shorter ones (a test key such as "k") would match ordinary words, so they are replaced only where they stand
 * as a whole value: a JSON string, a header value, a URL's user name, password, path segment or query value.
 */
const MIN_SUBSTRING_SECRET = 8

/** Longer values are still replaced as whole values, but not searched for inside text (no credential is this long). */
const MAX_SUBSTRING_SECRET = 4096

/** The most keys a request's settings (and `auth`) object may have: a destination declares a handful. */
export const MAX_SETTINGS_KEYS = 100

/** Setting keys that look secret even when not typed `password` (the monorepo's secret-field pattern, widened). */
const SECRET_KEY = /(key|token|secret|password|passwd|code|auth|credential|bearer)/i

/** Whether the destination's setting (or a setting of that name it does not declare) holds a secret. */
export function isSecretSetting(definition: AnyDestination, key: string): boolean {
  return definition.authentication?.fields?.[key]?.type === 'password' || SECRET_KEY.test(key)
}

function keysOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null ? Object.keys(value) : []
}

/**
 * The values a response must never show: every setting the destination marks `password`, every setting whose key
 * looks secret, and every string in the `auth` object (OAuth tokens). `pairable` are the secrets among the
 * destination's own declared settings, which may also appear joined as a Basic credential. A settings object with
 * more than MAX_SETTINGS_KEYS keys is refused (400), so that the work of redacting stays small.
 */
function secretsOf(
  definition: AnyDestination,
  settings: unknown,
  auth?: unknown
): { values: string[]; pairable: string[] } {
  const count = keysOf(settings).length + keysOf(auth).length
  if (count > MAX_SETTINGS_KEYS) {
    throw new HttpError(
      400,
      `The settings have ${count} keys; at most ${MAX_SETTINGS_KEYS} are accepted. Send only the destination's settings (the keys of its authentication fields).`
    )
  }
  const declared = definition.authentication?.fields ?? {}
  const values: string[] = []
  const pairable: string[] = []
  if (typeof settings === 'object' && settings !== null) {
    for (const [key, value] of Object.entries(settings)) {
      if (!isSecretSetting(definition, key)) continue
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
      if (text !== '') values.push(text)
      if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(declared, key)) pairable.push(value)
    }
  }
  if (typeof auth === 'object' && auth !== null) {
    for (const value of Object.values(auth)) if (typeof value === 'string' && value !== '') values.push(value)
  }
  return { values, pairable }
}

const base64 = (text: string) => Buffer.from(text).toString('base64').replace(/=+$/, '')

/**
 * The forms in which a long secret may show up inside text: as it is, JSON-escaped, URL-encoded and
 * base64-encoded, alone or as the user:password pair of a Basic authorization with another of the secrets.
 * Pairs are formed among the first `paired` secrets only (the destination's own settings), so the number of
 * forms grows linearly with the number of secrets.
 */
const isLongSecret = (secret: string) => secret.length >= MIN_SUBSTRING_SECRET && secret.length <= MAX_SUBSTRING_SECRET

function substringForms(secrets: string[]): string[] {
  const forms = new Set<string>()
  for (const secret of secrets.filter(isLongSecret)) {
    forms.add(secret)
    forms.add(JSON.stringify(secret).slice(1, -1))
    forms.add(encodeURIComponent(secret))
    forms.add(base64(secret))
    forms.add(base64(`${secret}:`))
  }
  return [...forms]
}

function pairForms(paired: string[]): string[] {
  const forms: string[] = []
  for (const user of paired) {
    for (const password of paired) {
      if (user !== password && (isLongSecret(user) || isLongSecret(password))) forms.push(base64(`${user}:${password}`))
    }
  }
  return forms
}

/** Credentials in authorization-style text ("Basic dXNlcjpwYXNz", "Bearer eyJhbGciOi…"), whoever sent them. */
const CREDENTIAL = /\b(Basic|Bearer) ([A-Za-z0-9+/=._~-]{12,})/g

/** Whether a word after "Basic"/"Bearer" looks like a token rather than prose ("Basic information…"). */
function looksLikeToken(word: string): boolean {
  return /[0-9+/=]/.test(word) || (/[a-z]/.test(word) && /[A-Z]/.test(word.slice(1)))
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/** How many secrets of the destination's own settings may be paired as Basic credentials. */
const MAX_PAIRED = 8

/**
 * Redacts the secrets of one request from what the server answers and logs. Secrets are added as the request is
 * read; the text matcher is built once, on first use after an addition.
 */
export class Redactor {
  private readonly whole = new Set<string>()
  private readonly paired: string[] = []
  private matcher?: TextMatcher
  /** How many strings the walk has changed so far. */
  private changes = 0

  /** Adds the secrets among a request's settings (and auth); see `secretsOf` for which and for the key limit. */
  addSettings(definition: AnyDestination, settings: unknown, auth?: unknown): this {
    const { values, pairable } = secretsOf(definition, settings, auth)
    return this.add(values, pairable)
  }

  /** Adds secret values; `pairable` ones may also appear joined as a Basic credential ("key:secret", base64). */
  add(values: string[], pairable: string[] = []): this {
    for (const value of values) if (value !== '') this.whole.add(value)
    for (const value of pairable) {
      if (value !== '' && !this.paired.includes(value) && this.paired.length < MAX_PAIRED) this.paired.push(value)
    }
    this.matcher = undefined
    return this
  }

  private textMatcher(): TextMatcher {
    this.matcher ??= new TextMatcher([...substringForms([...this.whole]), ...pairForms(this.paired)])
    return this.matcher
  }

  /** Text with authorization tokens and long secrets replaced (short secrets are left: they could be any word). */
  scrubText(text: string): string {
    const withoutTokens = text.replace(CREDENTIAL, (match, scheme: string, token: string) =>
      looksLikeToken(token) ? `${scheme} ${REDACTED}` : match
    )
    return this.whole.size === 0 ? withoutTokens : this.textMatcher().replace(withoutTokens, REDACTED)
  }

  /** A URL with every user name, password, path segment or query value that is a secret replaced. */
  private scrubUrl(url: string): string {
    const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url)
    if (!match) return url
    const [, scheme, authority, path, query = '', fragment = ''] = match
    const at = authority.lastIndexOf('@')
    const host = at === -1 ? authority : `${REDACTED}@${authority.slice(at + 1)}`
    const segments = path.split('/').map((segment) => (this.whole.has(decodeOrKeep(segment)) ? REDACTED : segment))
    const parameters = query
      .slice(1)
      .split('&')
      .map((parameter) => {
        const equals = parameter.indexOf('=')
        if (equals === -1) return parameter
        return this.whole.has(decodeOrKeep(parameter.slice(equals + 1)))
          ? `${parameter.slice(0, equals)}=${REDACTED}`
          : parameter
      })
    return `${scheme}${host}${segments.join('/')}${query ? `?${parameters.join('&')}` : ''}${fragment}`
  }

  private scrubString(text: string): string {
    if (this.whole.has(text)) return REDACTED
    if (/^https?:\/\//i.test(text)) return this.scrubText(this.scrubUrl(text))
    if (/^\s*[[{]/.test(text)) {
      // A JSON document held in a string (a request body): its values are checked as whole values too.
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return this.scrubText(text)
      }
      const before = this.changes
      const scrubbed = this.walk(parsed)
      return this.changes === before ? text : JSON.stringify(scrubbed)
    }
    return this.scrubText(text)
  }

  private walk(item: unknown): unknown {
    if (typeof item === 'string') return this.changed(item, this.scrubString(item))
    if (Array.isArray(item)) return item.map((child) => this.walk(child))
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(
        Object.entries(item).map(([key, child]) => [this.changed(key, this.scrubText(key)), this.walk(child)])
      )
    }
    return item
  }

  private changed(before: string, after: string): string {
    if (after !== before) this.changes++
    return after
  }

  /** A deep copy of a JSON value with every secret replaced by "<redacted>"; the result is still valid JSON. */
  scrub<T>(value: T): T {
    if (this.whole.size === 0) return value
    return this.walk(JSON.parse(JSON.stringify(value) ?? 'null')) as T
  }
}

export { REDACTED }
