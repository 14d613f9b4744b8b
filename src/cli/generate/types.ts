import fs from 'fs'
import path from 'path'
import { fieldsToJsonSchema } from '@segment/actions-core'
import type { JSONSchema4 } from 'json-schema'
import { compile } from 'json-schema-to-typescript'
import { prettierConfig } from '../prettier-config'
import type { AnyDestination } from '../load-destination'
import type { GeneratedFile } from './generated-file'

export type { GeneratedFile } from './generated-file'

export const BANNER = '// Generated file. DO NOT MODIFY IT BY HAND.'

/** The hook names actions-core knows (`hookTypeStrings`); the monorepo's generator rejects any other. */
export const HOOK_TYPES = ['onMappingSave', 'retlOnMappingSave']

/** Setting keys (lower-cased) that an `oauth2` destination may not use (the monorepo CLI's RESERVED_FIELD_NAMES). */
export const OAUTH_RESERVED_SETTING_KEYS = [
  'oauth',
  'oauth2',
  'accesstoken',
  'access-token',
  'acccess_token',
  'refresh-token',
  'refresh_token',
  'token_type',
  'apikey',
  'apisecret',
  'clientsecret',
  'password',
  'secretkey',
  'secret',
  'securitytoken'
]

type Fields = Parameters<typeof fieldsToJsonSchema>[0]

export class TypesGenerationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TypesGenerationError'
  }
}

/**
 * Drops `title` and `enum` from a schema node and from the schemas of its properties and array items (not from
 * other keys), exactly as the monorepo's generator does, so that choices stay plain strings.
 */
function withoutTitlesAndEnums(schema: JSONSchema4): JSONSchema4 {
  const { title: _title, enum: _enum, ...rest } = schema
  if (rest.type === 'object' && rest.properties) {
    const properties = Object.entries(rest.properties).map(([key, child]) => [key, withoutTitlesAndEnums(child)])
    return { ...rest, properties: Object.fromEntries(properties) as Record<string, JSONSchema4> }
  }
  if (rest.type === 'array' && rest.items && !Array.isArray(rest.items)) {
    return { ...rest, items: withoutTitlesAndEnums(rest.items) }
  }
  return rest
}

export function renderInterface(fields: Fields, name: string, bannerComment = BANNER): Promise<string> {
  const schema = withoutTitlesAndEnums(fieldsToJsonSchema(fields, { tsType: true }))
  return compile(schema, name, { bannerComment, style: prettierConfig() })
}

interface HookLike {
  inputFields?: Fields
  outputTypes?: Fields
}

/**
 * The hooks' interfaces as the monorepo writes them after the Payload: `<hook>Inputs` and `<hook>Outputs` (named in
 * PascalCase by the compiler), each with its own banner, for the hooks that declare them.
 */
async function hookInterfaces(actionKey: string, hooks: Record<string, HookLike | undefined>): Promise<string> {
  let content = ''
  for (const [hookName, hook] of Object.entries(hooks)) {
    if (!HOOK_TYPES.includes(hookName)) {
      throw new TypesGenerationError(
        `The action "${actionKey}" has a hook named "${hookName}". Rename it to one of: ${HOOK_TYPES.join(', ')}.`
      )
    }
    if (hook?.inputFields) content += await renderInterface(hook.inputFields, `${hookName}Inputs`)
    if (hook?.outputTypes) content += await renderInterface(hook.outputTypes, `${hookName}Outputs`)
  }
  return content
}

function checkReservedSettingKeys(definition: AnyDestination): void {
  if (definition.authentication?.scheme !== 'oauth2') return
  for (const key of Object.keys(definition.authentication.fields ?? {})) {
    if (OAUTH_RESERVED_SETTING_KEYS.includes(key.toLowerCase())) {
      throw new TypesGenerationError(
        `The setting "${key}" uses a name reserved for OAuth destinations. Rename the setting (its key, not its label).`
      )
    }
  }
}

/** Where the monorepo writes an action's Payload: inside the action's folder, or beside it when there is none. */
export function actionTypesPath(destinationDir: string, actionKey: string): string {
  return fs.existsSync(path.join(destinationDir, actionKey))
    ? path.join(destinationDir, actionKey, 'generated-types.ts')
    : path.join(destinationDir, `${actionKey}.types.ts`)
}

/** Every generated-types.ts file of a destination folder, with the content the monorepo's generator writes. */
export async function generatedTypeFiles(destinationDir: string, definition: AnyDestination): Promise<GeneratedFile[]> {
  checkReservedSettingKeys(definition)
  let settings = await renderInterface(definition.authentication?.fields ?? {}, 'Settings')
  const audienceFields = (definition as { audienceFields?: Fields }).audienceFields ?? {}
  if (Object.keys(audienceFields).length > 0) settings += await renderInterface(audienceFields, 'AudienceSettings')
  const files: GeneratedFile[] = [{ path: path.join(destinationDir, 'generated-types.ts'), content: settings }]

  for (const [key, action] of Object.entries(definition.actions)) {
    let content = await renderInterface(action.fields ?? {}, 'Payload')
    const hooks = (action as { hooks?: Record<string, HookLike | undefined> }).hooks
    if (hooks) content += await hookInterfaces(key, hooks)
    files.push({ path: actionTypesPath(destinationDir, key), content })
  }
  return files
}
