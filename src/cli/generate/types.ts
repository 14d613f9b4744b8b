import path from 'path'
import { fieldsToJsonSchema } from '@segment/actions-core'
import type { JSONSchema4 } from 'json-schema'
import { compile } from 'json-schema-to-typescript'
import { prettierConfig } from '../prettier-config'
import type { AnyDestination } from '../load-destination'

export const BANNER = '// Generated file. DO NOT MODIFY IT BY HAND.'

type Fields = Parameters<typeof fieldsToJsonSchema>[0]

export interface GeneratedFile {
  path: string
  content: string
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

export function renderInterface(fields: Fields, name: string): Promise<string> {
  const schema = withoutTitlesAndEnums(fieldsToJsonSchema(fields, { tsType: true }))
  return compile(schema, name, { bannerComment: BANNER, style: prettierConfig() })
}

/** Every generated-types.ts file of a destination folder, with the content the monorepo's generator writes. */
export async function generatedTypeFiles(destinationDir: string, definition: AnyDestination): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [
    {
      path: path.join(destinationDir, 'generated-types.ts'),
      content: await renderInterface(definition.authentication?.fields ?? {}, 'Settings')
    }
  ]
  for (const [key, action] of Object.entries(definition.actions)) {
    files.push({
      path: path.join(destinationDir, key, 'generated-types.ts'),
      content: await renderInterface(action.fields, 'Payload')
    })
  }
  return files
}
