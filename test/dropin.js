#!/usr/bin/env node
// Runs the destination folder's tests the way Segment's monorepo would after the folder is dropped in: a throwaway
// directory laid out like packages/destination-actions, the monorepo's jest block and compiler options, Jest 27,
// snapshots rewritten with -u (upstream regenerates them with its own generator). Fails on a type error, a failing
// test, or a handle that keeps Jest from exiting. Usage: node test/dropin.js [--keep]
const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const root = path.join(__dirname, '..')
const keep = process.argv.includes('--keep')
const EXIT_GRACE_MS = 15_000

/** The jest block of packages/destination-actions/package.json, less the mappings to the monorepo's own packages. */
const MONOREPO_JEST = {
  preset: 'ts-jest',
  globals: { 'ts-jest': { isolatedModules: true } },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '__tests__/__helpers__/']
}

/** The monorepo's root compiler options with packages/destination-actions' build overrides. */
const MONOREPO_COMPILER_OPTIONS = {
  module: 'commonjs',
  target: 'es2020',
  lib: ['es2020'],
  moduleResolution: 'node',
  esModuleInterop: true,
  resolveJsonModule: true,
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  strictPropertyInitialization: false,
  experimentalDecorators: true,
  skipLibCheck: true,
  useUnknownInCatchVariables: false,
  noEmit: true
}

function assemble() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-dropin-'))
  const pkg = path.join(base, 'packages', 'destination-actions')
  const copy = (from, to) => fs.cpSync(path.join(root, from), path.join(pkg, to), { recursive: true })
  copy('src/destinations/appcues', 'src/destinations/appcues')
  copy('src/lib/test-data.ts', 'src/lib/test-data.ts')
  copy('test/setup-after-env.ts', 'test/setup-after-env.ts')
  const write = (file, value) => fs.writeFileSync(path.join(pkg, file), `${JSON.stringify(value, null, 2)}\n`)
  write('package.json', { name: '@segment/action-destinations', private: true, jest: MONOREPO_JEST })
  write('tsconfig.json', { compilerOptions: MONOREPO_COMPILER_OPTIONS, include: ['src', 'test'] })
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'), 'dir')
  return { base, pkg }
}

function typecheck(pkg) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: pkg, encoding: 'utf8' })
  if (result.status !== 0) return [`type-check with the monorepo's compiler options failed:\n${result.stdout}`]
  return []
}

/** Runs Jest; resolves with its JSON results, or with the reason it could not give them. */
function runJest(pkg) {
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js')
  const results = path.join(pkg, 'jest-results.json')
  const args = [jest, '--ci=false', '-u', '--detectOpenHandles', '--json', `--outputFile=${results}`]
  const env = { ...process.env, TZ: 'UTC', TS_JEST_DISABLE_VER_CHECKER: 'true' }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: pkg, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    let hung = false
    const watch = setInterval(() => {
      if (!fs.existsSync(results) || hung) return
      hung = true
      setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS).unref()
    }, 500)
    child.on('close', (code, signal) => {
      clearInterval(watch)
      const problems = []
      if (signal === 'SIGKILL')
        problems.push(`Jest did not exit within ${EXIT_GRACE_MS / 1000} s of finishing: an open handle.`)
      if (/Jest has detected the following \d+ open handles?/.test(output)) problems.push('Jest reported open handles.')
      if (!fs.existsSync(results)) problems.push(`Jest gave no results (exit ${code}).`)
      resolve({
        results: fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : undefined,
        output,
        problems
      })
    })
  })
}

function failuresOf(results) {
  const failed = []
  for (const suite of results.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.length === 0) failed.push(`${suite.name}: ${suite.message}`)
    for (const test of suite.assertionResults) {
      if (test.status === 'failed') failed.push(`${test.fullName}\n${test.failureMessages.join('\n')}`)
    }
  }
  return failed
}

async function main() {
  const { base, pkg } = assemble()
  try {
    const problems = typecheck(pkg)
    const { results, output, problems: jestProblems } = await runJest(pkg)
    problems.push(...jestProblems)
    if (results) problems.push(...failuresOf(results))
    if (problems.length > 0) {
      process.stderr.write(`${output}\n`)
      for (const problem of problems) process.stderr.write(`drop-in: ${problem}\n`)
    }
    const passed = results ? results.numPassedTests : 0
    const failed = results ? results.numFailedTests : 0
    process.stdout.write(
      `drop-in (packages/destination-actions layout, Jest ${require('jest/package.json').version}): `
    )
    process.stdout.write(`${passed} tests passed, ${failed} failed, ${problems.length} problems\n`)
    return problems.length === 0 ? 0 : 1
  } finally {
    if (keep) process.stdout.write(`drop-in: kept ${base}\n`)
    else fs.rmSync(base, { recursive: true, force: true })
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(`drop-in: ${error.stack}\n`)
    process.exitCode = 1
  }
)
