import { spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import cloneDeepWith from 'lodash/cloneDeepWith'
import mapValues from 'lodash/mapValues'

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..', '..')

export interface TestRun {
  passed: number
  failed: number
  /** Snapshots written by this run. */
  written: number
  /** Jest's own output, for when something failed. */
  output: string
}

type JestProject = Record<string, unknown>

/**
 * The destination project of this package's jest.config.js, run on a folder anywhere: its tests are the folder's,
 * `<rootDir>` elsewhere in the project stands for this package, and ts-jest, the compiler options and the modules
 * the tests import are this package's. The project's ts-jest preset is left out: it only names the transform, which
 * is resolved here (Jest would look for a preset next to the folder).
 */
function jestConfig(rootDir: string): JestProject {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { projects } = require(path.join(PACKAGE_ROOT, 'jest.config.js')) as { projects: JestProject[] }
  const { preset: _preset, ...project } = cloneDeepWith(projects[0], (value: unknown) =>
    typeof value === 'string' ? value.replace('<rootDir>', PACKAGE_ROOT) : undefined
  ) as JestProject
  const resolve = (request: string) => require.resolve(request, { paths: [PACKAGE_ROOT] })
  const transform = project.transform as Record<string, string>
  const globals = project.globals as { 'ts-jest': Record<string, unknown> }
  return {
    ...project,
    rootDir,
    roots: [rootDir],
    transform: mapValues(transform, resolve),
    globals: { ...globals, 'ts-jest': { ...globals['ts-jest'], tsconfig: path.join(PACKAGE_ROOT, 'tsconfig.json') } },
    modulePaths: [path.join(PACKAGE_ROOT, 'node_modules')]
  }
}

interface JestResults {
  numPassedTests: number
  numFailedTests: number
  numRuntimeErrorTestSuites: number
  snapshot: { added: number }
}

/**
 * Runs the test files with Jest 27, as `npm run test:unit` would. With `writeSnapshots`, new snapshots are written
 * even under CI=true: that is how the snapshot of a new action is recorded once, so that CI compares against it.
 * Without it, a missing snapshot fails, as in CI.
 */
export function runActionTests(
  files: string[],
  rootDir: string,
  { writeSnapshots }: { writeSnapshots: boolean }
): Promise<TestRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-generate-action-'))
  const resultsFile = path.join(scratch, 'results.json')
  const args = [
    require.resolve('jest/bin/jest', { paths: [PACKAGE_ROOT] }),
    '--config',
    JSON.stringify(jestConfig(rootDir)),
    `--ci=${String(!writeSnapshots)}`,
    '--watchman=false',
    '--json',
    `--outputFile=${resultsFile}`,
    '--runTestsByPath',
    ...files
  ]
  const env = { ...process.env, TZ: 'UTC', TS_JEST_DISABLE_VER_CHECKER: 'true' }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', () => {
      try {
        if (!fs.existsSync(resultsFile)) {
          resolve({ passed: 0, failed: files.length, written: 0, output })
          return
        }
        const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as JestResults
        resolve({
          passed: results.numPassedTests,
          failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
          written: results.snapshot.added,
          output
        })
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true })
      }
    })
  })
}
