import fs from 'fs'
import os from 'os'
import path from 'path'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { deriveStage, STAGES } from '../../test/stages'
import { filesOf } from '../cli/__helpers__/destination-copy'

describe('the pull request stages the drop-in check derives', () => {
  let dir: string
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'appcues-stage-')), 'appcues')
    fs.cpSync(DESTINATION_DIR, dir, { recursive: true })
  })
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }))

  it('leave the final folder as it is at the last stage', () => {
    const final = filesOf(DESTINATION_DIR)
    deriveStage(dir, STAGES[STAGES.length - 1])
    expect(filesOf(dir)).toEqual(final)
  })

  it('drop from the first stage everything deletion and audiences add, and nothing else', () => {
    const final = filesOf(DESTINATION_DIR)
    deriveStage(dir, STAGES[0])
    const stage = filesOf(dir)
    expect(Object.keys(stage).filter((file) => /^(deleteUser|syncAudience)\//.test(file))).toEqual([])
    for (const word of [
      'legacyApiKey',
      'onDelete',
      'deleteUser',
      'syncAudience',
      'eraseUsers',
      'PayloadValidationError',
      'audienceFields',
      'audienceConfig',
      'Audience'
    ]) {
      expect([word, stage['index.ts'].includes(word)]).toEqual([word, false])
    }
    expect(stage['index.ts']).toContain('const destination: DestinationDefinition<Settings> = {')
    expect(stage['presets.ts']).not.toMatch(/syncAudience|specificEvent/)
    expect(stage['constants.ts']).not.toContain('ERASURE_HOST')
    expect(stage['versioning-info.ts']).not.toContain('APPCUES_GDPR_API_VERSION')
    const changed = Object.keys(stage).filter((file) => stage[file] !== final[file])
    expect(changed.sort()).toEqual(['constants.ts', 'index.ts', 'presets.ts', 'versioning-info.ts'])
  })

  it('keep deletion and drop audiences at the second stage', () => {
    deriveStage(dir, STAGES[1])
    const stage = filesOf(dir)
    expect(stage['index.ts']).toContain('onDelete')
    expect(stage['index.ts']).toContain('legacyApiKey')
    expect(stage['index.ts']).not.toMatch(/syncAudience|audienceConfig|audienceFields|AudienceSettings/)
    expect(stage['presets.ts']).not.toMatch(/syncAudience|specificEvent/)
    expect(Object.keys(stage).some((file) => file.startsWith('syncAudience/'))).toBe(false)
  })
})
