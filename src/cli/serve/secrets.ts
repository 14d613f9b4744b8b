import type { AnyDestination } from '../load-destination'

const REDACTED = '<redacted>'

/** Setting keys that look secret even when not typed `password` (the monorepo's secret-field pattern, widened). */
const SECRET_KEY = /(key|token|secret|password|passwd|code|auth|credential|bearer)/i

/**
 * The values a response must never show: every setting the destination marks `password`, every setting whose key
 * looks secret, and every string in the `auth` object (OAuth tokens).
 */
export function secretValues(definition: AnyDestination, settings: unknown, auth?: unknown): string[] {
  const fields = definition.authentication?.fields ?? {}
  const values: string[] = []
  if (typeof settings === 'object' && settings !== null) {
    for (const [key, value] of Object.entries(settings)) {
      const secret = fields[key]?.type === 'password' || SECRET_KEY.test(key)
      if (secret && (typeof value === 'string' || typeof value === 'number') && String(value) !== '') {
        values.push(String(value))
      }
    }
  }
  if (typeof auth === 'object' && auth !== null) {
    for (const value of Object.values(auth)) if (typeof value === 'string' && value !== '') values.push(value)
  }
  return values
}

/**
 * Every form in which a secret may show up in text: as it is, JSON-escaped, URL-encoded and base64-encoded, alone
 * or as the user:password pair of a Basic authorization.
 */
function secretForms(secrets: string[]): string[] {
  const forms = new Set<string>()
  const base64 = (text: string) => Buffer.from(text).toString('base64').replace(/=+$/, '')
  for (const secret of secrets) {
    forms.add(secret)
    forms.add(JSON.stringify(secret).slice(1, -1))
    forms.add(encodeURIComponent(secret))
    forms.add(base64(secret))
    forms.add(base64(`${secret}:`))
    for (const other of secrets) forms.add(base64(`${secret}:${other}`))
  }
  // Longest first, so that a secret containing another is replaced whole.
  return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length)
}

/** Credentials in authorization-style text ("Basic dXNlcjpwYXNz", "Bearer eyJhbGciOi…"), whoever sent them. */
const CREDENTIAL = /\b(Basic|Bearer) ([A-Za-z0-9+/=._~-]{12,})/g

/** Whether a word after "Basic"/"Bearer" looks like a token rather than prose ("Basic information…"). */
function looksLikeToken(word: string): boolean {
  return /[0-9+/=]/.test(word) || (/[a-z]/.test(word) && /[A-Z]/.test(word.slice(1)))
}

export function scrubText(text: string, secrets: string[]): string {
  let result = text.replace(CREDENTIAL, (match, scheme: string, token: string) =>
    looksLikeToken(token) ? `${scheme} ${REDACTED}` : match
  )
  for (const form of secretForms(secrets)) result = result.split(form).join(REDACTED)
  return result
}

/** A deep copy of a JSON value with every secret replaced by "<redacted>" in its strings and keys. */
export function scrub<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return scrubText(item, secrets)
    if (Array.isArray(item)) return item.map(walk)
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([key, child]) => [scrubText(key, secrets), walk(child)]))
    }
    return item
  }
  return walk(JSON.parse(JSON.stringify(value) ?? 'null')) as T
}

export { REDACTED }
