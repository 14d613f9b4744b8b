export type Severity = 'error' | 'warning'

/** Where a finding is: any of the destination's settings, actions, fields and presets, or a file. */
export interface Place {
  setting?: string
  action?: string
  field?: string
  preset?: string
  file?: string
}

export interface Finding {
  severity: Severity
  /** A monorepo rule's number (A1 … I42, see docs/cli.md), or `contract/…`, `audience/…` for docs/upstream.md's. */
  rule: string
  place: Place
  message: string
  fix: string
}

export function error(rule: string, place: Place, message: string, fix: string): Finding {
  return { severity: 'error', rule, place, message, fix }
}

export function warning(rule: string, place: Place, message: string, fix: string): Finding {
  return { severity: 'warning', rule, place, message, fix }
}

export function describePlace(place: Place): string {
  const parts: string[] = []
  if (place.setting !== undefined) parts.push(`setting "${place.setting}"`)
  if (place.preset !== undefined) parts.push(`preset "${place.preset}"`)
  if (place.action !== undefined) parts.push(`action "${place.action}"`)
  if (place.field !== undefined) parts.push(`field "${place.field}"`)
  if (place.file !== undefined) parts.push(place.file)
  return parts.length > 0 ? parts.join(', ') : 'destination'
}
