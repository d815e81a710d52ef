import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

describeEachDatabase('workflow runs API: bad input', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  it('answers 404 for a run that does not exist, malformed ids included', async () => {
    for (const id of ['run_01M88KST97C0838Q6ECPPAV0YW', 'nonsense', '%00']) {
      const response = await t.request('viewer', { method: 'GET', url: `/api/v1/workflow-runs/${id}` })
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('WORKFLOW_RUN_NOT_FOUND')
    }
    const retry = await t.request('agent', { method: 'POST', url: '/api/v1/workflow-runs/nonsense/retry' })
    expect(retry.statusCode).toBe(404)
  })

  it('refuses a manual run of an unknown workflow, unknown fields, and a bad status filter', async () => {
    const unknown = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/workflows/no-such-flow/run',
      payload: {},
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('WORKFLOW_NOT_FOUND')
    const extra = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/workflows/inbound-inquiry/run',
      payload: { messageId: 'msg_x', surprise: true },
    })
    expect(extra.statusCode).toBe(400)
    const filter = await t.request('viewer', { method: 'GET', url: '/api/v1/workflow-runs?status=exploded' })
    expect(filter.statusCode).toBe(400)
    expect(await t.app.workflows.runs.list({})).toEqual({ items: [], nextCursor: null })
  })

  it('runs a workflow by hand and lists it', async () => {
    const started = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/workflows/inbound-inquiry/run',
      payload: {},
    })
    expect(started.statusCode, started.body).toBe(202)
    const run = started.json()
    expect(run).toMatchObject({
      workflowKey: 'inbound-inquiry',
      status: 'running',
      trigger: { type: 'manual' },
    })
    const listed = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/workflow-runs?workflowKey=inbound-inquiry',
    })
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([run.id])
    const cancel = await t.request('agent', { method: 'POST', url: `/api/v1/workflow-runs/${run.id}/cancel` })
    expect(cancel.statusCode).toBe(200)
    expect(cancel.json().status).toBe('cancelled')
    const again = await t.request('agent', { method: 'POST', url: `/api/v1/workflow-runs/${run.id}/cancel` })
    expect(again.statusCode).toBe(409)
  })
})
