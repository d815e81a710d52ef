import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { cliActor } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { chromiumAvailable, launchChromium } from '../support/browser.js'
import { testDatabases, testServices } from '../support/databases.js'

const available = chromiumAvailable()

if (!available && testServices.requireServices) {
  describe('console in Chromium', () => {
    it('runs (AGENTCRM_REQUIRE_SERVICES=1)', () => {
      throw new Error('Chromium is not installed at /usr/bin/chromium but AGENTCRM_REQUIRE_SERVICES=1')
    })
  })
}

describe.skipIf(!available)('console in Chromium', () => {
  let t: TestApp
  let chromium: { context: BrowserContext; close(): Promise<void> }
  let base: string
  beforeAll(async () => {
    t = await createTestApp(testDatabases()[0])
    await t.app.access.createUser(
      { email: 'lead@example.com', password: 'a long passphrase', role: 'admin' },
      cliActor,
    )
    for (const name of ['王小明', '李娜', 'Alice Smith']) {
      await t.app.crm.customers.create(
        { name, locale: 'zh-CN', tier: 'standard', lifecycleStage: 'customer', tags: [], attributes: {} },
        cliActor,
      )
    }
    base = await t.server.listen({ port: 0, host: '127.0.0.1' })
    chromium = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await chromium?.close()
    await t?.dispose()
  })

  it('signs in with the session cookie, lists and searches customers in Chinese, and signs out', async () => {
    const page = await chromium.context.newPage()
    await page.goto(base)
    await page.getByLabel('Email 邮箱').fill('lead@example.com')
    await page.getByLabel('Password 密码').fill('wrong password!')
    await page.getByRole('button', { name: 'Sign in 登录' }).click()
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('wrong')

    await page.getByLabel('Password 密码').fill('a long passphrase')
    await page.getByRole('button', { name: 'Sign in 登录' }).click()
    await page.locator('#rows tr').first().waitFor()
    expect(await page.locator('#rows tr').count()).toBe(3)
    expect(await page.locator('#who').textContent()).toContain('lead@example.com')

    await page.locator('#q').fill('小明')
    await page.locator('#q').press('Enter')
    await expect.poll(() => page.locator('#rows tr').count()).toBe(1)
    expect(await page.locator('#rows').textContent()).toContain('王小明')

    await page.getByRole('button', { name: 'Sign out 退出' }).click()
    await page.locator('#login').waitFor()
    const session = (await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()))) as {
      user: unknown
    }
    expect(session.user).toBeNull()
  })
})
