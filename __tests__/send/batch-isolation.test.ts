import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../../src/destinations/appcues'
import type { Settings } from '../../src/destinations/appcues/generated-types'
import { Deliverer } from '../../src/cli/send/deliver/deliver'
import type { DeliveryUnit } from '../../src/cli/send/deliver/deliver'
import { newBatchContext, newUnitContext, RequestInstrument } from '../../src/cli/send/deliver/instrument'
import type { AttemptResult } from '../../src/cli/send/deliver/outcomes'
import { RequestRateLimiter } from '../../src/cli/send/deliver/rate-limiter'
import { presetSubscriptions } from '../../src/cli/send/route/subscriptions'
import type { Simulator } from '../../src/simulator'
import { closeSimulators, routedSimulator } from '../simulator/helpers'

afterEach(() => closeSimulators())

/**
 * The destination with an Identify User whose batch path throws as a whole whenever one of its events is marked, the
 * way actions-core throws for a whole batch when one event trips it up.
 */
function destinationThatThrowsForMarkedEvents(): Destination<Settings> {
  const identifyUser = definition.actions.identifyUser
  const performBatch = identifyUser.performBatch!
  return new Destination({
    ...definition,
    actions: {
      ...definition.actions,
      identifyUser: {
        ...identifyUser,
        performBatch: (request, data) => {
          if (data.payload.some((payload) => payload.traits?.poison === true)) {
            throw new Error('Cannot read properties of null (reading something)')
          }
          return performBatch(request, data)
        }
      }
    }
  })
}

function settingsFor(sim: Simulator): JSONObject {
  const { accountId, apiKey, apiSecret } = sim.credentials
  return { accountId, apiKey, apiSecret, region: 'US' }
}

describe('a batch call that throws', () => {
  it('fails only the event that throws on its own; its neighbours are delivered', async () => {
    const sim = await routedSimulator({ rateLimit: 0 })
    const instrument = new RequestInstrument(new RequestRateLimiter(0), { requests: 0 })
    const deliverer = new Deliverer(destinationThatThrowsForMarkedEvents(), settingsFor(sim), instrument)
    const identify = presetSubscriptions(definition).find(
      (subscription) => subscription.partnerAction === 'identifyUser'
    )!
    const units: DeliveryUnit[] = [1, 2, 3, 4].map((line) => ({
      line,
      event: {
        type: 'identify',
        userId: `u${line}`,
        traits: { n: line, poison: line === 3 }
      } as unknown as SegmentEvent,
      index: 0,
      subscription: identify,
      context: newUnitContext(),
      attempts: 0
    }))
    const settled: Array<[number, AttemptResult]> = []
    const results = await deliverer.deliverBatch(units, newBatchContext(), (unit, result) =>
      settled.push([unit.line, result])
    )
    expect(results.map((result) => result.kind)).toEqual(['delivered', 'delivered', 'failed', 'delivered'])
    expect(settled.map(([line, result]) => [line, result.kind])).toEqual([
      [1, 'delivered'],
      [2, 'delivered'],
      [3, 'failed'],
      [4, 'delivered']
    ])
    expect(
      sim
        .state()
        .profiles.map((profile) => profile.userId)
        .sort()
    ).toEqual(['u1', 'u2', 'u4'])
  }, 30_000)
})
