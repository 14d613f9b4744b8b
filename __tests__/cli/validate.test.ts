import fs from 'fs'
import os from 'os'
import path from 'path'
import { validateCommand } from '../../src/cli/commands/validate'
import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import { validateDefinition, validateDestination } from '../../src/cli/validate'
import type { Finding } from '../../src/cli/validate'
import { captureIO, copyDestination } from './__helpers__/destination-copy'
import type { DestinationCopy } from './__helpers__/destination-copy'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- definitions are changed freely to break them
type Definition = Record<string, any>

const real = (): Definition => loadDestination().definition as unknown as Definition

/** The real definition with some actions replaced or changed. */
function withActions(changes: Record<string, Definition | undefined>, base: Definition = real()): Definition {
  const actions: Definition = { ...base.actions }
  for (const [key, change] of Object.entries(changes)) {
    if (change === undefined) delete actions[key]
    else actions[key] = { ...(actions[key] ?? {}), ...change }
  }
  return { ...base, actions }
}

function withFields(actionKey: string, fields: Definition, base: Definition = real()): Definition {
  return withActions({ [actionKey]: { fields: { ...base.actions[actionKey].fields, ...fields } } }, base)
}

function withSettings(settings: Definition, base: Definition = real()): Definition {
  const fields = { ...base.authentication.fields, ...settings }
  for (const [key, value] of Object.entries(settings)) if (value === undefined) delete fields[key]
  return { ...base, authentication: { ...base.authentication, fields } }
}

function findings(definition: Definition, directory = DESTINATION_DIR): Finding[] {
  return validateDefinition(definition, directory).findings
}

/** The findings of one rule, failing with the full list when there is none. */
function expectFinding(all: Finding[], rule: string, severity: 'error' | 'warning', place: object = {}): Finding {
  const found = all.find(
    (finding) =>
      finding.rule === rule &&
      finding.severity === severity &&
      expect.objectContaining(place).asymmetricMatch(finding.place)
  )
  if (!found) throw new Error(`No ${severity} ${rule} at ${JSON.stringify(place)} in:\n${JSON.stringify(all, null, 2)}`)
  expect(found.message.length).toBeGreaterThan(10)
  expect(found.fix.length).toBeGreaterThan(10)
  return found
}

describe('validate on the real destination', () => {
  it('finds no error and no warning', () => {
    expect(validateDestination(DESTINATION_DIR).findings).toEqual([])
  })

  it('exits 0 and says so', async () => {
    const output = captureIO()
    await expect(validateCommand.run([], output.io)).resolves.toBe(0)
    expect(output.out.join('\n')).toMatch(/"Appcues \(Actions\)".*0 error\(s\), 0 warning\(s\)\. Validation passed\./)
  })
})

