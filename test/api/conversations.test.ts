import { afterAll, beforeAll, expect, it } from 'vitest'
import { systemActor } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createConversation, createCustomer, createInbox, ids } from '../support/records.js'

describeEachDatabase('conversations and messages API', (database) => {
  let t: TestApp
  let customerId: string
  let inboxId: string
  let userId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    customerId = (await createCustomer(t, { name: '韩梅梅' })).id
    inboxId = (await createInbox(t, { channel: 'email', address: 'help@shop.example' })).id
    userId = (
      await t.app.access.createUser(
        { email: 'agent@shop.example', password: 'correct horse battery', role: 'agent' },
        systemActor,
      )
    ).id
  })
  afterAll(async () => t?.dispose())

  const patch = (id: string, payload: Record<string, unknown>) =>
    t.request('agent', { method: 'PATCH', url: `/api/v1/conversations/${id}`, payload })
  const reply = (id: string, payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: `/api/v1/conversations/${id}/messages`, payload })
  const list = (query: string) =>
    t.request('viewer', { method: 'GET', url: `/api/v1/conversations?${query}` })

  it('opens a conversation on the inbox channel, handled by the AI until someone is assigned', async () => {
    const conversation = await createConversation(t, {
      inboxId,
      customerId,
      subject: '订单什么时候发货',
      tags: ['shipping', 'shipping'],
    })
    expect(conversation).toMatchObject({
      channel: 'email',
      status: 'open',
      handler: 'ai',
      priority: 'normal',
      assigneeId: null,
      tags: ['shipping'],
      firstResponseAt: null,
      resolvedAt: null,
      lastMessageAt: null,
    })
    expect(conversation.id).toMatch(/^cnv_/)
    const assigned = await patch(conversation.id, { assigneeId: userId, priority: 'high' })
    expect(assigned.statusCode).toBe(200)
    expect(assigned.json()).toMatchObject({ assigneeId: userId, handler: 'human', priority: 'high' })
    const preassigned = await createConversation(t, { inboxId, customerId, assigneeId: userId })
    expect(preassigned).toMatchObject({ handler: 'human', assigneeId: userId })
    const refused = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/conversations',
      payload: { inboxId, customerId, assigneeId: userId, handler: 'ai' },
    })
    expect(refused.statusCode).toBe(400)
  })

  it('refuses unknown inboxes, customers and assignees with 400 naming the field', async () => {
    for (const [field, payload] of [
      ['inboxId', { inboxId: 'inb_01JD3Z7X2N4V5B6C7D8E9F0G1H', customerId }],
      ['customerId', { inboxId, customerId: 'cus_01JD3Z7X2N4V5B6C7D8E9F0G1H' }],
      ['assigneeId', { inboxId, customerId, assigneeId: 'usr_01JD3Z7X2N4V5B6C7D8E9F0G1H' }],
    ] as const) {
      const response = await t.request('agent', { method: 'POST', url: '/api/v1/conversations', payload })
      expect(response.statusCode, field).toBe(400)
      expect(response.json().error.code).toBe('CRM_INVALID_REFERENCE')
      expect(response.json().error.details.field).toBe(field)
    }
  })

  it('sets resolvedAt when resolved, keeps it when closed, clears it when reopened; null clears tags', async () => {
    const conversation = await createConversation(t, { inboxId, customerId, tags: ['a'] })
    t.clock.advance(60_000)
    const resolved = await patch(conversation.id, { status: 'resolved' })
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-25T02:01:00.000Z' })
    t.clock.advance(60_000)
    const closed = await patch(conversation.id, { status: 'closed', tags: null })
    expect(closed.json()).toMatchObject({
      status: 'closed',
      resolvedAt: '2026-11-25T02:01:00.000Z',
      tags: [],
    })
    const reopened = await patch(conversation.id, { status: 'open' })
    expect(reopened.json()).toMatchObject({ status: 'open', resolvedAt: null })
    const cleared = await patch(conversation.id, { status: null })
    expect(cleared.statusCode).toBe(400)
  })

  it('adds replies: outbound starts pending, the conversation learns lastMessageAt and firstResponseAt', async () => {
    const conversation = await createConversation(t, { inboxId, customerId, subject: 'Refund please' })
    t.clock.advance(1000)
    const inbound = await reply(conversation.id, {
      direction: 'inbound',
      authorKind: 'customer',
      text: 'I want a refund for my broken kettle',
      sentAt: '2026-11-25T02:02:30Z',
    })
    expect(inbound.statusCode).toBe(201)
    expect(inbound.json()).toMatchObject({
      direction: 'inbound',
      authorKind: 'customer',
      deliveryStatus: null,
      customerId,
      inboxId,
      sentAt: '2026-11-25T02:02:30.000Z',
    })
    expect(inbound.json()).not.toHaveProperty('contentHash')
    let current = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${conversation.id}` })
    ).json()
    expect(current).toMatchObject({ lastMessageAt: '2026-11-25T02:02:30.000Z', firstResponseAt: null })

    t.clock.advance(60_000)
    const outbound = await reply(conversation.id, { text: '很抱歉，我们马上为您办理退款。' })
    expect(outbound.statusCode).toBe(201)
    const sent = outbound.json()
    expect(sent).toMatchObject({
      direction: 'outbound',
      authorKind: 'agent',
      deliveryStatus: 'pending',
      authorId: null,
    })
    expect(sent.id).toMatch(/^msg_/)
    current = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${conversation.id}` })
    ).json()
    expect(current.lastMessageAt).toBe(sent.sentAt)
    expect(current.firstResponseAt).toBe(sent.sentAt)

    t.clock.advance(60_000)
    const second = (await reply(conversation.id, { text: 'Second reply' })).json()
    current = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${conversation.id}` })
    ).json()
    expect(current.firstResponseAt).toBe(sent.sentAt)
    expect(current.lastMessageAt).toBe(second.sentAt)
    expect(second.sentAt > sent.sentAt).toBe(true)
    // A message dated in the past does not move lastMessageAt back.
    await reply(conversation.id, { text: 'late import', sentAt: '2026-11-01T00:00:00Z' })
    current = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${conversation.id}` })
    ).json()
    expect(current.lastMessageAt).toBe(second.sentAt)

    const fetched = await t.request('viewer', { method: 'GET', url: `/api/v1/messages/${sent.id}` })
    expect(fetched.json()).toEqual(sent)
  })

  it('returns the thread oldest first, paged, and 404 for an unknown conversation', async () => {
    const conversation = await createConversation(t, { inboxId, customerId })
    for (let i = 0; i < 5; i++) {
      await reply(conversation.id, { text: `message ${i}`, sentAt: `2026-11-25T03:0${i}:00Z` })
    }
    const texts: string[] = []
    let cursor: string | null = null
    do {
      const response = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/conversations/${conversation.id}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      })
      expect(response.statusCode).toBe(200)
      texts.push(...response.json().items.map((m: { text: string }) => m.text))
      cursor = response.json().nextCursor
    } while (cursor)
    expect(texts).toEqual(['message 0', 'message 1', 'message 2', 'message 3', 'message 4'])
    for (const method of ['GET', 'POST'] as const) {
      const missing = await t.request('agent', {
        method,
        url: '/api/v1/conversations/cnv_01JD3Z7X2N4V5B6C7D8E9F0G1H/messages',
        ...(method === 'POST' ? { payload: { text: 'hello' } } : {}),
      })
      expect(missing.statusCode, method).toBe(404)
      expect(missing.json().error.code).toBe('CRM_CONVERSATION_NOT_FOUND')
    }
    const missingMessage = await t.request('viewer', { method: 'GET', url: '/api/v1/messages/nonsense' })
    expect(missingMessage.statusCode).toBe(404)
    expect(missingMessage.json().error.code).toBe('CRM_MESSAGE_NOT_FOUND')
  })

  it('bounds message text to 1–65,536 characters and checks who writes in which direction', async () => {
    const conversation = await createConversation(t, { inboxId, customerId })
    const before = await countRows(t, 'messages')
    expect((await reply(conversation.id, { text: '' })).statusCode).toBe(400)
    expect((await reply(conversation.id, { text: 'x'.repeat(65_537) })).statusCode).toBe(400)
    expect(
      (await reply(conversation.id, { direction: 'inbound', authorKind: 'agent', text: 'hi' })).statusCode,
    ).toBe(400)
    expect(
      (await reply(conversation.id, { direction: 'outbound', authorKind: 'customer', text: 'hi' }))
        .statusCode,
    ).toBe(400)
    expect(await countRows(t, 'messages')).toBe(before)
    const longest = await reply(conversation.id, { text: '长'.repeat(65_536) })
    expect(longest.statusCode).toBe(201)
    const viewer = await t.request('viewer', {
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      payload: { text: 'hi' },
    })
    expect(viewer.statusCode).toBe(403)
  })

  it('searches conversations by subject and by the text of their messages, in Chinese and English', async () => {
    const other = await createCustomer(t, { name: 'Search' })
    const a = await createConversation(t, { inboxId, customerId: other.id, subject: '发票问题 invoice' })
    const b = await createConversation(t, { inboxId, customerId: other.id })
    await reply(b.id, {
      direction: 'inbound',
      authorKind: 'customer',
      text: '我的快递三天了还没到，Tracking says DELAYED',
    })
    const search = async (q: string) => ids(await list(`customerId=${other.id}&q=${encodeURIComponent(q)}`))
    expect(await search('发票')).toEqual([a.id])
    expect(await search('INVOICE')).toEqual([a.id])
    expect(await search('快递')).toEqual([b.id])
    expect(await search('delayed')).toEqual([b.id])
    expect(await search('100%_')).toEqual([])
  })

  it('filters conversations by status, handler and assignee', async () => {
    const open = ids(await list(`status=resolved&customerId=${customerId}`))
    expect(open).toEqual([])
    const human = (await list(`handler=human&assigneeId=${userId}`)).json().items
    expect(human.length).toBeGreaterThan(0)
    expect(
      human.every(
        (c: { handler: string; assigneeId: string }) => c.handler === 'human' && c.assigneeId === userId,
      ),
    ).toBe(true)
  })

  it('refuses to delete a conversation with messages (409), deletes an empty one (admin only)', async () => {
    const busy = await createConversation(t, { inboxId, customerId })
    await reply(busy.id, { text: 'hello' })
    const refused = await t.request('admin', { method: 'DELETE', url: `/api/v1/conversations/${busy.id}` })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.details.references).toEqual([{ entity: 'message', count: 1 }])
    const empty = await createConversation(t, { inboxId, customerId })
    expect(
      (await t.request('agent', { method: 'DELETE', url: `/api/v1/conversations/${empty.id}` })).statusCode,
    ).toBe(403)
    expect(
      (await t.request('admin', { method: 'DELETE', url: `/api/v1/conversations/${empty.id}` })).statusCode,
    ).toBe(204)
    const gone = await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${empty.id}` })
    expect(gone.json().error.code).toBe('CRM_CONVERSATION_NOT_FOUND')
  })
})
