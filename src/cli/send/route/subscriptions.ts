import fs from 'fs'
import { parseFql, validate } from '@segment/destination-subscriptions'
import type {
  DestinationDefinition,
  JSONObject,
  SegmentEvent,
  Subscription as CoreSubscription
} from '@segment/actions-core'
import { UsageError } from '../../args'
import { isObject } from '../../event-shape'

/** One subscription as Segment stores it: an FQL filter, the action it triggers and that action's mapping. */
export interface Subscription {
  /** Unique within a run; dead-letter lines name it so that a re-send runs only that subscription. */
  name: string
  subscribe: string
  partnerAction: string
  mapping: JSONObject
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = DestinationDefinition<any>

/** The subscriptions Segment creates from the destination's automatic presets, each with the preset's query. */
export function automaticPresetSubscriptions(definition: AnyDefinition): Subscription[] {
  return (definition.presets ?? []).flatMap((preset) =>
    preset.type === 'automatic'
      ? [
          {
            name: preset.name ?? preset.partnerAction,
            subscribe: preset.subscribe,
            partnerAction: preset.partnerAction,
            mapping: preset.mapping ?? {}
          }
        ]
      : []
  )
}

/**
 * The destination's presets, as the subscriptions Segment creates from them. An automatic preset keeps its query. A
 * specificEvent preset has none: Segment's Linked Audiences and Journeys pick the events it takes. For each action
 * such presets point at, one subscription stands in for them with the action's default subscription (which takes
 * the audience, Linked Audience and Journeys events in a file) and the presets' mapping.
 */
export function presetSubscriptions(definition: AnyDefinition): Subscription[] {
  const automatic = automaticPresetSubscriptions(definition)
  const emitted = new Map<string, JSONObject>()
  for (const preset of definition.presets ?? []) {
    if (preset.type === 'specificEvent' && !emitted.has(preset.partnerAction)) {
      emitted.set(preset.partnerAction, preset.mapping ?? {})
    }
  }
  const audiences = [...emitted].flatMap(([partnerAction, mapping]) => {
    const subscribe = definition.actions[partnerAction]?.defaultSubscription
    return subscribe ? [{ name: `Audience events (${partnerAction})`, subscribe, partnerAction, mapping }] : []
  })
  return [...automatic, ...audiences]
}

function checkEntry(entry: unknown, index: number, definition: AnyDefinition, file: string): Subscription {
  const where = `${file}, entry ${index + 1}`
  if (!isObject(entry))
    throw new UsageError(`${where}: each entry must be an object {subscribe, partnerAction, mapping}.`)
  const { subscribe, partnerAction, mapping, name } = entry
  if (typeof subscribe !== 'string' || !subscribe.trim()) {
    throw new UsageError(`${where}: "subscribe" must be an FQL filter such as 'type = "track"'.`)
  }
  const actions = Object.keys(definition.actions)
  if (typeof partnerAction !== 'string' || !actions.includes(partnerAction)) {
    throw new UsageError(
      `${where}: "partnerAction" must be one of ${actions.join(', ')}; got ${JSON.stringify(partnerAction)}.`
    )
  }
  if (mapping !== undefined && !isObject(mapping)) throw new UsageError(`${where}: "mapping" must be an object.`)
  const fields = Object.keys(definition.actions[partnerAction].fields ?? {})
  // Besides fields, a saved mapping holds its sync mode (__segment_internal_sync_mode) and what its hooks saved.
  const hooks = Object.keys(definition.actions[partnerAction].hooks ?? {})
  const unknown = Object.keys(mapping ?? {}).filter(
    (key) => !fields.includes(key) && !hooks.includes(key) && !key.startsWith('__segment_internal')
  )
  if (unknown.length > 0) {
    throw new UsageError(
      `${where}: ${partnerAction} has no field ${unknown
        .map((key) => `"${key}"`)
        .join(', ')}. Its fields are ${fields.join(', ')}.`
    )
  }
  if (name !== undefined && typeof name !== 'string') throw new UsageError(`${where}: "name" must be text.`)
  return {
    name: name ?? `${partnerAction} #${index + 1}`,
    subscribe,
    partnerAction,
    mapping: (mapping ?? {}) as JSONObject
  }
}

/** Reads a mapping file: a JSON list of `{subscribe, partnerAction, mapping, name?}`. */
export function loadMappingFile(file: string, definition: AnyDefinition): Subscription[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message
    throw new UsageError(`Cannot read the mapping file ${file}: ${reason}.`)
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new UsageError(
      `The mapping file ${file} must hold a non-empty JSON list of {subscribe, partnerAction, mapping}.`
    )
  }
  const subscriptions = parsed.map((entry, index) => checkEntry(entry, index, definition, file))
  const names = subscriptions.map((subscription) => subscription.name)
  const repeated = names.find((name, index) => names.indexOf(name) !== index)
  if (repeated) throw new UsageError(`The mapping file ${file} names two entries "${repeated}"; names must be unique.`)
  return subscriptions
}

/** Whether the subscription's action has a `performBatch`: Segment batches only those, and sends others one by one. */
export function takesBatches(definition: AnyDefinition, subscription: { partnerAction: string }): boolean {
  return definition.actions[subscription.partnerAction]?.performBatch !== undefined
}

/** The shape actions-core reads from `settings.subscriptions`. */
export function toCoreSubscription(subscription: Subscription): CoreSubscription {
  return { subscribe: subscription.subscribe, partnerAction: subscription.partnerAction, mapping: subscription.mapping }
}

/** The subscription's filter, as actions-core applies it before a batch reaches the action. */
export function matcher(subscription: Subscription): (event: SegmentEvent) => boolean {
  const parsed = parseFql(subscription.subscribe)
  // An unparsable filter is refused before sending starts; should one get here, actions-core reports it per event.
  if ('error' in parsed) return () => true
  // A filter that cannot read the event counts as a match too: actions-core then says what is wrong with it.
  return (event) => {
    try {
      return validate(parsed, event)
    } catch {
      return true
    }
  }
}

/** A short stable fingerprint, so that a checkpoint is not resumed with other subscriptions. */
export function fingerprint(value: unknown): string {
  let hash = 0x811c9dc5
  for (const char of JSON.stringify(value)) {
    hash ^= char.charCodeAt(0)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}
