import path from 'path'
import prettier from 'prettier'
import { prettierConfig } from '../prettier-config'
import type { AnyDestination } from '../load-destination'
import type { GeneratedFile } from './generated-file'
import { HOOK_TYPES } from './types'

/*
 * The public metadata the monorepo writes to <destination>/metadata.json. Key order is part of the format: every object
 * below is built in the order the monorepo serialises it, and values the definition leaves out become null (or false
 * where the format says so). Keys whose value is undefined disappear in JSON, as they do there.
 */

type Loose = Record<string, unknown>
type Choice = { label: unknown; value: unknown }

function asRecord(value: unknown): Loose {
  return typeof value === 'object' && value !== null ? (value as Loose) : {}
}

function normaliseChoices(choices: unknown): Choice[] | null {
  if (!Array.isArray(choices) || choices.length === 0) return null
  return choices.map((choice: unknown) =>
    typeof choice === 'object' && choice !== null && 'label' in choice && 'value' in choice
      ? (choice as Choice)
      : { label: String(choice), value: choice }
  )
}

/** `required` keeps a condition object as it is; anything else is true only when it is exactly true. */
function requiredFlag(required: unknown): unknown {
  return typeof required === 'object' && required !== null ? required : required === true
}

export function settingMetadata(setting: Loose) {
  return {
    label: setting.label,
    description: setting.description,
    type: setting.type,
    required: requiredFlag(setting.required),
    multiple: setting.multiple ?? false,
    choices: normaliseChoices(setting.choices),
    default: setting.default ?? null,
    depends_on: setting.depends_on ?? null
  }
}

function settingsMetadata(fields: Loose) {
  return Object.fromEntries(Object.entries(fields).map(([key, setting]) => [key, settingMetadata(asRecord(setting))]))
}

export function fieldMetadata(field: Loose): Loose {
  const properties =
    field.type === 'object' && typeof field.properties === 'object' && field.properties !== null
      ? fieldsMetadata(field.properties as Loose)
      : null
  return {
    label: field.label,
    description: field.description,
    type: field.type,
    required: requiredFlag(field.required),
    multiple: field.multiple ?? false,
    allowNull: field.allowNull ?? false,
    dynamic: typeof field.dynamic === 'function' ? true : field.dynamic ?? false,
    default: field.default ?? null,
    choices: normaliseChoices(field.choices),
    placeholder: field.placeholder ?? null,
    properties,
    category: field.category ?? null,
    depends_on: field.depends_on ?? null,
    readOnly: field.readOnly ?? null,
    hidden: field.unsafe_hidden ?? null,
    minimum: field.minimum ?? null,
    maximum: field.maximum ?? null,
    defaultObjectUI: field.defaultObjectUI ?? null,
    disabledInputMethods: field.disabledInputMethods ?? null,
    displayMode: field.displayMode ?? null,
    format: field.format ?? null,
    additionalProperties: field.additionalProperties ?? false
  }
}

function fieldsMetadata(fields: Loose): Loose {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, fieldMetadata(asRecord(field))]))
}

function syncModeMetadata(syncMode: unknown) {
  if (!syncMode) return null
  const mode = asRecord(syncMode)
  const choices = Array.isArray(mode.choices) ? (mode.choices as Loose[]) : []
  return {
    default: mode.default,
    label: mode.label ?? 'Sync Mode',
    description: mode.description ?? '',
    choices: choices.map((choice) => ({ value: choice.value, label: choice.label }))
  }
}

function hooksMetadata(hooks: unknown) {
  const result: Loose = {}
  for (const [name, hook] of Object.entries(asRecord(hooks))) {
    if (!HOOK_TYPES.includes(name)) continue
    const { label, description, inputFields, outputTypes, outputFields } = asRecord(hook)
    result[name] = {
      label: label ?? name,
      description: description ?? '',
      inputFields: fieldsMetadata(asRecord(inputFields)),
      outputFields: fieldsMetadata(asRecord(outputTypes ?? outputFields))
    }
  }
  return Object.keys(result).length > 0 ? result : null
}

