import { spawn } from 'child_process'
import startCase from 'lodash/startCase'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { generateActionCommand } from '../../src/cli/commands/generate-action'
import { runActionTests } from '../../src/cli/generate/action/run-tests'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { validateDestination } from '../../src/cli/validate'
import { deriveStage, STAGES } from '../../test/stages'
import { captureIO, filesOf } from './__helpers__/destination-copy'

const ROOT = path.resolve(__dirname, '..', '..')

/** markCheckpoint, unless the destination already has an action of that name (someone generated it): then another. */
const KEY = ['markCheckpoint', 'markMilestone', 'markStage'].find(
  (key) => !fs.existsSync(path.join(DESTINATION_DIR, key))
)!
const TITLE = startCase(KEY)
const TIMEOUT = 240_000

/** Runs a program to its end in `cwd`: exit status, standard output and standard error. */
function run(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH }, stdio: 'pipe' })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

/** The scratch checkout's own executable, run there. */
const cli = (args: string[], root: string) => run([path.join(root, 'bin', 'appcues-actions.js'), ...args], root)

/**
 * A throwaway checkout: copies of src/, test/, bin/, package.json and jest.config.js, this package's node_modules,
 * and a tsconfig.json that type-checks the copy with the package's compiler options. Its own executable works on its
 * own src/, so nothing run there can reach the package's destination folder.
 */
function scratchCheckout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-generate-action-'))
  for (const part of ['src', 'test', 'bin', 'package.json', 'jest.config.js']) {
    fs.cpSync(path.join(ROOT, part), path.join(root, part), { recursive: true })
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir')
  const tsconfig = { extends: path.join(ROOT, 'tsconfig.json'), compilerOptions: { rootDir: '.' }, include: ['src'] }
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig))
  return root
}

