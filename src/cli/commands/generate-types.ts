import fs from 'fs'
import type { Command } from '../command'
import { generatedTypeFiles } from '../generate/types'
import { loadDestination } from '../load-destination'

/** Writes every generated-types.ts; with `check`, writes nothing and lists the stale files instead. */
export async function generateTypes(check: boolean, log: (line: string) => void): Promise<number> {
  const { directory, definition } = loadDestination()
  const stale: string[] = []
  for (const file of await generatedTypeFiles(directory, definition)) {
    const current = fs.existsSync(file.path) ? fs.readFileSync(file.path, 'utf8') : undefined
    if (current === file.content) continue
    stale.push(file.path)
    if (!check) fs.writeFileSync(file.path, file.content)
  }
  if (check) {
    for (const file of stale) log(`stale: ${file} (run: npx appcues-actions generate:types)`)
    if (stale.length === 0) log('generated types are up to date')
    return stale.length > 0 ? 1 : 0
  }
  for (const file of stale) log(`wrote ${file}`)
  if (stale.length === 0) log('generated types are up to date')
  return 0
}

export const generateTypesCommand: Command = {
  summary: 'write the generated-types.ts files (with --check, verify them and exit 1 if any is stale)',
  usage: 'generate:types [--check]',
  run: (args, io) => generateTypes(args.includes('--check'), io.stdout)
}
