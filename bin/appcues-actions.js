#!/usr/bin/env node
// Runs the compiled CLI in dist/, which `npm ci` builds (the `prepare` script) and `npm run build` rebuilds. When
// dist/ is missing or older than a file in src/ (a checkout being edited), it runs the TypeScript sources through
// sucrase instead (transpile only, slower to start), so that a command never runs code older than the sources.
const fs = require('fs')
const path = require('path')

const root = path.join(__dirname, '..')
const compiled = path.join(root, 'dist', 'cli', 'index.js')
const sources = path.join(root, 'src')

/** The newest TypeScript source outside tests, as [path, modification time]. */
function newestSource(dir) {
  let newest = ['', 0]
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    const candidate = entry.isDirectory()
      ? entry.name === '__tests__'
        ? newest
        : newestSource(file)
      : entry.name.endsWith('.ts')
      ? [file, fs.statSync(file).mtimeMs]
      : newest
    if (candidate[1] > newest[1]) newest = candidate
  }
  return newest
}

function whyNotCompiled() {
  let builtAt
  try {
    builtAt = fs.statSync(compiled).mtimeMs
  } catch {
    return 'dist/ has not been built'
  }
  if (!fs.existsSync(sources)) return undefined
  const [file, changedAt] = newestSource(sources)
  return changedAt > builtAt ? `${path.relative(root, file)} changed after the last build` : undefined
}

const reason = whyNotCompiled()
if (reason === undefined) {
  require(compiled)
} else {
  if (process.stderr.isTTY) {
    process.stderr.write(
      `appcues-actions: ${reason}, so it runs the TypeScript sources (slower to start). ` +
        'Run `npm run build` to start fast again.\n'
    )
  }
  require('sucrase/dist/register').registerTS()
  require(path.join(sources, 'cli', 'index.ts'))
}
