import fs from 'fs'
import path from 'path'
import prettier from 'prettier'
import { generateMetadataCommand } from '../../src/cli/commands/generate-metadata'
import { destinationMetadata, metadataFile, renderMetadata } from '../../src/cli/generate/metadata'
import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import type { AnyDestination } from '../../src/cli/load-destination'
import { prettierConfig } from '../../src/cli/prettier-config'
import { captureIO, copyDestination } from './__helpers__/destination-copy'

const FIELD_KEYS = [
  'label',
  'description',
  'type',
  'required',
  'multiple',
  'allowNull',
  'dynamic',
  'default',
  'choices',
  'placeholder',
  'properties',
  'category',
  'depends_on',
  'readOnly',
  'hidden',
  'minimum',
  'maximum',
  'defaultObjectUI',
  'disabledInputMethods',
  'displayMode',
  'format',
  'additionalProperties'
]

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed metadata.json, read freely
type Json = Record<string, any>

const define = (definition: Record<string, unknown>) =>
  ({ name: 'Example', mode: 'cloud', actions: {}, ...definition } as unknown as AnyDestination)

describe('generate:metadata on the real destination', () => {
  const metadataPath = path.join(DESTINATION_DIR, 'metadata.json')

  it('the committed metadata.json equals a fresh generation', () => {
    const { definition } = loadDestination()
    expect(fs.readFileSync(metadataPath, 'utf8')).toBe(metadataFile(DESTINATION_DIR, definition).content)
  })

  it('--check exits 0', async () => {
    const output = captureIO()
    await expect(generateMetadataCommand.run(['--check'], output.io)).resolves.toBe(0)
    expect(output.err).toEqual([])
  })

  it("keeps the monorepo's key order at every level", () => {
    const metadata = JSON.parse(fs.readFileSync(metadataPath, 'utf8')) as Json
    expect(Object.keys(metadata)).toEqual([
      'slug',
      'name',
      'mode',
      'description',
      'authentication',
      'audienceConfig',
      'actions',
      'presets'
    ])
    expect(metadata.slug).toBe('actions-appcues')
    expect(Object.keys(metadata.audienceConfig)).toEqual(['mode', 'audienceFields', 'supportsAudienceFunctions'])
    expect(Object.keys(metadata.authentication)).toEqual(['scheme', 'fields'])
    for (const setting of Object.values(metadata.authentication.fields)) {
      expect(Object.keys(setting as object)).toEqual([
        'label',
        'description',
        'type',
        'required',
        'multiple',
        'choices',
        'default',
        'depends_on'
      ])
    }
    for (const action of Object.values(metadata.actions as Json) as Json[]) {
      expect(Object.keys(action)).toEqual([
        'title',
        'description',
        'platform',
        'defaultSubscription',
        'hidden',
        'hasPerformBatch',
        'syncMode',
        'hooks',
        'dynamicFields',
        'fields'
      ])
      for (const field of Object.values(action.fields)) expect(Object.keys(field as object)).toEqual(FIELD_KEYS)
    }
    // A specificEvent preset has no subscribe query, so the key disappears, as in the monorepo's JSON.
    for (const preset of metadata.presets) {
      const keys = ['name', 'type', 'partnerAction', 'subscribe', 'mapping', 'eventSlug']
      expect(Object.keys(preset)).toEqual(keys.filter((key) => preset.type === 'automatic' || key !== 'subscribe'))
    }
  })

  it('is formatted by prettier with the package configuration', () => {
    const text = fs.readFileSync(metadataPath, 'utf8')
    expect(prettier.check(text, { ...prettierConfig(), parser: 'json' })).toBe(true)
  })
})