describe('validate on broken copies', () => {
  let copy: DestinationCopy
  beforeEach(() => {
    copy = copyDestination()
  })
  afterEach(() => copy.remove())

  async function run(...args: string[]) {
    const output = captureIO()
    const code = await validateCommand.run(['--path', copy.dir, ...args], output.io)
    return { code, text: output.all() }
  }

  it('a preset naming an unknown action: B10 error, exit 1, with the place and the fix', async () => {
    copy.edit('presets.ts', "partnerAction: 'trackEvent'", "partnerAction: 'trackEvnt'")
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [B10] preset "Track Calls"')
    expect(text).toContain('The preset "Track Calls" references an action key that does not exist ("trackEvnt").')
    expect(text).toMatch(
      /fix: Set the preset's `partnerAction` to one of the destination's action keys: identifyUser, trackEvent/
    )
    expect(text).toMatch(/1 error\(s\), 0 warning\(s\)\. One or more validation errors were found\./)
  })

  it('a field without a description: B6 error naming the action and the field', async () => {
    copy.edit(
      'identifyGroup/index.ts',
      /(userId: \{\s*label: 'User ID',\s*)description:\s*'[^']*',/,
      "$1description: '',"
    )
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [B6] action "identifyGroup", field "userId"')
    expect(text).toContain('missing a description for the field "userId"')
  })

  it('an invalid FQL subscription: B4 error', async () => {
    copy.edit(
      'trackEvent/index.ts',
      `defaultSubscription: 'type = "track" and userId != null'`,
      `defaultSubscription: 'type = "track'`
    )
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [B4] action "trackEvent"')
    expect(text).toContain('has an invalid `defaultSubscription` query "type = \\"track": it does not parse as FQL')
  })

  it('an invalid FQL preset subscription: B11 error', async () => {
    copy.edit('presets.ts', `subscribe: 'type = "group"'`, `subscribe: 'type ~ "group"'`)
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [B11] preset "Group Calls"')
  })

  it('a secret setting that is not a password: E21 error', async () => {
    copy.edit('index.ts', /(legacyApiKey: \{[\s\S]*?)type: 'password'/, "$1type: 'string'")
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [E21] setting "legacyApiKey"')
    expect(text).toContain("Set `type: 'password'`")
  })

  it('a removed send field: contract error naming the field', async () => {
    copy.edit('send/fields.ts', /\n {2}group_traits: \{[\s\S]*?\n {2}\},/, '')
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [contract/send] action "send", field "group_traits"')
    expect(text).toContain('The "send" action has lost the field "group_traits".')
  })

  it('a bare Error in the sources: G32 error with file and line', async () => {
    copy.edit('functions.ts', /\nexport /, "\nexport function oops(): never {\n  throw new Error('boom')\n}\n\nexport ")
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toMatch(/error \[G32\] functions\.ts:\d+/)
  })

  it('console logging in the sources: I41 warning only, exit 0', async () => {
    copy.edit('functions.ts', /\nexport /, "\nexport function chatty(): void {\n  console.log('hello')\n}\n\nexport ")
    const { code, text } = await run()
    expect(code).toBe(0)
    expect(text).toMatch(/warning \[I41\] functions\.ts:\d+/)
    expect(text).toMatch(/0 error\(s\), 1 warning\(s\)\. Validation passed\./)
  })

  it.each([
    ['statsContext?.statsClient?.incr', "statsContext?.statsClient?.incr('created', 1)"],
    ['logger?.info', "logger?.info('hello')"]
  ])('Segment-internal %s in the sources: I41 warning', async (_, call) => {
    copy.edit(
      'functions.ts',
      /\nexport /,
      `\nexport function counted(statsContext?: any, logger?: any): void {\n  ${call}\n}\n\nexport `
    )
    const { text } = await run()
    expect(text).toMatch(/warning \[I41\] functions\.ts:\d+\s+`logger` and `statsContext` are Segment-internal/)
  })

  it('a destination that does not load: A1 error', async () => {
    copy.edit('index.ts', 'export default destination', 'export const notTheDefault = destination')
    const { code, text } = await run()
    expect(code).toBe(1)
    expect(text).toContain('error [A1] index.ts')
    expect(text).toContain('No destination definition is exported')
  })

  it('--json prints the findings as data', async () => {
    copy.edit('presets.ts', "partnerAction: 'trackEvent'", "partnerAction: 'nope'")
    const { code, text } = await run('--json')
    expect(code).toBe(0 + 1)
    const result = JSON.parse(text)
    expect(result.name).toBe('Appcues (Actions)')
    expect(result.findings).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'B10', place: { preset: 'Track Calls' } })
    ])
  })
})

