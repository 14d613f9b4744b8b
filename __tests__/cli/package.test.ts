import { builtinModules } from 'module'
import fs from 'fs'
import path from 'path'

const ROOT = path.resolve(__dirname, '..', '..')
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string }
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

/** Every .ts and .js file under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file)
    return /\.(ts|js)$/.test(entry.name) ? [file] : []
  })
}

const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm
const TYPE_ONLY = /^\s*import\s+type\b[^'"]*\bfrom\s+['"]([^'"]+)['"]/gm

/** Files under src/ that only tests use (the snapshot tests' seeded data generator). */
const TEST_ONLY_SOURCES = ['src/lib/test-data.ts']

interface Import {
  name: string
  file: string
  /** `import type`: gone after compiling, so a devDependency (or its @types package) is enough. */
  typeOnly: boolean
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/')
const isPackage = (specifier: string) => !/^(\.|\/|node:)/.test(specifier) && !builtinModules.includes(specifier)

/** The packages a file imports: bare specifiers reduced to the package name, without Node's own modules. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8')
  const typeOnly = new Set([...text.matchAll(TYPE_ONLY)].map((match) => match[1]))
  const relative = path.relative(ROOT, file)
  return [...text.matchAll(SPECIFIER)]
    .map((match) => match[1])
    .filter((specifier) => isPackage(packageName(specifier)))
    .map((specifier) => ({ name: packageName(specifier), file: relative, typeOnly: typeOnly.has(specifier) }))
}

const typesPackage = (name: string) => `@types/${name.replace(/^@/, '').replace('/', '__')}`
const isTest = (file: string) => file.split(path.sep).includes('__tests__') || TEST_ONLY_SOURCES.includes(file)

function missing(imports: Import[], declared: (item: Import) => string[]): string[] {
  return imports
    .filter((item) => !declared(item).some((name) => [item.name, typesPackage(item.name)].includes(name)))
    .map((item) => `${item.name} (imported by ${item.file})`)
}

const deps = Object.keys(manifest.dependencies)
const all = [...deps, ...Object.keys(manifest.devDependencies)]
const imports = (folders: string[]) =>
  folders
    .flatMap((folder) => sourceFiles(path.join(ROOT, folder)))
    .filter((file) => file !== __filename)
    .flatMap(importsOf)

describe('package.json', () => {
  it('declares every package that the shipped code imports at run time as a dependency', () => {
    const shipped = imports(['src', 'bin', 'scripts']).filter((item) => !isTest(item.file))
    expect(missing(shipped, (item) => (item.typeOnly ? all : deps))).toEqual([])
  })

  it('declares every package that the tests, benchmarks and helpers import', () => {
    const tests = [...imports(['__tests__', 'bench', 'test']), ...imports(['src']).filter((item) => isTest(item.file))]
    expect(missing(tests, () => all)).toEqual([])
  })

  it('finds an import of a package that is not declared', () => {
    const file = path.join(fs.mkdtempSync(path.join(ROOT, '.tmp-test-')), 'probe.ts')
    try {
      fs.writeFileSync(file, "import type { X } from '@scope/not-declared/deep'\nconst y = require('left-pad')\n")
      expect(missing(importsOf(file), () => ['left-pad'])).toEqual([
        `@scope/not-declared (imported by ${path.relative(ROOT, file)})`
      ])
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    }
  })

  it('asks for the Node.js major version the README names, and this Node.js satisfies it', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const named = /Node\.js (\d+)/.exec(readme)?.[1]
    expect(manifest.engines.node).toBe(`>=${named}`)
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(Number(named))
  })
})
