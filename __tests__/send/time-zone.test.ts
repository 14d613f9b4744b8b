import fs from 'fs'
import path from 'path'
import { closeSimulators, simulator } from '../simulator/helpers'
import { cli, removeTempDirs, targetArgs, tempDir } from './helpers'

afterEach(async () => {
  await closeSimulators()
  removeTempDirs()
})

describe('timestamps without an offset are read as UTC on every machine (issue 18, case 8)', () => {
  it.each(['America/New_York', 'Asia/Kolkata', 'UTC'])(
    'stores the same time when send runs in %s',
    async (zone) => {
      const sim = await simulator({ rateLimit: 0 })
      const dir = tempDir()
      const file = path.join(dir, 'events.jsonl')
      const event = { type: 'track', userId: 'u1', event: 'Report Created', timestamp: '2026-03-01T10:00:00' }
      fs.writeFileSync(file, `${JSON.stringify(event)}\n`)
      const run = cli(['send', file, ...targetArgs(sim), '--quiet', '--dead-letter', path.join(dir, 'dead.jsonl')], {
        env: { TZ: zone }
      })
      expect((await run.exit).code).toBe(0)
      expect(sim.state().events.map((stored) => stored.timestamp)).toEqual(['2026-03-01T10:00:00.000Z'])
    },
    60_000
  )
})
