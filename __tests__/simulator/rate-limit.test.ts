import { account, call, closeSimulators, simulator } from './helpers'

afterEach(closeSimulators)

describe('the account rate limit', () => {
  it('answers 429 with Retry-After in the Appcues shape past the limit, and accepts again once the window has passed', async () => {
    const sim = await simulator({ rateLimit: 5 })
    const path = `${account(sim)}/users/u1/events`
    const body = { name: 'A', timestamp: '2024-05-01T09:00:00.000Z' }
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await call(sim, 'POST', path, body)).status)
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429])
    const limited = await call(sim, 'POST', path, body)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.body).toMatchObject({ error: true, status: 429, title: 'Too Many Requests' })
    expect(limited.body.detail).toContain('5 requests per second')
    expect(sim.state().counts.events).toBe(5)

    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await call(sim, 'POST', path, body)).status).toBe(202)
  })

  it('defaults to 60 requests per second and can be turned off', async () => {
    const limited = await simulator()
    const statuses = await Promise.all(
      Array.from({ length: 70 }, () => call(limited, 'GET', `${account(limited)}/tags`))
    )
    expect(statuses.filter((reply) => reply.status === 429)).toHaveLength(10)

    const unlimited = await simulator({ rateLimit: 0 })
    const all = await Promise.all(
      Array.from({ length: 70 }, () => call(unlimited, 'GET', `${account(unlimited)}/tags`))
    )
    expect(all.every((reply) => reply.status === 200)).toBe(true)
  })

  it('does not count requests refused for authentication', async () => {
    const sim = await simulator({ rateLimit: 2 })
    for (let i = 0; i < 3; i++) await call(sim, 'GET', `${account(sim)}/tags`, undefined, { auth: null })
    expect((await call(sim, 'GET', `${account(sim)}/tags`)).status).toBe(200)
  })
})
