/**
 * Recognisable values for every password setting of the destination. The quote, slash, plus and percent make the
 * JSON-escaped, URL-encoded and base64 forms differ from the plain one, so each form is looked for on its own.
 */
export const SECRETS = {
  apiKey: 'rk-API-KEY-1f8e0c77a9/+',
  apiSecret: 'rs-API-SECRET-"5d21%q',
  legacyApiKey: 'rl-LEGACY-KEY-9c3b&=x'
}

/** Credentials that Appcues refuses: they are secrets too, and show in the error paths. */
export const WRONG_SECRETS = {
  apiKey: 'wk-WRONG-KEY-0b9d2f11',
  apiSecret: 'ws-WRONG-SECRET-77ae40c3',
  legacyApiKey: 'wl-WRONG-LEGACY-3e6a9b15'
}

const base64 = (text: string) => Buffer.from(text).toString('base64')

/** Every form in which a secret could leak: plain, JSON-escaped, URL-encoded, base64, and the HTTP Basic tokens. */
export function secretForms(sets: Array<{ apiKey: string; apiSecret: string; legacyApiKey: string }>): string[] {
  const forms = new Set<string>()
  for (const { apiKey, apiSecret, legacyApiKey } of sets) {
    for (const secret of [apiKey, apiSecret, legacyApiKey]) {
      forms.add(secret)
      forms.add(JSON.stringify(secret).slice(1, -1))
      forms.add(JSON.stringify(JSON.stringify(secret)).slice(3, -3))
      forms.add(encodeURIComponent(secret))
      forms.add(base64(secret).replace(/=+$/, ''))
    }
    // The Authorization headers the destination sends, without padding (a prefix of the padded form).
    forms.add(base64(`${apiKey}:${apiSecret}`).replace(/=+$/, ''))
    forms.add(base64(`${legacyApiKey}:`).replace(/=+$/, ''))
  }
  return [...forms]
}

export const ALL_FORMS = secretForms([SECRETS, WRONG_SECRETS])

/** The secret forms found in a text. */
export function secretsIn(text: string, forms: string[] = ALL_FORMS): string[] {
  return forms.filter((form) => text.includes(form))
}

/** Throws, naming the place and the forms, when any output holds a secret. */
export function assertNoSecrets(outputs: Record<string, string>, forms: string[] = ALL_FORMS): void {
  const leaks = Object.entries(outputs).flatMap(([where, text]) =>
    secretsIn(text, forms).map((form) => {
      const at = text.indexOf(form)
      return `${where}: "${form}" in …${text.slice(Math.max(0, at - 40), at + form.length + 20)}…`
    })
  )
  if (leaks.length > 0) throw new Error(`secrets leaked (${leaks.length}):\n  ${leaks.slice(0, 10).join('\n  ')}`)
}
