import type { SimulatorState } from './store'

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

function topEventNames(state: SimulatorState, limit: number): string {
  const byName = new Map<string, number>()
  for (const event of state.events) byName.set(event.name, (byName.get(event.name) ?? 0) + 1)
  const top = [...byName].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit)
  const rest = byName.size - top.length
  return top.map(([name, count]) => `${name} ×${count}`).join(', ') + (rest > 0 ? `, and ${rest} more` : '')
}

/** A short, human view of what the simulated Appcues account holds now. */
export function describeHoldings(state: SimulatorState): string[] {
  const { counts } = state
  const lines = [
    `  user profiles   ${plural(counts.users, 'user')} (${plural(counts.profileUpdates, 'profile update')})`,
    `  events          ${counts.events}${counts.events > 0 ? ` (${topEventNames(state, 4)})` : ''}`,
    `  groups          ${plural(counts.groups, 'group')} (${plural(counts.groupUpdates, 'profile update')}, ${plural(
      counts.memberships,
      'membership call'
    )})`
  ]
  if (counts.deletions > 0) lines.push(`  deletions       ${plural(counts.deletions, 'erasure request')}`)
  if (counts.segmentMessages > 0) lines.push(`  Segment messages ${counts.segmentMessages}`)
  const segments = Object.values(state.segments)
  if (segments.length > 0 || counts.segmentDeletions > 0) {
    const sizes = segments.map((segment) => `${segment.name} ×${segment.members.length}`).join(', ')
    lines.push(
      `  segments        ${plural(segments.length, 'segment')}${sizes ? ` (${sizes})` : ''}${
        counts.segmentDeletions > 0 ? `, ${counts.segmentDeletions} deleted` : ''
      }, ${plural(counts.segmentChanges, 'membership change')}`
    )
  }
  const sample = Object.entries(state.users)[0]
  if (sample) {
    const [userId, attributes] = sample
    const shown = Object.entries(attributes).slice(0, 6)
    const more = Object.keys(attributes).length - shown.length
    const text = shown.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')
    lines.push(`  e.g. user "${userId}": ${text}${more > 0 ? `, … (${more} more)` : ''}`)
  }
  lines.push(
    counts.dropped === 0
      ? '  dropped values  none (Appcues keeps every value it received)'
      : `  dropped values  ${counts.dropped} that real Appcues would silently ignore, e.g. ${state.dropped[0].subject} "${state.dropped[0].key}": ${state.dropped[0].reason}`
  )
  return lines
}
