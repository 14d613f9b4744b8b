import fs from 'fs'
import path from 'path'
import type { Options } from 'prettier'

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..')

/** The prettier options of this package (the monorepo's), read from package.json. */
export function prettierConfig(): Options {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { prettier: Options }
  return manifest.prettier
}
