import fs from 'fs'
import path from 'path'
import ts from 'typescript'

const SRC = path.resolve(__dirname, '..', '..', 'src')

/** The stages of `send`, in the order events go through them: a stage imports only itself and earlier stages. */
const SEND_STAGES = ['read', 'parse', 'route', 'batch', 'deliver', 'record']

/** One import of one file, as paths relative to src/ (with forward slashes). */
interface Edge {
  from: string
  to: string
}

const under = (file: string, folder: string) => file.startsWith(`${folder}/`)

/** The stage a file of send/ belongs to, by position in SEND_STAGES; undefined outside the stage folders. */
function stageOf(file: string): number | undefined {
  const match = /^cli\/send\/([^/]+)\//.exec(file)
  const index = match ? SEND_STAGES.indexOf(match[1]) : -1
  return index >= 0 ? index : undefined
}

/** Files directly in send/ (run, send-run, options, target, index, ...): the orchestration above the stages. */
const isSendOrchestration = (file: string) => /^cli\/send\/[^/]+$/.test(file)

const RULES: { rule: string; breaks: (edge: Edge) => boolean }[] = [
  {
    rule: 'the simulator imports nothing from the toolchain (src/cli/)',
    breaks: ({ from, to }) => under(from, 'simulator') && under(to, 'cli')
  },
  {
    rule: 'the destination folder imports nothing from the toolchain (src/cli/)',
    breaks: ({ from, to }) => under(from, 'destinations') && under(to, 'cli')
  },
  {
    rule: 'src/lib/ imports nothing from the toolchain (src/cli/)',
    breaks: ({ from, to }) => under(from, 'lib') && under(to, 'cli')
  },
  {
    rule: 'src/local-server/ sits below serve and the simulator: it imports neither',
    breaks: ({ from, to }) => under(from, 'local-server') && (under(to, 'cli') || under(to, 'simulator'))
  },
  {
    rule: 'send/ imports nothing from commands/',
    breaks: ({ from, to }) => under(from, 'cli/send') && under(to, 'cli/commands')
  },
  {
    rule: `a stage of send/ imports no later stage (${SEND_STAGES.join(' → ')})`,
    breaks: ({ from, to }) => {
      const [source, target] = [stageOf(from), stageOf(to)]
      return source !== undefined && target !== undefined && target > source
    }
  },
  {
    rule: 'a stage of send/ imports nothing from the run orchestration at the top of send/',
    breaks: ({ from, to }) => stageOf(from) !== undefined && isSendOrchestration(to)
  }
]

/** The edges that break a rule, each with the rule it breaks. */
function violations(edges: Edge[]): string[] {
  return edges.flatMap((edge) =>
    RULES.filter(({ breaks }) => breaks(edge)).map(({ rule }) => `src/${edge.from} imports src/${edge.to}: ${rule}`)
  )
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.ts')
        ? [path.join(dir, entry.name)]
        : []
    )
}

function resolveImport(file: string, specifier: string): string {
  const base = path.resolve(path.dirname(file), specifier)
  const found = [base, `${base}.ts`, path.join(base, 'index.ts')].find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile()
  )
  if (!found) throw new Error(`${path.relative(SRC, file)} imports ${specifier}, which is not a file under src/.`)
  return found
}

/** Every file each .ts file under src/ imports (statically, dynamically, through `export from`, or for types). */
function importGraph(): Edge[] {
  const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/')
  return sourceFiles(SRC).flatMap((file) => {
    const imported = ts
      .preProcessFile(fs.readFileSync(file, 'utf8'), true, true)
      .importedFiles.filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => relative(resolveImport(file, fileName)))
    return [...new Set(imported)].map((to) => ({ from: relative(file), to }))
  })
}

describe('the import graph of src/', () => {
  const edges = importGraph()

  it('reads the imports of every kind', () => {
    const from = (file: string) => edges.filter((edge) => edge.from === file).map((edge) => edge.to)
    expect(from('cli/send/index.ts')).toContain('cli/send/run.ts')
    expect(from('cli/commands/send.ts')).toContain('cli/send/run.ts')
    expect(from('simulator/index.ts')).toContain('simulator/server.ts')
  })

  it('has no edge that breaks a layering rule', () => {
    expect(violations(edges)).toEqual([])
  })

  it('places every folder of send/ in the order of the stages', () => {
    const folders = fs
      .readdirSync(path.join(SRC, 'cli', 'send'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
    expect(folders.sort()).toEqual([...SEND_STAGES].sort())
  })

  it.each([
    [{ from: 'simulator/server.ts', to: 'cli/serve/origins.ts' }, 'the simulator imports nothing'],
    [{ from: 'destinations/appcues/index.ts', to: 'cli/args.ts' }, 'the destination folder imports nothing'],
    [{ from: 'local-server/origins.ts', to: 'simulator/routes.ts' }, 'it imports neither'],
    [{ from: 'cli/send/options.ts', to: 'cli/commands/summaries.ts' }, 'send/ imports nothing from commands/'],
    [{ from: 'cli/send/batch/batcher.ts', to: 'cli/send/record/checkpoint.ts' }, 'imports no later stage'],
    [{ from: 'cli/send/deliver/deliver.ts', to: 'cli/send/send-run.ts' }, 'nothing from the run orchestration']
  ])('refuses %j', (edge, rule) => {
    expect(violations([edge])).toEqual([expect.stringContaining(rule)])
  })

  it.each([
    { from: 'cli/serve/server.ts', to: 'local-server/origins.ts' },
    { from: 'cli/send/deliver/deliver.ts', to: 'cli/send/route/subscriptions.ts' },
    { from: 'cli/send/send-run.ts', to: 'cli/send/record/checkpoint.ts' },
    { from: 'cli/commands/send.ts', to: 'cli/send/run.ts' }
  ])('allows %j', (edge) => {
    expect(violations([edge])).toEqual([])
  })
})
