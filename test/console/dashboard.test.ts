import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'
import { until } from '../support/wait.js'

describeConsole('console: the dashboard', () => {
  let crm: ConsoleFixture

  beforeAll(async () => {
    crm = await startConsole()
    // Two new messages the embedded agent handles, so the intent and sentiment charts have today's data.
    await crm.deliver({
      from: { email: 'dash.one@example.com' },
      text: 'Where is my order? It has not arrived yet.',
    })
    await crm.deliver({ from: { email: 'dash.two@example.com' }, text: 'Thank you, the support was great!' })
    const today = new Date()
    const from = new Date(today.getTime() - 2 * 86_400_000).toISOString().slice(0, 10)
    const to = new Date(today.getTime() + 2 * 86_400_000).toISOString().slice(0, 10)
    // the embedded workers run the agent on them in the background
    await until(async () => {
      const dashboard = await crm.api<{ intents: unknown[] }>('GET', `/dashboard?from=${from}&to=${to}`)
      return dashboard.intents.length > 0
    }, 40_000)
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('draws its charts for the demo data, and refetches when the period changes', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    const requests: string[] = []
    tab.page.on('request', (request) => {
      if (request.url().includes('/api/v1/dashboard')) requests.push(request.url())
    })
    await tab.signIn('/dashboard')
    await tab.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    for (const chart of ['chart-volume', 'chart-intents', 'chart-sentiment', 'chart-times']) {
      await tab.page.getByTestId(chart).locator('svg.recharts-surface').first().waitFor()
    }
    expect(
      Number((await tab.page.getByTestId('kpi-received').textContent())?.replace(/\D/g, '')),
    ).toBeGreaterThan(0)
    expect(await tab.page.getByRole('button', { name: 'Last 30 days' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    await tab.screenshot('dashboard')

    const before = requests.length
    const url = new URL(requests.at(-1)!)
    expect(
      (Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!)) / 86_400_000,
    ).toBe(30)
    await tab.page.getByRole('button', { name: 'Last 7 days' }).click()
    await expect.poll(() => requests.length).toBeGreaterThan(before)
    const week = new URL(requests.at(-1)!)
    expect(
      (Date.parse(week.searchParams.get('to')!) - Date.parse(week.searchParams.get('from')!)) / 86_400_000,
    ).toBe(7)
    expect(new URL(tab.page.url()).searchParams.get('days')).toBe('7')
    await tab.page.getByTestId('chart-volume').locator('svg.recharts-surface').first().waitFor()

    // a custom range the console refuses before asking the server
    await tab.page.getByRole('button', { name: 'Custom range' }).click()
    await tab.page.getByLabel('First day').fill('2026-03-10')
    await tab.page.getByLabel('Last day').fill('2026-03-01')
    await tab.page.getByRole('button', { name: 'Show' }).click()
    await tab.page.getByText('The last day must not be before the first day.').waitFor()

    await tab.page.setViewportSize({ width: 390, height: 844 })
    await tab.page.getByTestId('chart-volume').locator('svg.recharts-surface').first().waitFor()
    await tab.screenshot('dashboard-390px')
    tab.expectNoProblems()
    await tab.close()
  })
})
