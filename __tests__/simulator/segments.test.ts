import { describeHoldings } from '../../src/simulator'
import { account, call, closeSimulators, simulator } from './helpers'

afterEach(closeSimulators)

describe('Appcues segments in the simulator', () => {
  it('lists, creates, adds and removes users, and shows each segment’s members in the state', async () => {
    const sim = await simulator()
    const segments = `${account(sim)}/segments`
    expect(await call(sim, 'GET', segments)).toMatchObject({ status: 200, body: [] })

    const created = await call(sim, 'POST', segments, { name: 'trial_invited', description: 'Synced from Segment' })
    expect(created).toMatchObject({ status: 201, body: { name: 'trial_invited', description: 'Synced from Segment' } })
    const id = created.body.id as string
    expect((await call(sim, 'GET', segments)).body).toEqual([created.body])

    expect(await call(sim, 'POST', `${segments}/${id}/add_user_ids`, { user_ids: ['u1', 'u2', 'u3'] })).toMatchObject({
      status: 200,
      body: { id, user_count: 3 }
    })
    expect(
      (await call(sim, 'POST', `${segments}/${id}/remove_user_ids`, { user_ids: ['u2', 'never-added'] })).status
    ).toBe(200)

    const state = (await call(sim, 'GET', '/_simulator/state')).body
    expect(state.segments).toEqual({
      [id]: { name: 'trial_invited', description: 'Synced from Segment', members: ['u1', 'u3'] }
    })
    expect(state.segmentChanges).toMatchObject([
      { segmentId: id, change: 'add', userIds: ['u1', 'u2', 'u3'] },
      { segmentId: id, change: 'remove', userIds: ['u2', 'never-added'] }
    ])
    expect(state.counts).toMatchObject({ segmentCreations: 1, segmentChanges: 2 })
    expect(describeHoldings(state)).toContain('  segments        1 segment (trial_invited ×2), 2 membership changes')
  })

  it('checks the contract: a name to create, a non-empty list of ids, a segment that exists, the right method', async () => {
    const sim = await simulator()
    const segments = `${account(sim)}/segments`
    const noName = await call(sim, 'POST', segments, { description: 'x' })
    expect(noName.status).toBe(400)
    expect(noName.body.detail).toContain('"name"')
    expect((await call(sim, 'POST', segments, { name: '' })).status).toBe(400)
    const id = (await call(sim, 'POST', segments, { name: 'a' })).body.id as string
    expect((await call(sim, 'POST', `${segments}/${id}/add_user_ids`, { user_ids: [] })).status).toBe(400)
    expect((await call(sim, 'POST', `${segments}/${id}/add_user_ids`, { users: ['u1'] })).status).toBe(400)
    const missing = await call(sim, 'POST', `${segments}/nope/remove_user_ids`, { user_ids: ['u1'] })
    expect(missing.status).toBe(404)
    expect(missing.body.detail).toContain('"nope"')
    expect((await call(sim, 'GET', `${segments}/${id}/add_user_ids`)).status).toBe(405)
    expect((await call(sim, 'GET', segments, undefined, { auth: null })).status).toBe(401)
    expect(sim.state().segments[id].members).toEqual([])
  })

  it('reads and deletes one segment, answers 404 for it once deleted, never reuses its ID, and counts each route', async () => {
    const sim = await simulator()
    const segments = `${account(sim)}/segments`
    const created = (await call(sim, 'POST', segments, { name: 'trial' })).body
    expect(await call(sim, 'GET', `${segments}/${created.id as string}`)).toMatchObject({ status: 200, body: created })
    expect((await call(sim, 'DELETE', `${segments}/${created.id as string}`)).status).toBe(204)
    const gone = await call(sim, 'GET', `${segments}/${created.id as string}`)
    expect(gone).toMatchObject({
      status: 404,
      body: { detail: `No segment "${created.id as string}" in this account` }
    })
    expect((await call(sim, 'DELETE', `${segments}/${created.id as string}`)).status).toBe(404)
    expect(
      (await call(sim, 'POST', `${segments}/${created.id as string}/add_user_ids`, { user_ids: ['u1'] })).status
    ).toBe(404)
    const next = (await call(sim, 'POST', segments, { name: 'trial' })).body
    expect(next.id).not.toBe(created.id)
    const state = sim.state()
    expect(state.segmentDeletions).toMatchObject([{ segmentId: created.id, name: 'trial' }])
    expect(state.counts).toMatchObject({
      segmentCreations: 2,
      segmentDeletions: 1,
      requestsByRoute: { segments: 2, segment: 4, segmentAddUsers: 1 }
    })
    expect(describeHoldings(state)).toContain('  segments        1 segment (trial ×0), 1 deleted, 0 membership changes')
  })

  it('shows segment deletions among the holdings also when no segment is left', async () => {
    const sim = await simulator()
    const segments = `${account(sim)}/segments`
    const id = (await call(sim, 'POST', segments, { name: 'trial' })).body.id as string
    expect((await call(sim, 'DELETE', `${segments}/${id}`)).status).toBe(204)
    expect(describeHoldings(sim.state())).toContain('  segments        0 segments, 1 deleted, 0 membership changes')
  })

  it('applies the rate limit and injected faults to the segment routes like the others', async () => {
    const limited = await simulator({ rateLimit: 2 })
    const replies = await Promise.all([1, 2, 3].map(() => call(limited, 'GET', `${account(limited)}/segments`)))
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 429])

    const faulty = await simulator({ faults: { errorRates: { 503: 1 }, routes: ['segmentAddUsers'] } })
    const segments = `${account(faulty)}/segments`
    const id = (await call(faulty, 'POST', segments, { name: 'a' })).body.id as string
    expect((await call(faulty, 'POST', `${segments}/${id}/add_user_ids`, { user_ids: ['u1'] })).status).toBe(503)
    expect(faulty.state().segments[id].members).toEqual([])
  })
})
