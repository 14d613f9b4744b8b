import fs from 'fs'
import { generatedTypeFiles } from '../generate/types'
import { loadDestination } from '../load-destination'

/** Writes every generated-types.ts; with `check`, writes nothing and returns the stale files instead. */
export async function generateTypes(options: { check: boolean; log: (line: string) => void }): Promise<number> {
  const { directory, definition } = loadDestination()
  const stale: string[] = []
  for (const file of await generatedTypeFiles(directory, definition)) {
    const current = fs.existsSync(file.path) ? fs.readFileSync(file.path, 'utf8') : undefined
    if (current === file.content) continue
    stale.push(file.path)
    if (!options.check) fs.writeFileSync(file.path, file.content)
  }
  if (options.check) {
    for (const file of stale) options.log(`stale: ${file} (run: npx appcues-actions generate:types)`)
    return stale.length > 0 ? 1 : 0
  }
  for (const file of stale) options.log(`wrote ${file}`)
  if (stale.length === 0) options.log('generated types are up to date')
  return 0
}
