import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import type { LoadedDestination } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import type { Serving } from '../../src/cli/serve'
import type { Simulator } from '../../src/simulator'
import { closeSimulators, routedSimulator } from '../simulator/helpers'
import { captureIO } from './__helpers__/destination-copy'
import { call } from './__helpers__/http-client'
import type { HttpAnswer } from './__helpers__/http-client'

// Segment's serve routes for audiences, dynamic fields and hooks, against the routed Appcues simulator.

const API_KEY = 'SECRET-AUDIENCE-KEY-5151'
const API_SECRET = 'SECRET-AUDIENCE-SECRET-6262'
const SECRET_FORMS = [API_KEY, API_SECRET, Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')]

/** The destination with one dynamic field added to Sync Audience, since none of its fields has one. */
function withDynamicField(): LoadedDestination {
  const loaded = loadDestination(DESTINATION_DIR, { fresh: true })
  const syncAudience = loaded.definition.actions.syncAudience
  const dynamicFields = {
    segmentName: () => Promise.resolve({ choices: [{ label: 'Trial users', value: 'trial_users' }] }),
    userId: () => Promise.reject(new Error('no users to offer'))
  }
  const actions = { ...loaded.definition.actions, syncAudience: { ...syncAudience, dynamicFields } }
  return { ...loaded, definition: { ...loaded.definition, actions } as unknown as LoadedDestination['definition'] }
}

describe('serve: audiences, dynamic fields and hooks', () => {
  let sim: Simulator
  let serving: Serving
  let output: ReturnType<typeof captureIO>
  const answers: HttpAnswer[] = []
  let settings: Record<string, unknown>

  const post = async (path: string, body: Record<string, unknown>) => {
    const answer = await call(serving.server.url, path, { body: { settings, ...body } })
    answers.push(answer)
    return answer
  }

  beforeAll(async () => {
    sim = await routedSimulator({ credentials: { apiKey: API_KEY, apiSecret: API_SECRET }, rateLimit: 0 })
    settings = { apiKey: API_KEY, apiSecret: API_SECRET, accountId: sim.credentials.accountId, region: 'US' }
    output = captureIO()
    serving = await serve(
      { directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, load: () => withDynamicField() },
      output.io
    )
  })

  afterAll(async () => {
    await serving.stop()
    await closeSimulators()
    const everything = [...answers.map((answer) => answer.text), output.all()].join('\n')
    for (const secret of SECRET_FORMS) expect(everything).not.toContain(secret)
  })

  it('lists the routes Segment’s serve has for them', () => {
    const listed = output.out.join('\n')
    for (const route of [
      'POST /createAudience',
      'POST /getAudience',
      'POST /syncAudience/segmentName',
      'POST /syncAudience/hooks/retlOnMappingSave',
      'POST /syncAudience/hooks/retlOnMappingSave/dynamic/existingSegmentId'
    ]) {
      expect(listed).toContain(route)
    }
  })

  it('creates an audience’s segment once, checks it, and says what to do once it is deleted in Appcues', async () => {
    const created = await post('/createAudience', { audienceName: 'Trial users', audienceSettings: {} })
    expect(created).toMatchObject({ status: 200, json: { externalId: 'seg_1' } })
    expect((await post('/createAudience', { audienceName: 'Trial users' })).json).toEqual({ externalId: 'seg_1' })
    expect(Object.values(sim.state().segments).map((segment) => segment.name)).toEqual(['Trial users'])
    expect(await post('/getAudience', { externalId: 'seg_1' })).toMatchObject({
      status: 200,
      json: { externalId: 'seg_1' }
    })

    const deleted = await fetch(`${sim.url}/v2/accounts/${String(settings.accountId)}/segments/seg_1`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}` }
    })
    expect(deleted.status).toBe(204)
    const gone = await post('/getAudience', { externalId: 'seg_1' })
    expect(gone).toMatchObject({ status: 400, json: { ok: false } })
    expect(gone.json.error).toContain('Remove the audience from Appcues (Actions) in Engage and connect it again')
  })

  it('answers a refused audience with 400, naming the setting, and no secret', async () => {
    const refused = await post('/createAudience', {
      audienceName: 'Anything',
      settings: { ...settings, apiSecret: 'wrong-secret' }
    })
    expect(refused).toMatchObject({ status: 400, json: { ok: false } })
    expect(refused.json.error).toContain('API Key and API Secret settings')
  })

  it('runs the hook and the choices of its dynamic input', async () => {
    const saved = await post('/syncAudience/hooks/retlOnMappingSave', {
      hookInputs: { operation: 'create', segmentName: 'Model users' }
    })
    expect(saved).toMatchObject({ status: 200, json: { savedData: { segmentName: 'Model users' } } })
    const segmentId = saved.json.savedData.segmentId as string
    const choices = await post('/syncAudience/hooks/retlOnMappingSave/dynamic/existingSegmentId', { hookInputs: {} })
    expect(choices).toMatchObject({ status: 200 })
    expect(choices.json.choices).toContainEqual({ label: 'Model users', value: segmentId })
    const missing = await post('/syncAudience/hooks/retlOnMappingSave', { hookInputs: { operation: 'existing' } })
    expect(missing).toMatchObject({ status: 500, json: [{ code: 'RETL_ON_MAPPING_SAVE_FAILED' }] })
  })

  it('answers the choices of a dynamic field, or 500 with the error', async () => {
    expect(await post('/syncAudience/segmentName', { payload: {} })).toMatchObject({
      status: 200,
      json: { choices: [{ label: 'Trial users', value: 'trial_users' }] }
    })
    expect(await post('/syncAudience/userId', {})).toMatchObject({
      status: 500,
      json: [{ message: 'no users to offer' }]
    })
  })

  it('runs Sync Audience on the segment a saved mapping names, with its sync mode', async () => {
    const saved = await post('/syncAudience/hooks/retlOnMappingSave', {
      hookInputs: { operation: 'create', segmentName: 'Rows' }
    })
    const mapping = { __segment_internal_sync_mode: 'mirror', retlOnMappingSave: { outputs: saved.json.savedData } }
    const row = (userId: string, event: string) => ({ type: 'track', event, userId, properties: {} })
    const ran = await post('/syncAudience', {
      payload: [row('u1', 'new'), row('u2', 'new'), row('u1', 'deleted')],
      mapping
    })
    expect(ran.status).toBe(200)
    const segment = sim.state().segments[saved.json.savedData.segmentId as string]
    expect(segment.members).toEqual(['u2'])
  })
})
