/** BENCH_QUICK=1 runs every figure on tiny inputs: a smoke test of the machinery, not a measurement. */
export const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true'

/** Sizes of each figure, full and quick. */
export const SIZES = QUICK
  ? {
      overhead: { warmupEvents: 20, pairs: 2, eventsPerBlock: 20 },
      requests: { events: 200, batchSizes: [100] },
      throughput: { events: 300, rounds: 1, concurrency: 10 },
      rateLimit: { windowSeconds: 3, events: 400, simulatorLimit: 60, sendRate: 50 },
      memory: { smallLines: 2_000, largeLines: 20_000, deliverableEvery: 100 },
      startup: { rounds: 2 }
    }
  : {
      overhead: { warmupEvents: 1000, pairs: 30, eventsPerBlock: 100 },
      requests: { events: 5000, batchSizes: [100, 500, 1000] },
      throughput: { events: 20_000, rounds: 3, concurrency: 10 },
      rateLimit: { windowSeconds: 30, events: 6000, simulatorLimit: 60, sendRate: 50 },
      memory: { smallLines: 10_000, largeLines: 1_000_000, deliverableEvery: 100 },
      startup: { rounds: 15 }
    }