describe('each rule can fail (definitions changed in memory)', () => {
  it('A2: mode other than cloud', () => {
    expectFinding(findings({ ...real(), mode: 'device' }), 'A2', 'error')
  })

  it('B3: no actions', () => {
    expectFinding(findings({ ...real(), actions: {}, presets: [] }), 'B3', 'error')
  })

  it('B5 and B6: an action without a description, a field without a label', () => {
    const all = findings(
      withActions(
        { trackEvent: { description: '' } },
        withFields('pageView', { url: { description: 'x', type: 'string' } })
      )
    )
    expectFinding(all, 'B5', 'error', { action: 'trackEvent' })
    expect(expectFinding(all, 'B6', 'error', { action: 'pageView', field: 'url' }).message).toContain('label')
  })

  it('B7, B8, B9: batch_keys defaults', () => {
    const batchKeys = (value: unknown) => ({
      batch_keys: {
        label: 'Batch Keys',
        description: 'Keys.',
        type: 'string',
        multiple: true,
        unsafe_hidden: true,
        default: value
      }
    })
    expectFinding(findings(withFields('trackEvent', batchKeys(undefined))), 'B7', 'error', { field: 'batch_keys' })
    const all = findings(withFields('trackEvent', batchKeys(['userId', 'event', 'groupId', 'nope', 'batch_keys'])))
    expectFinding(all, 'B7', 'warning')
    expectFinding(all, 'B8', 'warning')
    expectFinding(all, 'B9', 'warning')
  })

  it('B12: a preset mapping a field the action does not define', () => {
    const base = real()
    const presets = base.presets.map((preset: Definition) =>
      preset.name === 'Track Calls' ? { ...preset, mapping: { ...preset.mapping, colour: 'red' } } : preset
    )
    expectFinding(findings({ ...base, presets }), 'B12', 'error', { preset: 'Track Calls', field: 'colour' })
  })

  it('B13: a number setting with a string default', () => {
    expectFinding(
      findings(withSettings({ timeout: { label: 'Timeout', description: 'Seconds.', type: 'number', default: '5' } })),
      'B13',
      'warning',
      {
        setting: 'timeout'
      }
    )
  })

  it('C14 and C16: an unknown hook name, an action key without its folder', () => {
    const all = findings(withActions({ trackEvent: { hooks: { onSave: {} } }, extra: real().actions.trackEvent }))
    expectFinding(all, 'C14', 'error', { action: 'trackEvent' })
    expectFinding(all, 'C16', 'error', { action: 'extra' })
  })

  it('C15: a reserved setting key under oauth2', () => {
    const base = real()
    expectFinding(findings({ ...base, authentication: { ...base.authentication, scheme: 'oauth2' } }), 'C15', 'error', {
      setting: 'apiKey'
    })
  })

  it('E20 and E21: secret-looking settings that are not passwords', () => {
    const all = findings(
      withSettings({
        signing_secret: { label: 'Signing', description: 'Signs.', type: 'string' },
        workspace: { label: 'Workspace', description: 'Paste the access token of the workspace.', type: 'string' }
      })
    )
    expectFinding(all, 'E20', 'error', { setting: 'signing_secret' })
    expectFinding(all, 'E21', 'warning', { setting: 'workspace' })
  })

  it('G23: conditions actions-core rejects, or that refer to no field', () => {
    const all = findings(
      withFields('send', {
        name: {
          ...real().actions.send.fields.name,
          required: { conditions: [{ fieldKey: 'type', operator: 'gt', value: 'x' }] }
        },
        event: {
          ...real().actions.send.fields.event,
          depends_on: { conditions: [{ fieldKey: 'kind', operator: 'is', value: 'track' }] }
        }
      })
    )
    expectFinding(all, 'G23', 'error', { action: 'send', field: 'name' })
    expectFinding(all, 'G23', 'warning', { action: 'send', field: 'event' })
    expect(
      all.some((finding) => finding.rule === 'G23' && finding.message.startsWith('actions-core cannot build'))
    ).toBe(true)
  })

  it('G24: an action without perform, fields or title', () => {
    const all = findings(
      withActions({ trackEvent: { perform: undefined, title: '' }, pageView: { fields: undefined } })
    )
    expectFinding(all, 'G24', 'error', { action: 'trackEvent' })
    expectFinding(all, 'G24', 'error', { action: 'pageView' })
  })

  it('G25: unknown types, formats and schemes', () => {
    const base = withFields('trackEvent', {
      when: { label: 'When', description: 'When.', type: 'date' },
      site: { label: 'Site', description: 'Site.', type: 'string', format: 'url' }
    })
    const all = findings({ ...base, authentication: { ...base.authentication, scheme: 'apikey' } })
    expectFinding(all, 'G25', 'error', { action: 'trackEvent', field: 'when' })
    expectFinding(all, 'G25', 'error', { action: 'trackEvent', field: 'site' })
    expectFinding(all, 'G25', 'error', {})
  })

  it('G26: a malformed batch_keys field', () => {
    const all = findings(
      withFields('trackEvent', { batch_keys: { label: 'Keys', description: 'Keys.', type: 'number', default: [] } })
    )
    expectFinding(all, 'G26', 'error', { field: 'batch_keys' })
  })

  it('G27: defaults and preset mappings that are not valid mappings', () => {
    const base = withFields('trackEvent', {
      event: { ...real().actions.trackEvent.fields.event, default: { '@path': 5 } },
      groupId: { ...real().actions.trackEvent.fields.groupId, default: { '@pathh': '$.x' } }
    })
    const presets = base.presets.map((preset: Definition) =>
      preset.name === 'Page Calls'
        ? { ...preset, mapping: { ...preset.mapping, url: { '@if': 'x', '@path': 'y' } } }
        : preset
    )
    const all = findings({ ...base, presets })
    expect(expectFinding(all, 'G27', 'error', { action: 'trackEvent', field: 'event' }).message).toContain('@path')
    expectFinding(all, 'G27', 'error', { action: 'trackEvent', field: 'groupId' })
    expectFinding(all, 'G27', 'error', { preset: 'Page Calls' })
  })

  it('G28: literal defaults outside the choices or of the wrong type', () => {
    const all = findings(
      withSettings(
        { region: { ...real().authentication.fields.region, default: 'APAC' } },
        withFields('trackEvent', { event: { ...real().actions.trackEvent.fields.event, default: 42 } })
      )
    )
    expectFinding(all, 'G28', 'error', { setting: 'region' })
    expectFinding(all, 'G28', 'error', { action: 'trackEvent', field: 'event' })
  })

  it('G29: presets of an unknown kind, without a name, or named twice', () => {
    const base = real()
    const [first, second, ...rest] = base.presets as Definition[]
    const presets = [
      { ...first, type: 'auto' },
      { ...second, name: first.name },
      { ...rest[0], name: '' },
      ...rest.slice(1)
    ]
    const all = findings({ ...base, presets })
    expectFinding(all, 'G29', 'error', { preset: first.name })
    expectFinding(all, 'G29', 'warning', { preset: first.name })
    expectFinding(all, 'G29', 'error', { preset: '#3' })
  })

  it('I37: actions without a default subscription, presets missing defaults, no automatic presets', () => {
    const all = findings(withActions({ trackEvent: { defaultSubscription: undefined } }))
    expectFinding(all, 'I37', 'warning', { action: 'trackEvent' })
    const base = real()
    const presets = base.presets.map((preset: Definition) => {
      if (preset.name !== 'Identify Calls') return preset
      const { traits: _traits, ...mapping } = preset.mapping
      return { ...preset, mapping }
    })
    expectFinding(findings({ ...base, presets }), 'I37', 'warning', { preset: 'Identify Calls' })
    expectFinding(findings({ ...base, presets: [] }), 'I37', 'warning', {})
  })

  it('I38, I39, I40: slug, versioning-info.ts and snapshot tests', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-'))
    try {
      const all = findings({ ...real(), slug: 'Actions_Appcues' }, empty)
      expectFinding(all, 'I38', 'warning')
      expectFinding(all, 'I39', 'warning', { file: 'versioning-info.ts' })
      expectFinding(all, 'I40', 'warning', { action: 'trackEvent' })
    } finally {
      fs.rmSync(empty, { recursive: true, force: true })
    }
  })

  it("contract: the live destination's identity and settings", () => {
    const all = findings(
      withSettings(
        {
          accountId: { ...real().authentication.fields.accountId, type: 'string' },
          region: { ...real().authentication.fields.region, required: false },
          apiSecret: undefined,
          workspaceId: { label: 'Workspace', description: 'The workspace.', type: 'string', required: true }
        },
        { ...real(), name: 'Appcues', slug: 'actions-appcues-v2' }
      )
    )
    expect(all.filter((finding) => finding.rule === 'contract/identity')).toHaveLength(2)
    expectFinding(all, 'contract/settings', 'error', { setting: 'accountId' })
    expectFinding(all, 'contract/settings', 'error', { setting: 'region' })
    expectFinding(all, 'contract/settings', 'error', { setting: 'apiSecret' })
    expectFinding(all, 'contract/settings', 'error', { setting: 'workspaceId' })
  })

  it("contract: the send action's fields and required flags", () => {
    const fields = real().actions.send.fields
    const all = findings(
      withFields('send', {
        userId: { ...fields.userId, required: true },
        event: { ...fields.event, required: true },
        timestamp: { ...fields.timestamp, type: 'datetime' },
        note: { label: 'Note', description: 'A note.', type: 'string' }
      })
    )
    expectFinding(all, 'contract/send', 'error', { field: 'userId' })
    expectFinding(all, 'contract/send', 'error', { field: 'event' })
    expectFinding(all, 'contract/send', 'error', { field: 'timestamp' })
    expectFinding(all, 'contract/send', 'warning', { field: 'note' })
    expectFinding(findings(withActions({ send: undefined })), 'contract/send', 'error', { action: 'send' })
  })

  it('contract: settings are the live four plus credentials, never a host or endpoint setting', () => {
    const legacy = real().authentication.fields.legacyApiKey
    const all = findings(
      withSettings({
        endpoint: { label: 'Endpoint Override', description: 'Where requests go.', type: 'string' },
        legacyApiKey: { ...legacy, type: 'string' }
      })
    )
    expect(expectFinding(all, 'contract/settings', 'error', { setting: 'endpoint' }).fix).toContain(
      'no setting may choose a host'
    )
    expectFinding(all, 'contract/settings', 'error', { setting: 'legacyApiKey' })
  })

  it('contract: automatic presets need no Engage data and take only calls their action can take', () => {
    const base = real()
    const presets = [
      ...base.presets.map((preset: Definition) =>
        preset.name === 'Page Calls' ? { ...preset, subscribe: 'type = "page"' } : preset
      ),
      {
        name: 'Engage Audience Changes',
        type: 'automatic',
        subscribe: 'context.personas.computation_class = "audience" and userId != null',
        partnerAction: 'syncAudience',
        mapping: {}
      },
      {
        name: 'Entered',
        type: 'automatic',
        subscribe: 'event = "Audience Entered"',
        partnerAction: 'send',
        mapping: {}
      }
    ]
    const all = findings({ ...base, presets })
    expect(expectFinding(all, 'contract/presets', 'error', { preset: 'Page Calls' }).fix).toContain('userId != null')
    expectFinding(all, 'contract/presets', 'error', { preset: 'Engage Audience Changes' })
    expectFinding(all, 'contract/presets', 'error', { preset: 'Entered' })
    expect(findings(base)).toEqual([])
  })

  it('contract: no deletion action subscribes to a custom event by default, and none needs a subscription', () => {
    const custom = withActions({ deleteUser: { defaultSubscription: 'type = "track" and event = "User Deleted"' } })
    expectFinding(findings(custom), 'contract/deletion', 'error', { action: 'deleteUser' })
    const base = real()
    const presets = [
      ...base.presets,
      { ...base.presets[1], name: 'Erase', subscribe: 'event = "Erase"', partnerAction: 'deleteUser', mapping: {} }
    ]
    expectFinding(findings({ ...base, presets }), 'contract/deletion', 'error', {
      action: 'deleteUser',
      preset: 'Erase'
    })
    expect(real().actions.deleteUser.defaultSubscription).toBeUndefined()
    expect(findings(real())).toEqual([])
  })

  it('contract: trackEvent and pageView have no performBatch and no batch fields', () => {
    const batchSize = {
      label: 'Batch Size',
      description: 'Events per batch.',
      type: 'number',
      unsafe_hidden: true,
      default: 10
    }
    const all = findings(
      withActions({ trackEvent: { performBatch: () => undefined } }, withFields('pageView', { batch_size: batchSize }))
    )
    expectFinding(all, 'contract/batching', 'error', { action: 'trackEvent' })
    expect(expectFinding(all, 'contract/batching', 'error', { action: 'pageView' }).message).toContain('batch_size')
  })

  it('contract: an action that needs a User ID subscribes by default only to calls that have one', () => {
    const all = findings(withActions({ trackEvent: { defaultSubscription: 'type = "track"' } }))
    expect(expectFinding(all, 'contract/presets', 'error', { action: 'trackEvent' }).fix).toContain('userId != null')
    expect(findings(real())).toEqual([])
  })

  it('contract: new presets should not use send', () => {
    const base = real()
    const presets = [...base.presets, { ...base.presets[1], name: 'Legacy', partnerAction: 'send', mapping: {} }]
    expectFinding(findings({ ...base, presets }), 'contract/presets', 'warning', { preset: 'Legacy' })
  })
})

