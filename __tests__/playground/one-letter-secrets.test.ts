import type { Browser, Page } from 'playwright-core'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import { serve } from '../../src/cli/serve'
import type { Serving } from '../../src/cli/serve'
import { createPlayground } from '../../src/cli/serve/playground'
import { inProcessTarget } from '../../src/cli/serve/appcues-target'
import { startRoutedSimulator } from '../../src/simulator'
import type { Simulator } from '../../src/simulator'
import { browserTestsRun, launchChromium, runOnPage, shownExchanges } from './__helpers__/browser'

jest.setTimeout(60_000)

// Without Chromium, browser.test.ts fails (or reports the opt-out); this file only needs to stay out of the way.
const describeInChromium = browserTestsRun().run ? describe : describe.skip

describeInChromium('the playground page with one-letter credentials', () => {
  let sim: Simulator
  let serving: Serving
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const log: string[] = []

  beforeAll(async () => {
    sim = await startRoutedSimulator({ rateLimit: 0, credentials: { apiKey: 'k', apiSecret: 's', legacyApiKey: 'l' } })
    const playground = createPlayground({ simulator: inProcessTarget(sim) })
    const io = { stdout: (line: string) => log.push(line), stderr: (line: string) => log.push(line) }
    serving = await serve({ directory: DESTINATION_DIR, host: '127.0.0.1', port: 0, routes: playground.routes }, io)
    browser = await launchChromium()
    page = await (await browser.newContext()).newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${serving.server.url}/`)
    await page.waitForSelector('body[data-ready="true"]')
  })

  afterAll(async () => {
    await browser?.close()
    await serving?.stop()
    await sim?.close()
  })

  it('runs Track Event typed with "k" and "s" and shows every word of the result intact', async () => {
    await page.click('#action-list [data-action="trackEvent"]')
    await page.fill('#setting-apiKey', 'k')
    await page.fill('#setting-apiSecret', 's')
    await runOnPage(page)
    expect(pageErrors).toEqual([])
    expect(await page.getAttribute('#status', 'class')).toContain('ok')
    expect(await shownExchanges(page)).toEqual([
      {
        method: 'POST',
        url: 'https://api.appcues.com/v2/accounts/10001/users/user-1042/events',
        status: '202 Accepted'
      }
    ])
    expect(await page.textContent('#payload')).not.toContain('<redacted>')
    expect(await page.textContent('#holdings')).toContain('user-1042')
    expect(sim.state().events.map((event) => event.userId)).toEqual(['user-1042'])
    expect(log).toContainEqual(expect.stringMatching(/^200 POST \/playground\/run - \d+ms$/))
  })
})
