import { afterAll, beforeAll, expect, it } from 'vitest'
import { CONSOLE_ADMIN, describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'

describeConsole('console shell: sign in, navigation, sign out', () => {
  let crm: ConsoleFixture
  beforeAll(async () => {
    crm = await startConsole()
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('refuses a wrong password in words, signs in, shows the user, and survives a reload of a client route', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    tab.allow(/HTTP 401: POST .*\/api\/v1\/session$/)
    tab.allow(/status of 401/)
    await tab.page.goto(`${crm.base}/inbox`)
    await tab.page.getByLabel('Email').fill(CONSOLE_ADMIN.email)
    await tab.page.getByLabel('Password').fill('wrong password!')
    await tab.page.locator('button[type=submit]').click()
    await expect
      .poll(() => tab.page.getByRole('alert').textContent())
      .toBe('The email or password is wrong — check both and try again.')
    await tab.screenshot('sign-in')

    await tab.page.getByLabel('Password').fill(CONSOLE_ADMIN.password)
    await tab.page.locator('button[type=submit]').click()
    await expect.poll(() => tab.page.getByTestId('current-user').textContent()).toBe(CONSOLE_ADMIN.name)
    expect(await tab.page.getByRole('heading', { level: 1 }).textContent()).toBe('Inbox')

    // A client route survives a reload: the server answers index.html and the session cookie holds.
    await tab.page.reload()
    await tab.page.getByTestId('current-user').waitFor()
    expect(new URL(tab.page.url()).pathname).toBe('/inbox')
    tab.expectNoProblems()
    await tab.close()
  })

  it('opens every page from the side nav, and collapses the nav into a menu at 390 px', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/')
    const nav = tab.page.getByRole('navigation', { name: 'Main navigation' })
    for (const name of [
      'Customers',
      'Knowledge base',
      'Workflows',
      'Models',
      'Dashboard',
      'Settings',
      'Inbox',
    ]) {
      await nav.getByRole('link', { name }).click()
      await expect.poll(() => tab.page.getByRole('heading', { level: 1 }).first().textContent()).toBe(name)
    }
    await tab.page.setViewportSize({ width: 390, height: 800 })
    const menu = tab.page.getByRole('button', { name: 'Open the menu' })
    await expect.poll(() => nav.getByRole('link', { name: 'Customers' }).isVisible()).toBe(false)
    await menu.click()
    await nav.getByRole('link', { name: 'Customers' }).click()
    await expect
      .poll(() => tab.page.getByRole('heading', { level: 1 }).first().textContent())
      .toBe('Customers')
    await expect.poll(() => nav.getByRole('link', { name: 'Inbox' }).isVisible()).toBe(false)
    await tab.screenshot('shell-390px')
    tab.expectNoProblems()
    await tab.close()
  })

  it('signs out: the form comes back and the session check answers 200 with no user', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/')
    await tab.page.getByRole('button', { name: 'Sign out' }).click()
    await tab.page.locator('input[type=password]').waitFor()
    const session = await tab.page.evaluate(async () => {
      const response = await fetch('/api/v1/session')
      return { status: response.status, body: (await response.json()) as { user: unknown } }
    })
    expect(session).toEqual({ status: 200, body: { user: null, role: null } })
    tab.expectNoProblems()
    await tab.close()
  })

  it('serves the built console with a strict script policy, cached hashed assets and a favicon', async () => {
    const index = await fetch(`${crm.base}/customers/cus_123`)
    expect(index.status).toBe(200)
    const csp = index.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    const html = await index.text()
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeTruthy()
    const asset = await fetch(`${crm.base}${script}`)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect((await fetch(`${crm.base}/favicon.svg`)).status).toBe(200)
    const ico = await fetch(`${crm.base}/favicon.ico`)
    expect([ico.status, ico.headers.get('content-type')]).toEqual([200, 'image/svg+xml'])
    const unknownApi = await fetch(`${crm.base}/api/v1/no-such-thing`)
    expect(unknownApi.status).toBe(404)
    expect(((await unknownApi.json()) as { error: { code: string } }).error.code).toBe('CORE_ROUTE_NOT_FOUND')
  })
})
