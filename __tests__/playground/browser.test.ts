import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Browser, BrowserContext, Page, Response } from 'playwright-core'
import destination from '../../src/destinations/appcues'
import { browserTestsRun, launchChromium, runOnPage, shownExchanges, startPlayground } from './__helpers__/browser'
import type { RunningPlayground } from './__helpers__/browser'

jest.setTimeout(60_000)

const SCREENSHOT = path.resolve(__dirname, '..', '..', 'docs', 'playground.png')
const ACCOUNT = '/v2/accounts/10001'

// Typed into the settings form; no form of them may come back from the server.
const TYPED_KEY = 'TYPED-KEY-5d1f0c7a9e'
const TYPED_SECRET = 'TYPED-SECRET-8b2e4f6a1c'
const TYPED_LEGACY = 'TYPED-LEGACY-3c9d7e5b2a'
const typedForms = [
  TYPED_KEY,
  TYPED_SECRET,
  TYPED_LEGACY,
  Buffer.from(`${TYPED_KEY}:${TYPED_SECRET}`).toString('base64'),
  Buffer.from(`${TYPED_LEGACY}:`).toString('base64')
]

const availability = browserTestsRun()

if (!availability.run) {
  const { reason, skip } = availability
  // eslint-disable-next-line no-console
  console.warn(reason)
  describe('the mapping playground in Chromium', () => {
    if (skip) it.skip(`is skipped: ${reason}`, () => undefined)
    else
      it('needs Chromium', () => {
        throw new Error(reason)
      })
  })
} else {
  describe('the mapping playground in Chromium', () => {
    let server: RunningPlayground
    let browser: Browser
    let context: BrowserContext
    let page: Page
    const answers: Array<Promise<string>> = []
    const pageErrors: string[] = []
    const runInView = () =>
      page.$eval('#run', (button) => {
        const box = button.getBoundingClientRect()
        return box.top >= 0 && box.bottom <= window.innerHeight
      })

    const recordAnswer = (response: Response) => {
      answers.push(
        response.text().then(
          (text) => `${response.url()} ${JSON.stringify(response.headers())}\n${text}`,
          () => response.url()
        )
      )
    }

    const pick = async (actionKey: string) => {
      await page.click(`#action-list [data-action="${actionKey}"]`)
    }

    const setMapping = async (fieldKey: string, text: string) => {
      await page.fill(`#map-${fieldKey}`, text)
    }

    const holdingText = (selector: string) => page.textContent(`#holdings ${selector}`)

    beforeAll(async () => {
      server = await startPlayground()
      browser = await launchChromium()
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      page = await context.newPage()
      page.on('response', recordAnswer)
      page.on('pageerror', (error) => pageErrors.push(error.message))
      await page.goto(`${server.url}/`)
      await page.waitForSelector('body[data-ready="true"]')
    })

    afterAll(async () => {
      await browser?.close()
      await server?.stop()
    })

    afterEach(() => {
      expect(pageErrors).toEqual([])
    })

    it('lists the actions and shows each field as the mapping UI does', async () => {
      const actions = await page.$$eval('#action-list button', (buttons) => buttons.map((b) => b.textContent))
      // Every action of the definition in its order (a generated action too), then the privacy deletion.
      const titles = Object.values(destination.actions).map((action) => action.title)
      expect(titles).toEqual(
        expect.arrayContaining([
          'Identify User',
          'Track Event',
          'Page View',
          'Identify Group',
          'Delete User',
          'Send',
          'Sync Audience to Appcues Segment'
        ])
      )
      expect(actions).toEqual([...titles, 'Privacy Deletion'])
      await pick('trackEvent')
      const head = await page.textContent('#field-event .field-head')
      expect(head).toContain('Event Name')
      expect(head).toContain('Required')
      expect(head).toContain('string')
      expect(await page.textContent('#field-event')).toContain('Appcues accepts at most 127 characters.')
      expect(await page.textContent('#field-event .default')).toBe('Default mapping: {"@path":"$.event"}')
      expect(await page.inputValue('#map-userId')).toBe('{"@path":"$.userId"}')
      expect(await page.textContent('#presets')).toContain('Preset: Track Calls')
      // The event editor holds the track sample, and the page says requests go to the simulator.
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({
        type: 'track',
        event: 'Report Created'
      })
      expect(await page.textContent('#target-note')).toContain(
        `Appcues simulator on this machine (${server.simulator.url})`
      )
      expect(await page.inputValue('#setting-accountId')).toBe(String(server.simulator.credentials.accountId))
      expect(await page.getAttribute('#setting-apiKey', 'type')).toBe('password')
      expect(await page.getAttribute('#setting-apiSecret', 'type')).toBe('password')
      expect(await page.inputValue('#setting-apiKey')).toBe('')
    })

    it('runs Identify User on the identify sample and shows the profile the simulator now holds', async () => {
      await pick('identifyUser')
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({ type: 'identify' })
      await runOnPage(page)
      expect(await page.getAttribute('#status', 'class')).toContain('ok')
      expect(await shownExchanges(page)).toEqual([
        { method: 'PATCH', url: expect.stringMatching(`${ACCOUNT}/users/user-1042/profile$`), status: '200 OK' }
      ])
      const user = await holdingText('[data-user="user-1042"]')
      expect(user).toContain('company_name')
      expect(user).toContain('Acme Inc.')
      expect(await page.textContent('#payload')).toContain('"Ada Lovelace"')
      expect(server.simulator.state().users['user-1042']).toMatchObject({ plan: 'pro' })
    })

    it('runs Track Event and shows the event among the user’s latest', async () => {
      await pick('trackEvent')
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringMatching(`${ACCOUNT}/users/user-1042/events$`), status: '202 Accepted' }
      ])
      expect(await holdingText('[data-user="user-1042"] .events')).toContain('Report Created')
      expect(await page.textContent('#field-value-event')).toBe('Mapped value: "Report Created"')
    })

    it('runs Page View, and the Screen Calls preset one click away', async () => {
      await pick('pageView')
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({ type: 'page' })
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringMatching(`${ACCOUNT}/users/user-1042/events$`), status: '202 Accepted' }
      ])
      expect(await holdingText('[data-user="user-1042"] .events li:first-child')).toContain('Page Viewed')

      await page.click('#presets [data-preset="Screen Calls"]')
      expect(await page.inputValue('#map-event')).toBe('"Screen Viewed"')
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({ type: 'screen', name: 'Checkout' })
      await runOnPage(page)
      expect(await holdingText('[data-user="user-1042"] .events li:first-child')).toContain('Screen Viewed')
    })

    it('runs Identify Group: the group profile, then the membership', async () => {
      await pick('identifyGroup')
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({ type: 'group' })
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'PATCH', url: expect.stringMatching(`${ACCOUNT}/groups/acme-inc/profile$`), status: '200 OK' },
        { method: 'POST', url: expect.stringMatching(`${ACCOUNT}/groups/acme-inc/users$`), status: '204 No Content' }
      ])
      const group = await holdingText('[data-group="acme-inc"]')
      expect(group).toContain('billing_cycle')
      expect(group).toContain('Members: user-1042.')
    })

    it('runs Delete User, which subscribes to nothing by default, on the track sample', async () => {
      await pick('deleteUser')
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({ type: 'track', userId: 'user-1042' })
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringMatching(/\/v1\/gdpr\/delete$/), status: '200 OK' }
      ])
      expect(await holdingText('[data-user="user-1042"]')).toContain('Erasure requested 1 time(s).')
    })

    it('runs the legacy Send action through the Segment endpoint', async () => {
      await pick('send')
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringMatching(`${ACCOUNT}/segment/direct$`), status: '200 OK' }
      ])
      expect(await holdingText('[data-user="user-1042"]')).toContain('1 Segment message(s) received through Send.')
    })

    it('runs Sync Audience by name, then connects an audience and sends its changes straight to its segment', async () => {
      await pick('syncAudience')
      expect(JSON.parse(await page.inputValue('#event-editor'))).toMatchObject({
        type: 'track',
        event: 'Audience Entered'
      })
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'GET', url: expect.stringMatching(`${ACCOUNT}/segments$`), status: '200 OK' },
        { method: 'POST', url: expect.stringMatching(`${ACCOUNT}/segments$`), status: '201 Created' },
        { method: 'POST', url: expect.stringMatching(/\/segments\/seg_\d+\/add_user_ids$/), status: '200 OK' }
      ])

      await page.fill('#audience-name', 'Trial users who invited')
      await page.click('#connect-audience')
      await page.waitForSelector('body[data-audience]')
      const segmentId = await page.getAttribute('body', 'data-audience')
      expect(await page.textContent('#audience-status')).toContain(`Connected: Appcues segment ${segmentId}`)
      expect(await shownExchanges(page)).toEqual([
        { method: 'GET', url: expect.stringMatching(`${ACCOUNT}/segments$`), status: '200 OK' },
        { method: 'POST', url: expect.stringMatching(`${ACCOUNT}/segments$`), status: '201 Created' }
      ])
      const event = JSON.parse(await page.inputValue('#event-editor'))
      expect(event.context.personas.external_audience_id).toBe(segmentId)

      await runOnPage(page)
      const add = `${ACCOUNT}/segments/${segmentId ?? ''}/add_user_ids`
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringContaining(add), status: '200 OK' }
      ])
      expect(await holdingText('[data-user="user-1042"]')).toContain(`Trial users who invited (${segmentId ?? ''})`)
      await page.click('#samples [data-sample="audience exited"]')
      await runOnPage(page)
      const remove = `${ACCOUNT}/segments/${segmentId ?? ''}/remove_user_ids`
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringContaining(remove), status: '200 OK' }
      ])
    })

    it('runs a privacy deletion (onDelete) on the delete sample, erasing both IDs', async () => {
      await page.click('#samples [data-sample="delete"]')
      expect(await page.getAttribute('#action-list [data-action="@delete"]', 'aria-pressed')).toBe('true')
      await runOnPage(page)
      expect(await shownExchanges(page)).toEqual([
        { method: 'POST', url: expect.stringMatching(/\/v1\/gdpr\/delete$/), status: '200 OK' }
      ])
      expect(await page.textContent('#exchanges .exchange pre')).toContain('7f3c9a52-2b1e-4c8d-9e0f-5a6b7c8d9e01')
      // This run's erasure request, and the Delete User run's counted among what earlier runs left.
      expect(await holdingText('[data-user="user-1042"]')).toContain('Erasure requested 1 time(s).')
      expect(await holdingText('[data-user="user-1042"] .earlier')).toContain('1 erasure request')
      expect(await holdingText('[data-user="7f3c9a52-2b1e-4c8d-9e0f-5a6b7c8d9e01"]')).toContain('Erasure requested')
    })

    it('shows a required field mapped to nothing beside that field, and sends nothing', async () => {
      await pick('trackEvent')
      const requestsBefore = server.simulator.counts().requests
      await setMapping('userId', '')
      await runOnPage(page)
      expect(await page.textContent('#field-error-userId')).toBe(
        'User ID is required, but its mapping gives no value for this event.'
      )
      expect(await page.isVisible('#field-error-userId')).toBe(true)
      expect(await page.getAttribute('#field-userId', 'class')).toContain('invalid')
      expect(await page.textContent('#exchanges')).toBe('None.')
      expect(server.simulator.counts().requests).toBe(requestsBefore)
    })

    it('shows an event name over 127 characters beside the Event Name field', async () => {
      await pick('trackEvent')
      await setMapping('event', JSON.stringify('x'.repeat(130)))
      await runOnPage(page)
      expect(await page.textContent('#field-error-event')).toBe(
        'Event Name must be 127 characters or fewer but it was 130 characters.'
      )
      expect(await page.isVisible('#field-error-userId')).toBe(false)
      expect(await page.textContent('#payload-note')).toContain('It did not reach the action')
    })

    it('shows broken mappings beside their fields: invalid JSON, and a directive that does not exist', async () => {
      await pick('trackEvent')
      await setMapping('properties', '{"@path": ')
      await runOnPage(page)
      expect(await page.textContent('#field-error-properties')).toMatch(/^This mapping is not valid JSON: /)

      await setMapping('properties', '{"@pth": "$.properties"}')
      await runOnPage(page)
      expect(await page.textContent('#field-error-properties')).toBe('This mapping has an invalid directive: @pth.')
    })

    it('never sends a secret typed in the settings form back to the page', async () => {
      await pick('trackEvent')
      await page.fill('#setting-apiKey', TYPED_KEY)
      await page.fill('#setting-apiSecret', TYPED_SECRET)
      await page.fill('#setting-legacyApiKey', TYPED_LEGACY)
      // A secret pasted into the event as well is scrubbed from everything the server answers.
      const event = JSON.parse(await page.inputValue('#event-editor'))
      event.properties.note = `pasted ${TYPED_SECRET}`
      await page.fill('#event-editor', JSON.stringify(event, null, 2))
      await runOnPage(page)
      expect(await page.textContent('#payload')).toContain('"note": "pasted <redacted>"')
      // The simulator refuses the unknown key pair; the page says so beside the API Key setting.
      expect(await shownExchanges(page)).toEqual([
        {
          method: 'POST',
          url: expect.stringMatching(`${ACCOUNT}/users/user-1042/events$`),
          status: '401 Unauthorized'
        }
      ])
      expect(await page.textContent('#setting-error-apiKey')).toContain('Check that the API Key and API Secret')
      expect(await page.textContent('#exchanges')).toContain('<redacted>')

      await page.click('#samples [data-sample="delete"]')
      await runOnPage(page)
      expect((await shownExchanges(page))[0].status).toBe('401 Unauthorized')

      const everything = [...(await Promise.all(answers)), await page.content(), ...server.log].join('\n')
      expect(everything).toContain('/playground/run')
      for (const form of typedForms) expect(everything).not.toContain(form)

      for (const key of ['apiKey', 'apiSecret', 'legacyApiKey']) await page.fill(`#setting-${key}`, '')
    })

    it('stays usable in a narrow window', async () => {
      await page.setViewportSize({ width: 380, height: 800 })
      try {
        await pick('identifyUser')
        await runOnPage(page)
        expect((await shownExchanges(page))[0].status).toBe('200 OK')
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect(overflow).toBeLessThanOrEqual(0)
        expect(await runInView()).toBe(true)
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
        expect(await runInView()).toBe(true)
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 })
      }
    })

    it('shows only this run’s effect after an earlier run, and offers to clear the simulator', async () => {
      const simulator = server.simulator
      simulator.reset()
      await pick('trackEvent')
      await runOnPage(page)
      expect(await page.$('#earlier-runs')).toBeNull()
      await pick('identifyUser')
      await runOnPage(page)
      const user = '#holdings [data-user="user-1042"]'
      expect(await page.textContent(user)).toContain('This run set these profile attributes:')
      expect(await page.$(`${user} .events`)).toBeNull()
      expect(await page.textContent(`${user} .earlier`)).toBe('Not shown: 1 event from earlier runs.')
      await page.click('#earlier-runs button')
      // The status already reads "ok" from the run: wait for the reset's own message, not for the class.
      await page.waitForSelector('#status.ok:has-text("The simulator is empty again.")')
      expect(simulator.counts().events).toBe(0)
    })

    it('shows complete JSON, and request URLs that wrap between their parts', async () => {
      await pick('identifyUser')
      await runOnPage(page)
      const cut = await page.$$eval('#payload, #exchanges pre', (boxes) =>
        boxes.filter((box) => box.scrollHeight > box.clientHeight + 1).map((box) => box.textContent)
      )
      expect(cut).toEqual([])
      expect(JSON.parse((await page.textContent('#payload')) ?? '')).toMatchObject({ userId: 'user-1042' })
      const url = await page.$eval('#exchanges .url', (node) => ({
        breaks: node.querySelectorAll('wbr').length,
        wrap: getComputedStyle(node).overflowWrap,
        text: node.textContent
      }))
      expect(url.wrap).toBe('break-word')
      expect(url.breaks).toBe((url.text ?? '').split('/').length - 1)
    })

    it('shows the result beside the editors at 800 pixels wide, without scrolling the page', async () => {
      await page.setViewportSize({ width: 800, height: 700 })
      try {
        await pick('trackEvent')
        await runOnPage(page)
        const inView = await page.$$eval('#status, #exchanges .exchange-head', (nodes) =>
          nodes.map((node) => node.getBoundingClientRect().bottom <= window.innerHeight)
        )
        expect(inView).toEqual([true, true])
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
          0
        )
        expect(await runInView()).toBe(true)
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 })
      }
    })

    it('renders a result worth a screenshot: Track Event, then Identify User', async () => {
      const simulator = server.simulator
      simulator.reset()
      await pick('trackEvent')
      await runOnPage(page)
      await pick('identifyUser')
      await runOnPage(page)
      // A window tall enough for the whole result: the mapped payload, the request and what the run did.
      const resultHeight = await page.$eval('#result-title', (title) => {
        const panel = title.parentElement as HTMLElement
        return panel.getBoundingClientRect().top + panel.scrollHeight + 16
      })
      await page.setViewportSize({ width: 1280, height: Math.max(900, Math.ceil(resultHeight)) })
      let image: Buffer
      try {
        image = await page.screenshot()
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 })
      }
      expect(await page.$('#holdings [data-user="user-1042"] .events')).toBeNull()
      expect(image.length).toBeGreaterThan(20_000)
      // docs/playground.png is committed: rewrite it only when asked to, or when it is missing.
      const target =
        process.env.UPDATE_PLAYGROUND_SCREENSHOT || !fs.existsSync(SCREENSHOT)
          ? SCREENSHOT
          : path.join(os.tmpdir(), 'playground.png')
      fs.writeFileSync(target, image)
    })
  })
}
