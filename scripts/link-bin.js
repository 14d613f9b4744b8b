// npm does not link a package's own `bin` into its node_modules/.bin; do it so that `npx appcues-actions` works here.
const fs = require('fs')
const path = require('path')

const root = path.join(__dirname, '..')
const manifest = require(path.join(root, 'package.json'))
const binDir = path.join(root, 'node_modules', '.bin')
fs.mkdirSync(binDir, { recursive: true })
for (const [name, target] of Object.entries(manifest.bin)) {
  const link = path.join(binDir, name)
  fs.rmSync(link, { force: true })
  fs.symlinkSync(path.relative(binDir, path.join(root, target)), link)
}
