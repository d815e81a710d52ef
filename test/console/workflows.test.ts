import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'
import { until } from '../support/wait.js'

interface Run {
  id: string
  workflowId: string
  workflowKey: string
  status: string
}

describeConsole('console: workflows and runs', () => {
  let crm: ConsoleFixture
  let run: Run

  beforeAll(async () => {
    crm = await startConsole()
    const delivered = await crm.deliver({
      from: { email: 'flow.tester@example.com' },
      text: 'Where is my order? It has not arrived.',
    })
    // the embedded workers run the inbound workflow in the background
    await until(async () => {
      const page = await crm.api<{ items: Run[] }>('GET', `/workflow-runs?messageId=${delivered.messageId}`)
      const done = page.items.find((item) => item.status === 'done')
      if (done) run = done
      return done !== undefined
    }, 40_000)
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('opens a workflow and its graph, then a run with its step timeline', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/workflows')
    await tab.page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor()
    const list = tab.page.getByTestId('workflow-list')
    await list.waitFor()
    const workflow = await crm.api<{ name: string; definition: { steps: unknown[] } }>(
      'GET',
      `/workflows/${run.workflowId}`,
    )
    await list.getByRole('link', { name: workflow.name }).click()
    await tab.page.getByRole('heading', { level: 1, name: workflow.name }).waitFor()
    const graph = tab.page.getByTestId('workflow-graph')
    await graph.locator('svg').waitFor()
    expect(await graph.locator('g.wf-graph__node').count()).toBe(workflow.definition.steps.length)
    expect(await graph.locator('g.wf-graph__edge').count()).toBeGreaterThan(0)
    await tab.screenshot('workflow')

    await tab.page.getByRole('link', { name: `Open run ${run.id}` }).click()
    await tab.page.getByRole('heading', { level: 1, name: `Run of ${run.workflowKey}` }).waitFor()
    const timeline = tab.page.getByTestId('run-timeline')
    await timeline.waitFor()
    const steps = await crm.api<{ steps: { stepId: string }[] }>('GET', `/workflow-runs/${run.id}`)
    expect(await timeline.locator('li').count()).toBe(steps.steps.length)
    expect(await timeline.textContent()).toContain(steps.steps[0].stepId)
    await tab.page.locator('g.wf-graph__node[data-status="done"]').first().waitFor()
    await tab.screenshot('workflow-run')

    // the runs list filters by status; failed runs have their own empty state
    await tab.page.getByRole('link', { name: 'Runs', exact: true }).click()
    await tab.page.getByTestId('run-table').waitFor()
    await tab.page.getByLabel('Status').selectOption('failed')
    await expect.poll(() => new URL(tab.page.url()).searchParams.get('status')).toBe('failed')
    await tab.page.getByRole('link', { name: 'Approvals' }).click()
    await tab.page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor()

    await tab.page.setViewportSize({ width: 390, height: 844 })
    await tab.page.goto(`${crm.base}/workflows/runs/${run.id}`)
    await tab.page.getByTestId('run-timeline').waitFor()
    expect(await tab.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await tab.screenshot('workflow-run-390px')
    tab.expectNoProblems()
    await tab.close()
  })
})
