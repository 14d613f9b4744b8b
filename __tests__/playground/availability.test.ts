import { browserTestsRun, SKIP_BROWSER_TESTS } from './__helpers__/browser'

describe('without Chromium, the browser tests are never skipped silently', () => {
  it('fails, saying how to install Chromium or opt out, when the browser is missing', () => {
    const availability = browserTestsRun('/nonexistent/chromium', { CI: undefined })
    expect(availability).toEqual({
      run: false,
      skip: false,
      reason: expect.stringContaining('apt-get install chromium')
    })
    expect(!availability.run && availability.reason).toContain(`set ${SKIP_BROWSER_TESTS}=1 to skip them`)
  })

  it(`skips them only when ${SKIP_BROWSER_TESTS}=1 is set`, () => {
    expect(browserTestsRun('/nonexistent/chromium', { [SKIP_BROWSER_TESTS]: '1' })).toEqual({
      run: false,
      skip: true,
      reason: expect.stringContaining('browser tests are skipped')
    })
    expect(browserTestsRun('/nonexistent/chromium', { [SKIP_BROWSER_TESTS]: 'yes' })).toMatchObject({ skip: false })
  })

  it('runs them when the browser is there, whatever the variable says', () => {
    expect(browserTestsRun(process.execPath, { [SKIP_BROWSER_TESTS]: '1' })).toEqual({ run: true })
  })
})