describe('the metadata format', () => {
  it('fills what a field leaves out with null or false, and normalises string choices', () => {
    const metadata = destinationMetadata(
      'actions-example',
      define({
        actions: {
          act: {
            title: 'Act',
            description: 'Acts.',
            fields: {
              plan: { label: 'Plan', description: 'The plan.', type: 'string', choices: ['free', 'pro'] },
              secret: {
                label: 'Hidden',
                description: 'Hidden.',
                type: 'string',
                unsafe_hidden: true,
                dynamic: () => 1
              },
              event: {
                label: 'Event',
                description: 'Name.',
                type: 'string',
                required: { conditions: [{ fieldKey: 'plan', operator: 'is', value: 'pro' }] }
              }
            },
            perform: () => undefined,
            performBatch: () => undefined
          }
        }
      })
    )
    const action = metadata.actions.act
    expect(action.hasPerformBatch).toBe(true)
    expect(action.syncMode).toBeNull()
    expect(action.hooks).toBeNull()
    expect(action.dynamicFields).toBeNull()
    expect(action.fields.plan).toEqual({
      label: 'Plan',
      description: 'The plan.',
      type: 'string',
      required: false,
      multiple: false,
      allowNull: false,
      dynamic: false,
      default: null,
      choices: [
        { label: 'free', value: 'free' },
        { label: 'pro', value: 'pro' }
      ],
      placeholder: null,
      properties: null,
      category: null,
      depends_on: null,
      readOnly: null,
      hidden: null,
      minimum: null,
      maximum: null,
      defaultObjectUI: null,
      disabledInputMethods: null,
      displayMode: null,
      format: null,
      additionalProperties: false
    })
    expect(action.fields.secret).toMatchObject({ hidden: true, dynamic: true })
    expect((action.fields.event as Json).required).toEqual({
      conditions: [{ fieldKey: 'plan', operator: 'is', value: 'pro' }]
    })
  })

  it('omits an undefined description, gives null authentication without settings, and needs a slug', () => {
    const metadata = destinationMetadata('actions-example', define({}))
    expect(JSON.parse(JSON.stringify(metadata))).toEqual({
      slug: 'actions-example',
      name: 'Example',
      mode: 'cloud',
      authentication: null,
      audienceConfig: null,
      actions: {},
      presets: []
    })
    expect(() => destinationMetadata('', define({}))).toThrow(/requires a slug/)
  })

  it('writes audienceConfig, syncMode, hooks and dynamicFields as the monorepo does, without their functions', () => {
    const field = { label: 'List', description: 'The list.', type: 'string' }
    const metadata = destinationMetadata(
      'actions-example',
      define({
        audienceFields: { listName: field },
        audienceConfig: {
          mode: { type: 'synced' },
          createAudience: () => undefined,
          getAudience: () => undefined
        },
        actions: {
          act: {
            title: 'Act',
            description: 'Acts.',
            fields: { company: { ...field, type: 'object', dynamic: true } },
            syncMode: {
              default: 'mirror',
              choices: [{ label: 'Mirror', value: 'mirror', extra: 1 }]
            },
            hooks: {
              retlOnMappingSave: {
                label: 'Save',
                description: 'Saves.',
                inputFields: { listId: { ...field, dynamic: () => undefined } },
                outputTypes: { listId: { ...field, required: true } },
                performHook: () => undefined
              },
              onSave: { label: 'Not a hook', description: 'Left out.', performHook: () => undefined }
            },
            dynamicFields: { company: { __keys__: () => undefined, other: () => undefined }, plain: () => undefined },
            perform: () => undefined
          }
        }
      })
    )
    expect(metadata.audienceConfig).toEqual({
      mode: { type: 'synced', full_audience_sync: false },
      audienceFields: {
        listName: { ...field, required: false, multiple: false, choices: null, default: null, depends_on: null }
      },
      supportsAudienceFunctions: true
    })
    const action = metadata.actions.act
    expect(action.syncMode).toEqual({
      default: 'mirror',
      label: 'Sync Mode',
      description: '',
      choices: [{ value: 'mirror', label: 'Mirror' }]
    })
    expect(Object.keys(action.hooks ?? {})).toEqual(['retlOnMappingSave'])
    const hook = (action.hooks as Json).retlOnMappingSave as Json
    expect([hook.label, hook.description, hook.inputFields.listId.dynamic]).toEqual(['Save', 'Saves.', true])
    expect(hook.outputFields.listId).toMatchObject({ required: true, dynamic: false })
    expect(action.dynamicFields).toEqual({ company: ['__keys__'] })
    const realtime = destinationMetadata('actions-example', define({ audienceConfig: { mode: { type: 'realtime' } } }))
    expect(realtime.audienceConfig).toEqual({
      mode: { type: 'realtime' },
      audienceFields: {},
      supportsAudienceFunctions: false
    })
  })

  it('writes nested properties, preset defaults and a trailing newline', () => {
    const text = renderMetadata(
      destinationMetadata(
        'actions-example',
        define({
          actions: {
            act: {
              title: 'Act',
              description: 'Acts.',
              fields: {
                company: {
                  label: 'Company',
                  description: 'The company.',
                  type: 'object',
                  properties: { name: { label: 'Name', description: 'Its name.', type: 'string' } }
                }
              },
              perform: () => undefined
            }
          },
          presets: [{ name: 'All', type: 'automatic', subscribe: 'type = "track"', partnerAction: 'act' }]
        })
      )
    )
    const parsed = JSON.parse(text)
    expect(parsed.actions.act.fields.company.properties.name.label).toBe('Name')
    expect(parsed.presets[0]).toEqual({
      name: 'All',
      type: 'automatic',
      partnerAction: 'act',
      subscribe: 'type = "track"',
      mapping: {},
      eventSlug: null
    })
    expect(text.endsWith('}\n')).toBe(true)
  })
})

describe('generate:metadata on a broken copy', () => {
  it('--check exits 1 naming the stale metadata.json and writes nothing; a plain run repairs it', async () => {
    const copy = copyDestination()
    try {
      copy.edit('trackEvent/index.ts', "title: 'Track Event'", "title: 'Track an Event'")
      const before = copy.read('metadata.json')

      const check = captureIO()
      await expect(generateMetadataCommand.run(['--check', '--path', copy.dir], check.io)).resolves.toBe(1)
      expect(check.err.join('\n')).toMatch(/stale: .*metadata\.json/)
      expect(check.err.join('\n')).toContain('npx appcues-actions generate:metadata')
      expect(copy.read('metadata.json')).toBe(before)

      const write = captureIO()
      await expect(generateMetadataCommand.run(['--path', copy.dir], write.io)).resolves.toBe(0)
      expect(JSON.parse(copy.read('metadata.json')).actions.trackEvent.title).toBe('Track an Event')
    } finally {
      copy.remove()
    }
  })

  it('--check exits 1 when metadata.json is missing', async () => {
    const copy = copyDestination()
    try {
      fs.rmSync(copy.file('metadata.json'))
      const check = captureIO()
      await expect(generateMetadataCommand.run(['--check', '--path', copy.dir], check.io)).resolves.toBe(1)
      expect(check.err.join('\n')).toMatch(/missing: .*metadata\.json/)
    } finally {
      copy.remove()
    }
  })
})
