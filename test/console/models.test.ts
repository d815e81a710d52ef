import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'

describeConsole('console: models, evaluation reports and training', () => {
  let crm: ConsoleFixture

  beforeAll(async () => {
    crm = await startConsole()
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('opens the evaluation report of the active intent model: table, heatmap and reliability chart', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/models')
    await tab.page.getByRole('heading', { level: 1, name: 'Models' }).waitFor()
    await tab.page.getByTestId('task-intent').getByRole('table').waitFor()
    await tab.screenshot('models')
    await tab.page.getByRole('link', { name: 'Evaluation report of Intent v1' }).click()
    await tab.page.getByRole('heading', { level: 1, name: 'Intent model v1' }).waitFor()
    const table = tab.page.getByTestId('per-label-table')
    await table.waitFor()
    // 18 built-in intent labels, one row each
    expect(await table.locator('tbody tr').count()).toBe(18)
    const heatmap = tab.page.getByTestId('confusion-heatmap')
    expect(await heatmap.locator('tbody tr').count()).toBe(18)
    expect(await heatmap.locator('tbody tr').first().locator('td').count()).toBe(18)
    await tab.page.getByTestId('reliability-chart').locator('svg.recharts-surface').first().waitFor()
    expect(await tab.page.getByTestId('worst-errors').locator('tbody tr').count()).toBeGreaterThan(0)
    await tab.screenshot('model-report')
    await tab.page.setViewportSize({ width: 390, height: 844 })
    await tab.page.getByTestId('confusion-heatmap').waitFor()
    expect(await tab.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await tab.screenshot('model-report-390px')
    tab.expectNoProblems()
    await tab.close()
  })

  it('starts a training job, watches it finish, and shows the new version', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/models')
    const training = tab.page.getByTestId('training-sentiment')
    await training.getByRole('button', { name: 'Train a new version' }).click()
    await training.getByRole('progressbar').waitFor()
    await training.getByTestId('training-result').waitFor({ timeout: 60_000 })
    expect(await training.getByTestId('training-result').textContent()).toContain('v2')
    await tab.page.getByTestId('task-sentiment').getByRole('rowheader', { name: 'v2' }).waitFor()
    const jobs = await crm.api<{ items: { status: string; progress: number; modelVersion: number }[] }>(
      'GET',
      '/nlu/training-jobs?task=sentiment',
    )
    expect(jobs.items[0]).toMatchObject({ status: 'succeeded', progress: 1, modelVersion: 2 })
    await tab.screenshot('models-trained')
    tab.expectNoProblems()
    await tab.close()
  })

  it('switches to Chinese on the models page', async () => {
    const tab = await crm.newPage({ locale: 'en-US', width: 390, height: 844 })
    await tab.signIn('/models')
    await tab.page.getByRole('heading', { level: 1, name: 'Models' }).waitFor()
    await tab.page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
    await tab.page.getByRole('heading', { level: 1, name: '模型' }).waitFor()
    await tab.page.getByRole('heading', { level: 2, name: '意图' }).waitFor()
    const text = await tab.page.locator('main').innerText()
    expect(text).toContain('训练新版本')
    expect(text).toContain('宏平均 F1')
    expect(text).not.toContain('Train a new version')
    expect(await tab.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await tab.screenshot('models-zh-390px')
    tab.expectNoProblems()
    await tab.close()
  })
})
