// Preloaded into a child process (node --expose-gc --require): at exit, writes to the file named by
// BENCH_PEAK_RSS_FILE the process's peak resident set size (getrusage's ru_maxrss) and, after a full garbage
// collection, the heap still in use (what the process retains, as opposed to garbage not collected yet), in KB.
'use strict'
const fs = require('fs')

const file = process.env.BENCH_PEAK_RSS_FILE
if (file) {
  process.on('exit', () => {
    const maxRssKb = process.resourceUsage().maxRSS
    if (typeof global.gc === 'function') global.gc()
    const heapUsedAfterGcKb = Math.round(process.memoryUsage().heapUsed / 1024)
    fs.writeFileSync(file, JSON.stringify({ maxRssKb, heapUsedAfterGcKb }))
  })
}
