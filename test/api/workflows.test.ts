import { afterAll, beforeAll, expect, it } from 'vitest'
import { BUILTIN_WORKFLOWS } from '../../src/workflow/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

const survey = {
  key: 'order-thanks',
  name: 'Thank-you after an order',
  trigger: { type: 'order.created' },
  steps: [
    { id: 'wait-a-day', type: 'wait', duration: 'P1D', next: 'thank' },
    {
      id: 'thank',
      type: 'action',
      action: 'add_note',
      input: { target: 'customer', body: 'Order {{order.number}} shipped; thank-you sent.' },
    },
  ],
}

describeEachDatabase('workflows API', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  const count = async (table: string) =>
    Number(
      (
        await t.app.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('lists the built-in workflows to a viewer, enabled, with their triggers', async () => {
    const response = await t.request('viewer', { method: 'GET', url: '/api/v1/workflows' })
    expect(response.statusCode, response.body).toBe(200)
    const { items, nextCursor } = response.json()
    expect(nextCursor).toBeNull()
    expect(items.map((item: { key: string }) => item.key)).toEqual(
      BUILTIN_WORKFLOWS.map((workflow) => workflow.key).sort(),
    )
    expect(
      items.every((item: { enabled: boolean; version: number }) => item.enabled && item.version === 1),
    ).toBe(true)
    const filtered = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/workflows?triggerType=schedule',
    })
    expect(filtered.json().items.map((item: { key: string }) => item.key)).toEqual(['service-hygiene'])
  })

  it('reads one workflow by key or by id', async () => {
    const byKey = await t.request('viewer', { method: 'GET', url: '/api/v1/workflows/csat-survey' })
    expect(byKey.statusCode).toBe(200)
    expect(byKey.json()).toMatchObject({
      key: 'csat-survey',
      trigger: { type: 'conversation.resolved' },
      definition: { steps: expect.arrayContaining([expect.objectContaining({ id: 'send-survey' })]) },
    })
    const byId = await t.request('viewer', { method: 'GET', url: `/api/v1/workflows/${byKey.json().id}` })
    expect(byId.json().key).toBe('csat-survey')
    const missing = await t.request('viewer', { method: 'GET', url: '/api/v1/workflows/nope' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('WORKFLOW_NOT_FOUND')
  })

  it('creates a workflow disabled (201), updates it to version 2 (200), and leaves an unchanged one alone', async () => {
    const created = await t.request('admin', { method: 'POST', url: '/api/v1/workflows', payload: survey })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json()).toMatchObject({ key: 'order-thanks', version: 1, enabled: false, source: 'api' })

    const same = await t.request('admin', { method: 'POST', url: '/api/v1/workflows', payload: survey })
    expect(same.statusCode).toBe(200)
    expect(same.json().version).toBe(1)

    const changed = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/workflows',
      payload: {
        ...survey,
        description: 'Two days later now.',
        steps: [{ ...survey.steps[0], duration: 'P2D' }, survey.steps[1]],
      },
    })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json()).toMatchObject({ version: 2, description: 'Two days later now.' })

    const versions = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/workflows/order-thanks/versions',
    })
    expect(versions.statusCode).toBe(200)
    expect(
      versions
        .json()
        .items.map((item: { version: number; definition: { steps: { duration?: string }[] } }) => [
          item.version,
          item.definition.steps[0].duration,
        ]),
    ).toEqual([
      [2, 'P2D'],
      [1, 'P1D'],
    ])
  })

  it('answers an invalid definition with 400 WORKFLOW_INVALID listing every problem with its path, writing nothing', async () => {
    const before = [await count('workflows'), await count('workflow_versions'), await count('audit_log')]
    const response = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/workflows',
      payload: {
        ...survey,
        key: 'broken-flow',
        steps: [
          { id: 'wait-a-day', type: 'wait', duration: '1 day', next: 'thnak' },
          {
            id: 'thank',
            type: 'action',
            action: 'add_note',
            input: { target: 'customer', body: 'Hi {{customer.nam}}' },
          },
        ],
      },
    })
    expect(response.statusCode, response.body).toBe(400)
    const { error } = response.json()
    expect(error.code).toBe('WORKFLOW_INVALID')
    expect(error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'steps[0].duration',
      'steps[0].next',
      'steps[1].id',
      'steps[1].input.body',
    ])
    expect(error.details.issues[1].message).toMatch(/no step has id "thnak".*did you mean "thank"/)
    expect([await count('workflows'), await count('workflow_versions'), await count('audit_log')]).toEqual(
      before,
    )

    const notObject = await t.request('admin', { method: 'POST', url: '/api/v1/workflows', payload: [1] })
    expect(notObject.statusCode).toBe(400)
    expect(notObject.json().error.code).toBe('WORKFLOW_INVALID')
  })

  it('enables and disables a workflow (admin only)', async () => {
    const enabled = await t.request('admin', { method: 'POST', url: '/api/v1/workflows/order-thanks/enable' })
    expect(enabled.statusCode, enabled.body).toBe(200)
    expect(enabled.json()).toMatchObject({ key: 'order-thanks', enabled: true })
    const listed = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/workflows?enabled=true&key=order-thanks',
    })
    expect(listed.json().items).toHaveLength(1)

    const asAgent = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/workflows/order-thanks/disable',
    })
    expect(asAgent.statusCode).toBe(403)
    const disabled = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/workflows/order-thanks/disable',
    })
    expect(disabled.json().enabled).toBe(false)
    const unknown = await t.request('admin', { method: 'POST', url: '/api/v1/workflows/nope/enable' })
    expect(unknown.statusCode).toBe(404)
  })

  it('documents the workflow routes and the definition body in the OpenAPI document', async () => {
    const response = await t.request(null, { method: 'GET', url: '/api/v1/openapi.json' })
    const document = response.json() as { paths: Record<string, Record<string, { requestBody?: unknown }>> }
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/workflows',
        '/api/v1/workflows/{id}',
        '/api/v1/workflows/{id}/versions',
        '/api/v1/workflows/{id}/enable',
        '/api/v1/workflows/{id}/disable',
      ]),
    )
    expect(JSON.stringify(document.paths['/api/v1/workflows'].post.requestBody)).toContain('steps')
  })
})
