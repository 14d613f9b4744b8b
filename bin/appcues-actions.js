#!/usr/bin/env node
// Runs the TypeScript sources directly, so that commands always see the destination as it is on disk.
const path = require('path')

require('ts-node').register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json')
})
require('../src/cli/index.ts')