describe(`generate:action ${KEY} server, in a throwaway copy of src/`, () => {
  const DESTINATION = path.join('src', 'destinations', 'appcues')
  let root: string
  let dir: string
  let before: Record<string, string>
  let generation: { code: number | null; out: string; err: string }
  const packageFolder = filesOf(DESTINATION_DIR)

  beforeAll(async () => {
    root = scratchCheckout()
    dir = path.join(root, DESTINATION)
    before = filesOf(dir)
    generation = await cli(['generate:action', KEY, 'server'], root)
  }, TIMEOUT)

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  afterAll(() => {
    expect(filesOf(DESTINATION_DIR)).toEqual(packageFolder)
  })

  it('writes the action folder, registers it, generates its files and prints the four next steps', () => {
    expect({ code: generation.code, err: generation.err }).toEqual({ code: 0, err: '' })
    const added = Object.keys(filesOf(dir)).filter((file) => !(file in before))
    expect(added.sort()).toEqual(
      [
        'index.ts',
        'generated-types.ts',
        '__tests__/index.test.ts',
        '__tests__/snapshot.test.ts',
        '__tests__/__snapshots__/snapshot.test.ts.snap'
      ]
        .map((file) => `${KEY}/${file}`)
        .sort()
    )
    const steps = generation.out.slice(generation.out.indexOf('Next steps:'))
    expect([...steps.matchAll(/^ {2}(\d)\. (\w+):/gm)].map((match) => `${match[1]} ${match[2]}`)).toEqual([
      '1 Fields',
      '2 perform',
      '3 Presets',
      '4 Docs'
    ])
    expect(steps).toContain('POST /v2/accounts/{account}/users/{user}/events')
  })

  it('adds only the import and the action key to index.ts, keeping the rest of its text', () => {
    const after = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8')
    const original = before['index.ts']
    const importLine = `import ${KEY} from './${KEY}'`
    const lastImport = [...original.matchAll(/^import .*$/gm)].pop()![0]
    expect(after).toContain(`${lastImport}\n${importLine}\n`)
    expect(after).toContain(`,\n    ${KEY}\n  }\n`)
    expect(after.replace(`\n${importLine}`, '').replace(`,\n    ${KEY}\n`, '\n')).toBe(original)
  })

  it('writes an action with labelled, described fields, a default subscription and a perform through functions.ts', () => {
    const action = fs.readFileSync(path.join(dir, KEY, 'index.ts'), 'utf8')
    expect(action).toContain(`title: '${TITLE}'`)
    expect(action).toContain(`defaultSubscription: 'type = "track" and event = "${TITLE}" and userId != null'`)
    expect(action).toContain("} from '../functions'")
    expect(action).toMatch(/appcuesRequest\(request, apiUrl\(settings, `\/users\/\$\{encodeId\(/)
  })

  it(
    'type-checks with the package compiler options',
    async () => {
      const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
      const result = await run([tsc, '--noEmit', '-p', 'tsconfig.json'], root)
      expect({ code: result.code, out: result.out }).toEqual({ code: 0, out: '' })
    },
    TIMEOUT
  )

  it(
    'passes generate:types --check, generate:metadata --check and validate without a warning',
    async () => {
      const [types, metadata, validation] = await Promise.all([
        cli(['generate:types', '--check', '--path', DESTINATION], root),
        cli(['generate:metadata', '--check', '--path', DESTINATION], root),
        cli(['validate', '--path', DESTINATION], root)
      ])
      expect([types.code, types.err, metadata.code, metadata.err]).toEqual([0, '', 0, ''])
      expect({ code: validation.code, out: validation.out.trim() }).toEqual({
        code: 0,
        out: `"Appcues (Actions)" (${DESTINATION}): 0 error(s), 0 warning(s). Validation passed.`
      })
    },
    TIMEOUT
  )

  it(
    "passes the new action's tests as CI runs them: the snapshot was recorded, nothing new is written",
    async () => {
      const tests = ['index.test.ts', 'snapshot.test.ts'].map((file) => path.join(dir, KEY, '__tests__', file))
      const result = await runActionTests(tests, dir, { writeSnapshots: false })
      expect({ passed: result.passed, failed: result.failed, written: result.written }).toEqual({
        passed: 8,
        failed: 0,
        written: 0
      })
      const snapshot = fs.readFileSync(
        path.join(dir, KEY, '__tests__', '__snapshots__', 'snapshot.test.ts.snap'),
        'utf8'
      )
      expect(snapshot).toContain(`exports[\`Testing snapshot for Appcues's ${KEY} destination action: all fields 1\`]`)
      expect(snapshot).toContain('"method": "POST"')
    },
    TIMEOUT
  )

  it('lands in the last upstream pull request: the earlier stages are derived as if it did not exist', () => {
    const derive = (from: Record<string, string> | string, stageIndex: number) => {
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-stage-')), 'appcues')
      if (typeof from === 'string') fs.cpSync(from, copy, { recursive: true })
      else
        for (const [file, text] of Object.entries(from)) {
          fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true })
          fs.writeFileSync(path.join(copy, file), text)
        }
      deriveStage(copy, STAGES[stageIndex])
      const { 'metadata.json': _metadata, ...files } = filesOf(copy)
      fs.rmSync(path.dirname(copy), { recursive: true, force: true })
      return files
    }
    for (const stage of STAGES.slice(0, -1).keys()) {
      expect({ stage, files: derive(dir, stage) }).toEqual({ stage, files: derive(before, stage) })
    }
    const last = derive(dir, STAGES.length - 1)
    expect(Object.keys(last)).toContain(`${KEY}/index.ts`)
    expect(last['index.ts']).toContain(`import ${KEY} from './${KEY}'`)
  })

  it(
    'lists the new action in list-required-fields',
    async () => {
      const listed = await cli(['list-required-fields', '--json', '--path', DESTINATION], root)
      expect(listed.code).toBe(0)
      expect((JSON.parse(listed.out) as Record<string, Record<string, string[]>>)['Appcues (Actions)']).toMatchObject({
        [KEY]: ['userId']
      })
    },
    TIMEOUT
  )

  it(
    'refuses, with a usage error (exit 2) and no change, an existing name, an invalid one and a browser action',
    async () => {
      const generated = filesOf(dir)
      const cases: Array<[string[], string]> = [
        [[KEY, 'server'], `The destination already has an action "${KEY}"`],
        [['track-event', 'server'], 'The destination already has an action "trackEvent"'],
        [['trackevent', 'server'], '"trackevent" differs from the existing action "trackEvent" only in case.'],
        [['2fa', 'server'], '"2fa" cannot name an action: its key "2Fa" starts with a digit.'],
        [['+++', 'server'], '"+++" cannot name an action: it has no letters or digits.'],
        [['delete', 'server'], '"delete" cannot name an action: its key "delete" is a reserved word of TypeScript.'],
        [['functions', 'server'], 'functions.ts already exists, so "functions" cannot name an action folder.'],
        [['region', 'server'], '"region" is already a name in index.ts'],
        [['checkout', 'server', '--title', 'Say "hi"'], 'The title "Say "hi"" cannot be used'],
        [['checkout', 'server', '--title', 'x'.repeat(128)], 'it is longer than 127 characters'],
        [['markReady', 'browser'], 'Only server actions can be generated'],
        [['markReady', 'lambda'], "Unknown action type 'lambda'. The type must be server."],
        [['markReady'], "Missing required argument 'type'"]
      ]
      const answers = await Promise.all(
        cases.map(([args]) => cli(['generate:action', ...args, '--path', DESTINATION], root))
      )
      answers.forEach((answer, index) => {
        const [args, message] = cases[index]
        expect({ args, code: answer.code, out: answer.out }).toEqual({ args, code: 2, out: '' })
        expect({ args, err: answer.err }).toEqual({ args, err: expect.stringContaining(message) })
      })
      expect(filesOf(dir)).toEqual(generated)
    },
    TIMEOUT
  )
})

describe('generate:action when a step fails', () => {
  it(
    'puts the destination back as it was and exits 1 when the new tests fail',
    async () => {
      const root = scratchCheckout()
      const dir = path.join(root, 'src', 'destinations', 'appcues')
      try {
        // The snapshot recipe now uses a region the destination refuses: the new snapshot test fails.
        const helper = path.join(dir, '__tests__', '__helpers__', 'snapshot.ts')
        const recipe = fs.readFileSync(helper, 'utf8')
        const broken = recipe.replace(
          'const settings = validSnapshotSettings(settingsData)',
          "const settings = { ...validSnapshotSettings(settingsData), region: 'MARS' }"
        )
        expect(broken).not.toBe(recipe)
        fs.writeFileSync(helper, broken)
        const before = filesOf(dir)
        const output = captureIO()
        await expect(generateActionCommand.run([KEY, 'server', '--path', dir], output.io)).resolves.toBe(1)
        const errors = output.err.join('\n')
        expect(errors).toContain('Invalid region "MARS"')
        expect(errors).toContain(
          "generate:action stopped and put the destination back as it was: The new action's tests did not pass"
        )
        expect(filesOf(dir)).toEqual(before)
      } finally {
        fs.rmSync(root, { recursive: true, force: true })
      }
    },
    TIMEOUT
  )

  it('shows an example with --help', async () => {
    const output = captureIO()
    await expect(generateActionCommand.run(['--help'], output.io)).resolves.toBe(0)
    expect(output.out.join('\n')).toContain('$ npx appcues-actions generate:action markCheckpoint server')
  })
})

describe('generate:action for an action that deletes', () => {
  it(
    'gives it no default subscription, so that validate passes and nothing is erased on an event nobody chose',
    async () => {
      const root = scratchCheckout()
      const dir = path.join(root, 'src', 'destinations', 'appcues')
      try {
        const output = captureIO()
        const code = await generateActionCommand.run(['erase draft', 'server', '--path', dir], output.io)
        expect({ code, err: output.err }).toEqual({ code: 0, err: [] })
        expect(fs.readFileSync(path.join(dir, 'eraseDraft', 'index.ts'), 'utf8')).not.toContain('defaultSubscription')
        expect(output.out.join('\n')).toContain('the action has no default subscription')
        expect(validateDestination(dir).findings).toEqual([])
      } finally {
        fs.rmSync(root, { recursive: true, force: true })
      }
    },
    TIMEOUT
  )
})
