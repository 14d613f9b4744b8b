import fs from 'fs'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { DESTINATION_DIR } from '../../../src/cli/load-destination'
import { serve } from '../../../src/cli/serve'
import type { Serving } from '../../../src/cli/serve'
import { createPlayground } from '../../../src/cli/serve/playground'
import { inProcessTarget } from '../../../src/cli/serve/appcues-target'
import { startRoutedSimulator } from '../../../src/simulator'
import type { Simulator } from '../../../src/simulator'

/** Debian's chromium, which `.ci/run` installs. */
export const CHROMIUM = '/usr/bin/chromium'

/** Set to 1 to let a run without Chromium pass: the browser tests are then reported as skipped. */
export const SKIP_BROWSER_TESTS = 'APPCUES_SKIP_BROWSER_TESTS'

export type BrowserAvailability = { run: true } | { run: false; skip: boolean; reason: string }

/**
 * Whether the browser tests run. Without Chromium they fail, saying how to install it, unless the opt-out variable
 * is set: a green run never hides an untested playground.
 */
export function browserTestsRun(chromium = CHROMIUM, env: NodeJS.ProcessEnv = process.env): BrowserAvailability {
  if (fs.existsSync(chromium)) return { run: true }
  if (env[SKIP_BROWSER_TESTS] === '1') {
    return {
      run: false,
      skip: true,
      reason: `${chromium} is missing and ${SKIP_BROWSER_TESTS}=1, so the playground's browser tests are skipped.`
    }
  }
  return {
    run: false,
    skip: false,
    reason: `${chromium} is missing, so the playground's browser tests cannot run. Install Debian's chromium package (apt-get install chromium), or set ${SKIP_BROWSER_TESTS}=1 to skip them.`
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
}

export interface RunningPlayground {
  serving: Serving
  /** The in-process simulator Appcues' hosts are routed to while the playground runs. */
  simulator: Simulator
  url: string
  log: string[]
  stop(): Promise<void>
}

/** `serve` with the playground and its in-process simulator, as the command runs them, on a free port; its log kept. */
export async function startPlayground(): Promise<RunningPlayground> {
  const log: string[] = []
  const simulator = await startRoutedSimulator({ maxRecords: 10_000 })
  const playground = createPlayground({ simulator: inProcessTarget(simulator) })
  const io = { stdout: (line: string) => log.push(line), stderr: (line: string) => log.push(line) }
  const serving = await serve({ directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, routes: playground.routes }, io)
  return {
    serving,
    simulator,
    url: serving.server.url,
    log,
    stop: async () => {
      await serving.stop()
      await simulator.close()
    }
  }
}

/** Clicks Run and waits until the page has shown the outcome. */
export async function runOnPage(page: Page): Promise<void> {
  const before = Number((await page.getAttribute('body', 'data-runs')) ?? '0')
  await page.click('#run')
  await page.waitForSelector(`body[data-runs="${before + 1}"]`)
}

/** The exchanges the page shows, as "METHOD URL STATUS" lines. */
export async function shownExchanges(page: Page): Promise<Array<{ method: string; url: string; status: string }>> {
  return page.$$eval('#exchanges .exchange', (cards) =>
    cards.map((card) => ({
      method: card.querySelector('.method')?.textContent ?? '',
      url: card.querySelector('.url')?.textContent ?? '',
      status: card.querySelector('.http-status')?.textContent ?? ''
    }))
  )
}
