import { afterAll, beforeAll, expect, it } from 'vitest'
import { systemActor } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { deliverApiMessage, ids } from '../support/records.js'

describeEachDatabase('inbox API', (database) => {
  let t: TestApp
  let alice: { id: string; cookie: string }
  const conversations: Record<string, { conversationId: string; messageId: string; customerId: string }> = {}

  /** A decision record as the agent stores it (the perception part is what the inbox reads). */
  async function decide(messageId: string, conversationId: string, intent: string, sentiment: string) {
    await t.app.agent.repository.saveDecision({
      messageId,
      conversationId,
      customerId: null,
      action: 'answer',
      confidence: 0.91,
      intent,
      sentiment,
      handOffReason: null,
      record: { perception: { intent: { label: intent, confidence: 0.9 } }, rulesFired: ['order_facts'] },
    })
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    const user = await t.app.access.createUser(
      { email: 'alice@example.com', password: 'correct horse battery', role: 'agent', name: 'Alice' },
      systemActor,
    )
    alice = {
      id: user.id,
      cookie: `agentcrm_session=${(await t.app.access.createSession(user.id, 12)).token}`,
    }
    // Three conversations, one minute apart: refund (AI), order status (Alice's), complaint (handed off).
    for (const [key, text] of [
      ['refund', 'I want my money back for order 582130'],
      ['status', 'Where is my parcel?'],
      ['complaint', 'This is the worst service ever, nobody answers'],
    ] as const) {
      t.clock.advance(60_000)
      conversations[key] = await deliverApiMessage(t, text, `inbox-${key}`)
    }
    await decide(
      conversations.refund.messageId,
      conversations.refund.conversationId,
      'refund_request',
      'neutral',
    )
    await decide(
      conversations.status.messageId,
      conversations.status.conversationId,
      'order_status',
      'neutral',
    )
    await decide(
      conversations.complaint.messageId,
      conversations.complaint.conversationId,
      'complaint',
      'negative',
    )
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${conversations.status.conversationId}`,
      payload: { assigneeId: alice.id },
    })
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${conversations.complaint.conversationId}`,
      payload: { handler: 'human', priority: 'high' },
    })
  }, 120_000)
  afterAll(async () => t?.dispose())

  const list = (query: string, role: 'viewer' | 'agent' = 'viewer') =>
    t.request(role, { method: 'GET', url: `/api/v1/inbox/conversations${query}` })

  it('lists conversations newest activity first with customer, last message and the latest perception', async () => {
    const response = await list('')
    expect(response.statusCode, response.body).toBe(200)
    expect(ids(response)).toEqual([
      conversations.complaint.conversationId,
      conversations.status.conversationId,
      conversations.refund.conversationId,
    ])
    const complaint = response.json().items[0]
    expect(complaint).toMatchObject({
      customer: { id: conversations.complaint.customerId, name: 'Li Lei' },
      lastMessage: { text: 'This is the worst service ever, nobody answers', direction: 'inbound' },
      perception: { intent: 'complaint', sentiment: 'negative', action: 'answer', confidence: 0.91 },
      pendingApprovals: 0,
      priority: 'high',
    })
    expect(response.json().items[1].assignee).toEqual({
      id: alice.id,
      name: 'Alice',
      email: 'alice@example.com',
    })
  })

  it('filters by queue, intent, sentiment, priority and search, and pages with a cursor', async () => {
    expect(ids(await list('?queue=ai'))).toEqual([conversations.refund.conversationId])
    expect(ids(await list('?queue=unassigned'))).toEqual([conversations.complaint.conversationId])
    expect(ids(await list('?intent=order_status'))).toEqual([conversations.status.conversationId])
    expect(ids(await list('?sentiment=negative'))).toEqual([conversations.complaint.conversationId])
    expect(ids(await list('?priority=high&queue=all'))).toEqual([conversations.complaint.conversationId])
    expect(ids(await list('?q=parcel'))).toEqual([conversations.status.conversationId])
    expect(ids(await list('?intent=greeting'))).toEqual([])

    const first = await list('?limit=2')
    expect(ids(first)).toHaveLength(2)
    const second = await list(`?limit=2&cursor=${first.json().nextCursor}`)
    expect(ids(second)).toEqual([conversations.refund.conversationId])
    expect(second.json().nextCursor).toBeNull()
  })

  it("answers 'mine' for a signed-in person and refuses it, in words, for an API token", async () => {
    const mine = await t.server.inject({
      method: 'GET',
      url: '/api/v1/inbox/conversations?queue=mine',
      headers: { cookie: alice.cookie },
    })
    expect(ids(mine)).toEqual([conversations.status.conversationId])
    const token = await list('?queue=mine')
    expect(token.statusCode).toBe(400)
    expect(token.json().error.message).toMatch(/queue "mine" needs a signed-in user/)
    const bad = await list('?queue=everything')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/queue/)
    const cursor = await list('?cursor=not-a-cursor')
    expect(cursor.statusCode).toBe(400)
  })

  it("returns a conversation's decision records and corrections, and 404 for an unknown conversation", async () => {
    const corrected = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/messages/${conversations.refund.messageId}/labels`,
      payload: { task: 'intent', label: 'cancel_order' },
    })
    expect(corrected.statusCode, corrected.body).toBe(201)
    const response = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/conversations/${conversations.refund.conversationId}/decisions`,
    })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.items).toHaveLength(1)
    expect(body.items[0]).toMatchObject({
      messageId: conversations.refund.messageId,
      intent: 'refund_request',
      record: { rulesFired: ['order_facts'] },
    })
    expect(body.corrections).toMatchObject([
      { messageId: conversations.refund.messageId, task: 'intent', label: 'cancel_order' },
    ])
    const missing = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/conversations/cnv_nope/decisions',
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('CRM_CONVERSATION_NOT_FOUND')
  })

  it('lists the people a conversation can be assigned to (agents and up)', async () => {
    const response = await t.request('agent', { method: 'GET', url: '/api/v1/inbox/assignees' })
    expect(response.statusCode).toBe(200)
    expect(response.json().items).toContainEqual({
      id: alice.id,
      name: 'Alice',
      email: 'alice@example.com',
      role: 'agent',
    })
    expect((await t.request('viewer', { method: 'GET', url: '/api/v1/inbox/assignees' })).statusCode).toBe(
      403,
    )
  })
})
