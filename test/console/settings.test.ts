import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'

describeConsole('console: settings', () => {
  let crm: ConsoleFixture

  beforeAll(async () => {
    crm = await startConsole()
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('changes the workspace time zone, and dates on screen follow it', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/settings')
    await tab.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    expect(new URL(tab.page.url()).pathname).toBe('/settings/workspace')
    const created = tab.page.getByTestId('workspace-created')
    const shanghai = await created.textContent()
    expect(await tab.page.getByLabel('Time zone').inputValue()).toBe('Asia/Shanghai')
    await tab.screenshot('settings-workspace')

    await tab.page.getByLabel('Time zone').selectOption('America/New_York')
    await tab.page.getByRole('button', { name: 'Save' }).click()
    await tab.page.getByText('Saved.').waitFor()
    await expect.poll(() => created.textContent()).not.toBe(shanghai)
    const workspace = await crm.api<{ timeZone: string; createdAt: string }>('GET', '/workspace')
    expect(workspace.timeZone).toBe('America/New_York')
    // the same instant, written in New York time (13 hours behind Shanghai in winter, 12 in summer)
    const newYork = new Intl.DateTimeFormat('en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'America/New_York',
    }).format(new Date(workspace.createdAt))
    expect(await created.textContent()).toContain(newYork)

    await tab.page.getByLabel('Time zone').selectOption('Asia/Shanghai')
    await tab.page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => created.textContent()).toBe(shanghai)
    tab.expectNoProblems()
    await tab.close()
  })

  it('creates an API token and shows its secret exactly once', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/settings/tokens')
    await tab.page.getByLabel('Name').fill('Nightly export script')
    await tab.page.getByLabel('Role').selectOption('viewer')
    await tab.page.getByRole('button', { name: 'Create token' }).click()
    const dialog = tab.page.getByRole('dialog', { name: 'Your new API token' })
    await dialog.waitFor()
    const secret = await dialog.getByTestId('token-secret').inputValue()
    expect(secret.length).toBeGreaterThan(20)
    await tab.screenshot('settings-token-created')

    // the secret works as a bearer token
    const answer = await fetch(`${crm.base}/api/v1/workspace`, {
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(answer.status).toBe(200)

    await dialog.getByRole('button', { name: 'I have saved it' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
    await tab.page.getByTestId('tokens').getByText('Nightly export script').waitFor()
    expect(await tab.page.content()).not.toContain(secret)
    await tab.page.reload()
    await tab.page.getByTestId('tokens').getByText('Nightly export script').waitFor()
    expect(await tab.page.content()).not.toContain(secret)
    tab.expectNoProblems()
    await tab.close()
  })

  it('shows every section to an admin', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/settings/workspace')
    const tabs = tab.page.getByRole('navigation', { name: 'Settings sections' })
    for (const [name, heading] of [
      ['Notifications & assignment', 'Assignment rules'],
      ['Users', 'Users'],
      ['Inboxes & channels', 'Inboxes and channels'],
      ['LLM provider', 'LLM provider'],
      ['Agent thresholds & policies', 'Policies'],
    ] as const) {
      await tabs.getByRole('link', { name }).click()
      await tab.page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor()
    }
    await tab.page.getByLabel('Policy set (JSON)').waitFor()
    await tab.screenshot('settings-agent')
    await tab.page.setViewportSize({ width: 390, height: 844 })
    await tabs.getByRole('link', { name: 'API tokens' }).click()
    await tab.page.getByRole('button', { name: 'Create token' }).waitFor()
    await tab.screenshot('settings-390px')
    tab.expectNoProblems()
    await tab.close()
  })

  it('switches to Chinese and shows Chinese on the customers, dashboard and settings pages', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/settings/workspace')
    await tab.page.getByLabel('Language').selectOption('zh-CN')
    await tab.page.getByRole('heading', { level: 1, name: '设置' }).waitFor()
    await tab.page.getByRole('link', { name: '工作区' }).waitFor()
    await tab.page.getByLabel('时区').waitFor()
    const nav = tab.page.getByRole('navigation').first()
    await nav.getByRole('link', { name: '客户' }).click()
    await tab.page.getByRole('heading', { level: 1, name: '客户' }).waitFor()
    await tab.page.getByLabel('搜索客户').waitFor()
    await tab.page.getByRole('columnheader', { name: '等级' }).waitFor()
    await nav.getByRole('link', { name: '仪表盘' }).click()
    await tab.page.getByRole('heading', { level: 1, name: '仪表盘' }).waitFor()
    await tab.page.getByRole('button', { name: '最近 30 天' }).waitFor()
    await tab.page.getByRole('heading', { level: 2, name: '各渠道消息量' }).waitFor()
    await tab.screenshot('dashboard-zh')
    tab.expectNoProblems()
    await tab.close()
  })
})
