import { afterAll, beforeAll, expect, it } from 'vitest'
import { systemActor } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createConversation, createCustomer, createInbox, ids } from '../support/records.js'

describeEachDatabase('tasks API', (database) => {
  let t: TestApp
  let customerId: string
  let conversationId: string
  let userId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    customerId = (await createCustomer(t)).id
    const inbox = await createInbox(t)
    conversationId = (await createConversation(t, { inboxId: inbox.id, customerId })).id
    userId = (
      await t.app.access.createUser(
        { email: 'doer@shop.example', password: 'correct horse battery', role: 'agent' },
        systemActor,
      )
    ).id
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: '/api/v1/tasks', payload })
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.request('agent', { method: 'PATCH', url: `/api/v1/tasks/${id}`, payload })

  it('creates a task with defaults; a task on a conversation lands on its customer', async () => {
    const created = await post({
      title: '回电确认退款 Call back about the refund',
      conversationId,
      assigneeId: userId,
      dueAt: '2026-11-26T09:00:00+08:00',
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      status: 'open',
      priority: 'normal',
      customerId,
      conversationId,
      assigneeId: userId,
      description: null,
      dueAt: '2026-11-26T01:00:00.000Z',
      completedAt: null,
    })
    expect(created.json().id).toMatch(/^tsk_/)
    const missing = await post({ title: 'x', assigneeId: 'usr_01JD3Z7X2N4V5B6C7D8E9F0G1H' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.details.field).toBe('assigneeId')
  })

  it('sets completedAt when done, clears it when reopened', async () => {
    const task = (await post({ title: 'Send invoice', customerId, description: 'PDF please' })).json()
    t.clock.advance(3_600_000)
    const done = await patch(task.id, { status: 'done' })
    expect(done.json()).toMatchObject({ status: 'done', completedAt: '2026-11-25T03:00:00.000Z' })
    t.clock.advance(60_000)
    const title = await patch(task.id, { title: 'Send invoice (sent)' })
    expect(title.json().completedAt).toBe('2026-11-25T03:00:00.000Z')
    const reopened = await patch(task.id, { status: 'open', description: null })
    expect(reopened.json()).toMatchObject({ status: 'open', completedAt: null, description: null })
    const doneAtOnce = await post({ title: 'Already handled', status: 'done' })
    expect(doneAtOnce.json().completedAt).toBe('2026-11-25T03:01:00.000Z')
    expect((await patch(task.id, { title: null })).statusCode).toBe(400)
  })

  it('lists tasks filtered by assignee and status, sorted, paged; searches titles in both languages', async () => {
    const mine = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/tasks?assigneeId=${userId}&status=open`,
    })
    expect(mine.json().items).toHaveLength(1)
    for (const q of ['退款', 'REFUND']) {
      const found = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/tasks?q=${encodeURIComponent(q)}`,
      })
      expect(found.json().items.map((task: { title: string }) => task.title)).toEqual([
        '回电确认退款 Call back about the refund',
      ])
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/tasks?limit=1&sort=status,-createdAt${cursor ? `&cursor=${cursor}` : ''}`,
      })
      seen.push(...ids(response))
      cursor = response.json().nextCursor
    } while (cursor)
    expect(seen).toHaveLength(3)
    expect(new Set(seen).size).toBe(3)
  })

  it('moves a task to another conversation together with its customer', async () => {
    const otherCustomer = await createCustomer(t, { name: 'Moved' })
    const inbox = await createInbox(t)
    const otherConversation = await createConversation(t, { inboxId: inbox.id, customerId: otherCustomer.id })
    const task = (await post({ title: 'Follow up', conversationId })).json()
    const moved = await patch(task.id, { conversationId: otherConversation.id })
    expect(moved.json()).toMatchObject({ conversationId: otherConversation.id, customerId: otherCustomer.id })
  })

  it('answers 404 for unknown tasks and deletes (admin only)', async () => {
    const missing = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/tasks/tsk_01JD3Z7X2N4V5B6C7D8E9F0G1H',
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('CRM_TASK_NOT_FOUND')
    const task = (await post({ title: 'Delete me' })).json()
    expect((await t.request('agent', { method: 'DELETE', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(
      403,
    )
    expect((await t.request('admin', { method: 'DELETE', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(
      204,
    )
    expect((await t.request('viewer', { method: 'GET', url: `/api/v1/tasks/${task.id}` })).statusCode).toBe(
      404,
    )
  })
})