describe('validate: audiences', () => {
  const sync = () => real().actions.syncAudience as Definition

  it('audience/config: the mode, createAudience with getAudience, and described audience settings', () => {
    const base = real()
    const config = base.audienceConfig as Definition
    expectFinding(
      findings({ ...base, audienceConfig: { ...config, mode: { type: 'synced' } } }),
      'audience/config',
      'error'
    )
    const lonely = { ...config, getAudience: undefined }
    expect(expectFinding(findings({ ...base, audienceConfig: lonely }), 'audience/config', 'error').message).toContain(
      'only one of createAudience and getAudience'
    )
    expectFinding(findings({ ...base, audienceFields: undefined }), 'audience/config', 'error')
    const undescribed = { segmentName: { label: 'Name', type: 'string' } }
    expectFinding(findings({ ...base, audienceFields: undescribed }), 'audience/config', 'error', {
      setting: 'segmentName'
    })
  })

  it('audience/sync-mode: choices from actions-core, the default among them, a description', () => {
    const syncMode = sync().syncMode as Definition
    const broken = [
      { ...syncMode, default: 'upsert' },
      { ...syncMode, choices: [...syncMode.choices, { label: 'Replace', value: 'replace' }] },
      { ...syncMode, description: '' },
      { ...syncMode, choices: [] }
    ]
    for (const candidate of broken) {
      expectFinding(findings(withActions({ syncAudience: { syncMode: candidate } })), 'audience/sync-mode', 'error', {
        action: 'syncAudience'
      })
    }
  })

  it('audience/hooks: a label, a description and performHook; described inputs and outputs', () => {
    const hook = sync().hooks.retlOnMappingSave as Definition
    const withHook = (change: Definition) =>
      findings(withActions({ syncAudience: { hooks: { retlOnMappingSave: { ...hook, ...change } } } }))
    expectFinding(withHook({ performHook: undefined }), 'audience/hooks', 'error', { action: 'syncAudience' })
    const outputTypes = { ...hook.outputTypes, segmentId: { type: 'string', required: true } }
    expectFinding(withHook({ outputTypes }), 'audience/hooks', 'error', { field: 'segmentId' })
  })

  it('audience/batch-keys: a batch that reads the audience’s segment ID is keyed by it', () => {
    const fields = { ...sync().fields, batch_keys: { ...sync().fields.batch_keys, default: ['segmentName'] } }
    const found = expectFinding(findings(withActions({ syncAudience: { fields } })), 'audience/batch-keys', 'error')
    expect(found.message).toContain('"external_audience_id"')
  })
})
