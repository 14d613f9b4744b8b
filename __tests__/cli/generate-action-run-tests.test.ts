import fs from 'fs'
import os from 'os'
import path from 'path'
import { runActionTests } from '../../src/cli/generate/action/run-tests'

const TIMEOUT = 120_000

describe("generate:action's test run", () => {
  let folder: string
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true })
    fs.writeFileSync(path.join(folder, file), text)
  }

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-run-tests-'))
    write('__tests__/probe.test.ts', "it('runs', () => {\n  expect(1 + 1).toBe(2)\n})\n")
    write('__tests__/fixtures.ts', 'export const fixture = 1\n')
    write('dist/__tests__/probe.test.ts', "it('is a compiled copy', () => {\n  throw new Error('ran dist/')\n})\n")
  })

  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }))

  it(
    'runs only what the destination project of jest.config.js runs: test files, not helpers beside them or dist/',
    async () => {
      const files = ['__tests__/probe.test.ts', '__tests__/fixtures.ts', 'dist/__tests__/probe.test.ts']
      const result = await runActionTests(
        files.map((file) => path.join(folder, file)),
        folder,
        { writeSnapshots: false }
      )
      expect({ passed: result.passed, failed: result.failed, written: result.written }).toEqual({
        passed: 1,
        failed: 0,
        written: 0
      })
    },
    TIMEOUT
  )
})
