/**
 * The path of a request target in origin form (`/path?query`), or undefined for any other target: an absolute URL
 * (`http://[`), an authority or `*`, or text no URL parser reads. Node's HTTP parser passes such targets through, and
 * `new URL` throws on some of them, so a local server reads its path here and answers 400 to the rest.
 */
export function requestPathname(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined
  try {
    // Prefixed, not resolved against a base: `//x` stays the path `//x` instead of becoming the host x.
    return new URL(`http://localhost${target}`).pathname
  } catch {
    return undefined
  }
}

/** A request target as a log line or an error message may show it: quoted, and cut when long. */
export function describeTarget(target: string | undefined): string {
  const text = target ?? ''
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
}
