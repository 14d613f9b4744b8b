import { spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..', '..')

export interface TestRun {
  passed: number
  failed: number
  /** Snapshots written by this run. */
  written: number
  /** Jest's own output, for when something failed. */
  output: string
}

/** The destination project of jest.config.js, with absolute paths so that it works on a folder anywhere. */
function jestConfig(rootDir: string) {
  const resolve = (request: string) => require.resolve(request, { paths: [PACKAGE_ROOT] })
  return {
    rootDir,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': resolve('ts-jest') },
    globals: { 'ts-jest': { isolatedModules: true, tsconfig: path.join(PACKAGE_ROOT, 'tsconfig.json') } },
    modulePaths: [path.join(PACKAGE_ROOT, 'node_modules')],
    setupFilesAfterEnv: [path.join(PACKAGE_ROOT, 'test', 'setup-after-env.ts')],
    testPathIgnorePatterns: ['/node_modules/', '__tests__/__helpers__/']
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
