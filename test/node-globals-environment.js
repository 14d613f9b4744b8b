// Jest 27's node environment predates Node 18 and leaves out the globals Node 20 has (fetch, Headers, crypto,
// web streams, structuredClone, ...). The package-level tests (simulator, CLI, playground browser) use them; the
// destination folder's tests run without them, as in the monorepo.
const NodeEnvironment = require('jest-environment-node')

class NodeGlobalsEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context)
    for (const name of Object.getOwnPropertyNames(globalThis)) {
      if (!(name in this.global)) this.global[name] = globalThis[name]
    }
  }
}

module.exports = NodeGlobalsEnvironment
