import { isDeletionAction } from '../deletion-action'
import type { ValidationContext } from './context'
import { error } from './finding'
import { fqlTree } from './fql'
import type { FqlNode } from './fql'
import type { Finding } from './finding'
import { list, record, recordEntries, show } from './shape'
import type { Loose } from './shape'
import { LIVE_SETTINGS } from './rules-contract'

/*
 * The upstream-native decisions that docs/upstream.md says validate checks: what Segment's reviewers expect of this
 * folder beyond the live destination's identity. Each rule is an error, because each one is a reason a reviewer would
 * send the pull request back.
 */

/** Settings beyond the live four: credentials only, never a host, URL or endpoint. */
const ADDED_SETTINGS: Record<string, { type: string }> = { legacyApiKey: { type: 'password' } }

/** Actions whose Appcues call takes one item: a `performBatch` could only fan out. */
const ONE_ITEM_ACTIONS = ['trackEvent', 'pageView']

function leaves(node: FqlNode): FqlNode[] {
  return Array.isArray(node.children) ? node.children.flatMap(leaves) : [node]
}

/** Whether the query reads Engage data: the personas context or Engage's audience events. */
function needsEngage(tree: FqlNode): boolean {
  return leaves(tree).some(
    (leaf) =>
      (leaf.type === 'event-context' && String(leaf.name).startsWith('personas')) ||
      (leaf.type === 'event' && ['Audience Entered', 'Audience Exited'].includes(String(leaf.value)))
  )
}

/** Whether every call the query matches has a User ID (`userId != null` at the top level). */
function requiresUserId(tree: FqlNode): boolean {
  const top = tree.type === 'group' && tree.operator === 'and' ? tree.children ?? [] : [tree]
  return top.some((node) => node.type === 'userId' && node.operator === 'exists')
}

function readsEngage(action: Loose): boolean {
  return JSON.stringify(action.fields ?? {}).includes('$.context.personas') || action.syncMode !== undefined
}

export function upstreamRules(context: ValidationContext): Finding[] {
  return [...settingRules(context), ...presetRules(context), ...deletionRules(context), ...batchRules(context)]
}

function settingRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, setting] of recordEntries(record(definition.authentication).fields)) {
    if (key in LIVE_SETTINGS) continue
    const added = ADDED_SETTINGS[key]
    if (!added) {
      findings.push(
        error(
          'contract/settings',
          { setting: key },
          `The setting "${key}" is neither one of the live four nor a credential this destination needs.`,
          `Remove it. Requests go only to Appcues' documented hosts, so no setting may choose a host, URL or endpoint; the settings are ${[
            ...Object.keys(LIVE_SETTINGS),
            ...Object.keys(ADDED_SETTINGS)
          ].join(', ')}.`
        )
      )
    } else if (setting.type !== added.type) {
      findings.push(
        error(
          'contract/settings',
          { setting: key },
          `The setting "${key}" has the type ${show(setting.type)}; it holds a credential.`,
          `Set \`type: '${added.type}'\`.`
        )
      )
    }
  }
  return findings
}

function presetRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const actions = record(definition.actions)
  for (const preset of list(definition.presets).map(record)) {
    if (preset.type !== 'automatic') continue
    const name = String(preset.name)
    const tree = fqlTree(preset.subscribe)
    const action = record(actions[String(preset.partnerAction)])
    const place = { preset: name, action: String(preset.partnerAction) }
    if ((tree && needsEngage(tree)) || readsEngage(action)) {
      findings.push(
        error(
          'contract/presets',
          place,
          `The automatic preset "${name}" needs Engage data, but automatic presets are created for every new connection, whatever its source.`,
          "Remove it, or make it an `audienceConfig`-driven or `type: 'specificEvent'` preset for Engage."
        )
      )
    }
    const userId = record(record(action.fields).userId)
    if (tree && userId.required === true && !requiresUserId(tree)) {
      findings.push(
        error(
          'contract/presets',
          place,
          `The automatic preset "${name}" subscribes calls without a User ID, which its action refuses: every anonymous call would become an error.`,
          `Add \`and userId != null\` to its \`subscribe\` query (${show(preset.subscribe)}).`
        )
      )
    }
  }
  for (const [key, action] of recordEntries(actions)) {
    const tree = fqlTree(action.defaultSubscription)
    if (!tree || record(record(action.fields).userId).required !== true || requiresUserId(tree)) continue
    findings.push(
      error(
        'contract/presets',
        { action: key },
        `The default subscription of the action "${key}" takes calls without a User ID, which the action refuses: a customer who adds it turns every anonymous call into an error.`,
        `Add \`and userId != null\` to its \`defaultSubscription\` (${show(action.defaultSubscription)}).`
      )
    )
  }
  return findings
}

function deletionRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  const deletions = recordEntries(definition.actions).filter(([key, action]) => isDeletionAction(key, action))
  for (const [key, action] of deletions) {
    const queries: Array<[string, unknown, { preset?: string }]> = [
      ['its `defaultSubscription`', action.defaultSubscription, {}],
      ...list(definition.presets)
        .map(record)
        .filter((preset) => preset.partnerAction === key)
        .map((preset): [string, unknown, { preset?: string }] => [
          `the preset "${String(preset.name)}"`,
          preset.subscribe,
          { preset: String(preset.name) }
        ])
    ]
    for (const [where, query, place] of queries) {
      const tree = fqlTree(query)
      if (!tree || !leaves(tree).some((leaf) => leaf.type === 'event')) continue
      findings.push(
        error(
          'contract/deletion',
          { action: key, ...place },
          `The deletion action "${key}" subscribes by default, through ${where}, to a custom event (${show(
            query
          )}): an irreversible erasure would run on an event name nobody chose for it.`,
          'Remove the subscription; users pick the event that erases a user when they add the mapping.'
        )
      )
    }
  }
  return findings
}

function batchRules({ definition }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const [key, action] of recordEntries(definition.actions)) {
    if (!ONE_ITEM_ACTIONS.includes(key)) continue
    const batchFields = ['enable_batching', 'batch_size', 'batch_keys'].filter(
      (field) => field in record(action.fields)
    )
    if (action.performBatch === undefined && batchFields.length === 0) continue
    findings.push(
      error(
        'contract/batching',
        { action: key },
        `The action "${key}" has ${
          action.performBatch === undefined ? `the batch fields ${batchFields.join(', ')}` : 'a `performBatch`'
        }, but Appcues takes its items one at a time, so a batch could only be sent as one request per event.`,
        'Remove `performBatch` and the batch fields; keep batching for the actions whose Appcues call merges or takes a list.'
      )
    )
  }
  return findings
}