/** For object-valued dynamic fields, which of `__keys__`/`__values__` have handlers; null when none. */
function dynamicFieldsMetadata(dynamicFields: unknown) {
  if (typeof dynamicFields !== 'object' || dynamicFields === null) return null
  const result: Record<string, string[]> = {}
  for (const [key, handler] of Object.entries(dynamicFields as Loose)) {
    if (typeof handler !== 'object' || handler === null) continue
    const parts = Object.keys(handler).filter((part) => part === '__keys__' || part === '__values__')
    if (parts.length > 0) result[key] = parts
  }
  return Object.keys(result).length > 0 ? result : null
}

export function actionMetadata(key: string, action: Loose) {
  return {
    title: action.title ?? key,
    description: action.description ?? '',
    platform: action.platform === 'web' ? 'web' : 'cloud',
    defaultSubscription: action.defaultSubscription ?? null,
    hidden: action.hidden ?? false,
    hasPerformBatch: typeof action.performBatch === 'function',
    syncMode: syncModeMetadata(action.syncMode),
    hooks: hooksMetadata(action.hooks),
    dynamicFields: dynamicFieldsMetadata(action.dynamicFields),
    fields: fieldsMetadata(asRecord(action.fields))
  }
}

function presetMetadata(preset: Loose) {
  return {
    name: preset.name,
    type: preset.type,
    partnerAction: preset.partnerAction,
    subscribe: preset.subscribe,
    mapping: preset.mapping ?? {},
    eventSlug: preset.eventSlug ?? null
  }
}

export class MetadataGenerationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MetadataGenerationError'
  }
}

/** The metadata object of a destination, keyed and ordered as in the monorepo's metadata.json. */
export function destinationMetadata(slug: string, definition: AnyDestination) {
  if (!slug) {
    throw new MetadataGenerationError(
      'metadata.json generation requires a slug. Set `slug` in the definition (for example "actions-appcues").'
    )
  }
  const def = definition as unknown as Loose
  const auth = def.authentication === undefined ? undefined : asRecord(def.authentication)
  const authFields = auth?.fields ?? def.settings
  const hasFields = Object.keys(asRecord(authFields)).length > 0
  const authentication =
    auth || hasFields ? { scheme: auth?.scheme ?? 'custom', fields: settingsMetadata(asRecord(authFields)) } : null

  let audienceConfig = null
  if (def.audienceConfig) {
    const config = asRecord(def.audienceConfig)
    const mode = asRecord(config.mode)
    audienceConfig = {
      mode:
        mode.type === 'synced'
          ? { type: 'synced', full_audience_sync: mode.full_audience_sync ?? false }
          : { type: 'realtime' },
      audienceFields: settingsMetadata(asRecord(def.audienceFields)),
      supportsAudienceFunctions: typeof config.createAudience === 'function' && typeof config.getAudience === 'function'
    }
  }

  const actions = Object.fromEntries(
    Object.entries(asRecord(def.actions)).map(([key, action]) => [key, actionMetadata(key, asRecord(action))])
  )
  const presets = (Array.isArray(def.presets) ? (def.presets as unknown[]) : []).map((preset) =>
    presetMetadata(asRecord(preset))
  )

  return {
    slug,
    name: def.name,
    mode: def.mode ?? 'cloud',
    description: def.description,
    authentication,
    audienceConfig,
    actions,
    presets
  }
}

/** The slug the monorepo uses: the definition's own, else the folder name. */
export function destinationSlug(destinationDir: string, definition: AnyDestination): string {
  return definition.slug ?? path.basename(destinationDir)
}

/** metadata.json as the monorepo writes it: two-space JSON plus a newline, then formatted by prettier. */
export function renderMetadata(metadata: unknown): string {
  const json = JSON.stringify(metadata, null, 2) + '\n'
  return prettier.format(json, { ...prettierConfig(), parser: 'json' })
}

export function metadataFile(destinationDir: string, definition: AnyDestination): GeneratedFile {
  const metadata = destinationMetadata(destinationSlug(destinationDir, definition), definition)
  return { path: path.join(destinationDir, 'metadata.json'), content: renderMetadata(metadata) }
}
