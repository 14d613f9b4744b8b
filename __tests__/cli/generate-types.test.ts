import fs from 'fs'
import os from 'os'
import path from 'path'
import type { InputField } from '@segment/actions-core'
import { generateTypesCommand } from '../../src/cli/commands/generate-types'
import { BANNER, generatedTypeFiles, renderInterface, TypesGenerationError } from '../../src/cli/generate/types'
import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import type { AnyDestination } from '../../src/cli/load-destination'
import { captureIO, copyDestination } from './__helpers__/destination-copy'
import type { DestinationCopy } from './__helpers__/destination-copy'

const minimalAction = (fields: Record<string, InputField>) => ({
  title: 'Act',
  description: 'Does it.',
  fields,
  perform: () => undefined
})

describe('generate:types on the real destination', () => {
  it('generates exactly the committed generated-types.ts files', async () => {
    const { definition } = loadDestination()
    const files = await generatedTypeFiles(DESTINATION_DIR, definition)
    expect(files.map((file) => path.relative(DESTINATION_DIR, file.path)).sort()).toEqual(
      ['generated-types.ts', ...Object.keys(definition.actions).map((key) => `${key}/generated-types.ts`)].sort()
    )
    for (const file of files) expect(fs.readFileSync(file.path, 'utf8')).toBe(file.content)
  })

  it('--check exits 0 and says the files are up to date', async () => {
    const output = captureIO()
    await expect(generateTypesCommand.run(['--check'], output.io)).resolves.toBe(0)
    expect(output.out.join('\n')).toMatch(/up to date/)
    expect(output.err).toEqual([])
  })
})

describe('generate:types on broken copies', () => {
  let copy: DestinationCopy
  beforeEach(() => {
    copy = copyDestination()
  })
  afterEach(() => copy.remove())

  it('--check names a hand-edited generated file, exits 1 and writes nothing; a plain run repairs it', async () => {
    const edited = copy
      .read('trackEvent/generated-types.ts')
      .replace('export interface Payload {', 'export interface Payload {\n  extra?: string')
    fs.writeFileSync(copy.file('trackEvent/generated-types.ts'), edited)

    const check = captureIO()
    await expect(generateTypesCommand.run(['--check', '--path', copy.dir], check.io)).resolves.toBe(1)
    expect(check.err.join('\n')).toContain(path.join('trackEvent', 'generated-types.ts'))
    expect(check.err.join('\n')).toContain('npx appcues-actions generate:types')
    expect(check.err.join('\n')).not.toContain(path.join('identifyUser', 'generated-types.ts'))
    expect(copy.read('trackEvent/generated-types.ts')).toBe(edited)

    const write = captureIO()
    await expect(generateTypesCommand.run(['--path', copy.dir], write.io)).resolves.toBe(0)
    expect(write.out.join('\n')).toContain('wrote')
    expect(copy.read('trackEvent/generated-types.ts')).toBe(
      fs.readFileSync(path.join(DESTINATION_DIR, 'trackEvent', 'generated-types.ts'), 'utf8')
    )
  })

  it('--check fails when a field changed but its generated type was not regenerated', async () => {
    copy.edit('index.ts', 'Your numeric Appcues account ID.', 'The Appcues account number.')
    const check = captureIO()
    await expect(generateTypesCommand.run(['--check', '--path', copy.dir], check.io)).resolves.toBe(1)
    expect(check.err.join('\n')).toMatch(/stale: .*appcues[/\\]generated-types\.ts/)
  })

  it('--check reports a missing generated file', async () => {
    fs.rmSync(copy.file('send/generated-types.ts'))
    const check = captureIO()
    await expect(generateTypesCommand.run(['--check', '--path', copy.dir], check.io)).resolves.toBe(1)
    expect(check.err.join('\n')).toMatch(/missing: .*send[/\\]generated-types\.ts/)
  })
})

describe('the generator itself', () => {
  it('writes the banner, JSDoc from descriptions, plain strings for choices and string | number for datetime', async () => {
    const output = await renderInterface(
      {
        region: { label: 'Region', description: 'Where.', type: 'string', required: true, choices: ['US', 'EU'] },
        when: { label: 'When', description: 'A time.', type: 'datetime' },
        tags: { label: 'Tags', description: 'Some tags.', type: 'string', multiple: true },
        traits: { label: 'Traits', description: 'Anything.', type: 'object' }
      },
      'Payload'
    )
    expect(output).toBe(
      [
        BANNER,
        '',
        'export interface Payload {',
        '  /**',
        '   * Where.',
        '   */',
        '  region: string',
        '  /**',
        '   * A time.',
        '   */',
        '  when?: string | number',
        '  /**',
        '   * Some tags.',
        '   */',
        '  tags?: string[]',
        '  /**',
        '   * Anything.',
        '   */',
        '  traits?: {',
        '    [k: string]: unknown',
        '  }',
        '}',
        ''
      ].join('\n')
    )
  })

  it("writes an action's Payload beside the destination when the action has no folder of its name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'types-'))
    try {
      const definition = {
        name: 'X',
        mode: 'cloud',
        actions: { loose: minimalAction({}) }
      } as unknown as AnyDestination
      const files = await generatedTypeFiles(dir, definition)
      expect(files.map((file) => path.basename(file.path))).toEqual(['generated-types.ts', 'loose.types.ts'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('appends each hook’s Inputs and Outputs after the Payload, as the monorepo does, and rejects unknown hook names', async () => {
    const field = (description: string, required?: boolean) => ({ label: 'L', description, type: 'string', required })
    const hooked = (hookName: string) =>
      ({
        name: 'X',
        mode: 'cloud',
        actions: {
          act: {
            ...minimalAction({}),
            hooks: {
              [hookName]: {
                label: 'Hook',
                description: 'A hook.',
                inputFields: { listName: field('The list.') },
                outputTypes: { listId: field('Its ID.', true) },
                performHook: () => undefined
              },
              onMappingSave: { label: 'Hook', description: 'No types.', performHook: () => undefined }
            }
          }
        }
      } as unknown as AnyDestination)
    const files = await generatedTypeFiles(os.tmpdir(), hooked('retlOnMappingSave'))
    expect(files[1].content).toBe(
      `${BANNER}\n\nexport interface Payload {}\n` +
        `${BANNER}\n\nexport interface RetlOnMappingSaveInputs {\n  /**\n   * The list.\n   */\n  listName?: string\n}\n` +
        `${BANNER}\n\nexport interface RetlOnMappingSaveOutputs {\n  /**\n   * Its ID.\n   */\n  listId: string\n}\n`
    )
    await expect(generatedTypeFiles(os.tmpdir(), hooked('onSave'))).rejects.toThrow(TypesGenerationError)
  })

  it('appends AudienceSettings to the Settings when the destination has audience fields', async () => {
    const definition = {
      name: 'X',
      mode: 'cloud',
      authentication: { scheme: 'custom', fields: {} },
      audienceFields: { listName: { label: 'List', description: 'The list.', type: 'string' } },
      actions: {}
    } as unknown as AnyDestination
    const [settings] = await generatedTypeFiles(os.tmpdir(), definition)
    expect(settings.content).toBe(
      `${BANNER}\n\nexport interface Settings {}\n` +
        `${BANNER}\n\nexport interface AudienceSettings {\n  /**\n   * The list.\n   */\n  listName?: string\n}\n`
    )
  })

  it('rejects reserved setting keys in oauth2 destinations only', async () => {
    const withScheme = (scheme: string) =>
      ({
        name: 'X',
        mode: 'cloud',
        authentication: { scheme, fields: { apiKey: { label: 'Key', description: 'Key.', type: 'password' } } },
        actions: {}
      } as unknown as AnyDestination)
    await expect(generatedTypeFiles(os.tmpdir(), withScheme('oauth2'))).rejects.toThrow(/reserved/)
    await expect(generatedTypeFiles(os.tmpdir(), withScheme('custom'))).resolves.toHaveLength(1)
  })

  it('refuses unknown arguments, suggesting the flag meant', async () => {
    const output = captureIO()
    await expect(generateTypesCommand.run(['--chek'], output.io)).rejects.toThrow(
      "Unknown option '--chek' (did you mean --check?)"
    )
  })
})
