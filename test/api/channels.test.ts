import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createCustomer } from '../support/records.js'

const TABLES = ['customers', 'identities', 'inboxes', 'conversations', 'messages', 'audit_log'] as const

describeEachDatabase('API channel ingestion', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  const deliver = (
    payload: Record<string, unknown>,
    role: 'integration' | 'agent' | 'viewer' | null = 'integration',
  ) => t.request(role, { method: 'POST', url: '/api/v1/channels/api/messages', payload })
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)] as const)),
    )

  let first: { messageId: string; conversationId: string; customerId: string }

  it('files a first message: creates the customer, the api inbox and a conversation (202)', async () => {
    const response = await deliver({
      from: { email: 'Zhang.Wei@Example.com', name: '张伟' },
      text: '你好，我的订单 SO-1001 到哪里了？',
      messageId: 'ext-1',
    })
    expect(response.statusCode).toBe(202)
    first = response.json()
    expect(first).toMatchObject({ duplicate: false })
    expect(first.messageId).toMatch(/^msg_/)
    expect(first.conversationId).toMatch(/^cnv_/)
    expect(first.customerId).toMatch(/^cus_/)

    const customer = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${first.customerId}` })
    ).json()
    expect(customer).toMatchObject({
      name: '张伟',
      email: 'zhang.wei@example.com',
      lastSeenAt: '2026-11-25T02:00:00.000Z',
    })
    const inboxes = (await t.request('viewer', { method: 'GET', url: '/api/v1/inboxes?channel=api' })).json()
      .items
    expect(inboxes).toMatchObject([{ channel: 'api', address: 'api' }])
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${first.conversationId}` })
    ).json()
    expect(conversation).toMatchObject({
      channel: 'api',
      status: 'open',
      handler: 'ai',
      inboxId: inboxes[0].id,
      customerId: first.customerId,
      lastMessageAt: '2026-11-25T02:00:00.000Z',
    })
    const message = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/messages/${first.messageId}` })
    ).json()
    expect(message).toMatchObject({
      direction: 'inbound',
      authorKind: 'customer',
      channelMessageId: 'ext-1',
      text: '你好，我的订单 SO-1001 到哪里了？',
      deliveryStatus: null,
    })
  })

  it('answers a redelivery with the same content with duplicate: true and changes nothing', async () => {
    const before = await counts()
    t.clock.advance(5_000)
    const again = await deliver({
      from: { email: 'zhang.wei@example.com ', name: '张伟' },
      text: '你好，我的订单 SO-1001 到哪里了？',
      messageId: 'ext-1',
    })
    expect(again.statusCode).toBe(202)
    expect(again.json()).toEqual({ ...first, duplicate: true })
    expect(await counts()).toEqual(before)
  })

  it('refuses a reused messageId with different content (409) and writes nothing', async () => {
    const before = await counts()
    for (const payload of [
      { from: { email: 'zhang.wei@example.com', name: '张伟' }, text: 'something else', messageId: 'ext-1' },
      {
        from: { email: 'someone.else@example.com', name: '张伟' },
        text: '你好，我的订单 SO-1001 到哪里了？',
        messageId: 'ext-1',
      },
    ]) {
      const response = await deliver(payload)
      expect(response.statusCode).toBe(409)
      expect(response.json().error.code).toBe('CHANNEL_MESSAGE_ID_REUSED')
    }
    expect(await counts()).toEqual(before)
  })

  it('threads the next message of the same sender into the open conversation', async () => {
    t.clock.advance(60_000)
    const next = await deliver({
      from: { email: 'ZHANG.WEI@example.com' },
      text: 'Any update?',
      messageId: 'ext-2',
    })
    expect(next.statusCode).toBe(202)
    expect(next.json()).toMatchObject({
      customerId: first.customerId,
      conversationId: first.conversationId,
      duplicate: false,
    })
    const thread = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/conversations/${first.conversationId}/messages`,
    })
    expect(thread.json().items.map((m: { text: string }) => m.text)).toEqual([
      '你好，我的订单 SO-1001 到哪里了？',
      'Any update?',
    ])
  })

  it('finds customers by phone and by API external id, and remembers new identities', async () => {
    const known = await createCustomer(t, { name: 'Phone Person', phone: '+86 139 0000 1111' })
    const byPhone = await deliver({
      from: { phone: '139 0000 1111', externalId: 'app-user-42' },
      text: 'calling from the app',
      messageId: 'ext-3',
    })
    expect(byPhone.statusCode).toBe(202)
    expect(byPhone.json().customerId).toBe(known.id)
    const byExternalId = await deliver({
      from: { externalId: 'app-user-42' },
      text: 'again',
      messageId: 'ext-4',
    })
    expect(byExternalId.json()).toMatchObject({
      customerId: known.id,
      conversationId: byPhone.json().conversationId,
    })
    const identities = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${known.id}/identities` })
    ).json().items
    expect(identities.map((i: { kind: string; address: string }) => `${i.kind}:${i.address}`).sort()).toEqual(
      ['api:app-user-42', 'phone:+8613900001111'],
    )
  })

  it('continues a given conversation and reopens it; 404 for an unknown one with nothing written', async () => {
    const resolved = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${first.conversationId}`,
      payload: { status: 'resolved' },
    })
    expect(resolved.json().resolvedAt).not.toBeNull()
    const reopened = await deliver({
      from: { email: 'zhang.wei@example.com' },
      text: 'still not here',
      messageId: 'ext-5',
      conversationId: first.conversationId,
    })
    expect(reopened.statusCode).toBe(202)
    expect(reopened.json().conversationId).toBe(first.conversationId)
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${first.conversationId}` })
    ).json()
    expect(conversation).toMatchObject({ status: 'open', resolvedAt: null })

    const before = await counts()
    const missing = await deliver({
      from: { email: 'new.person@example.com' },
      text: 'hello',
      messageId: 'ext-6',
      conversationId: 'cnv_01JD3Z7X2N4V5B6C7D8E9F0G1H',
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('CRM_CONVERSATION_NOT_FOUND')
    expect(await counts()).toEqual(before)
  })

  it('opens a new conversation once the previous one is resolved', async () => {
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${first.conversationId}`,
      payload: { status: 'closed' },
    })
    const fresh = await deliver({
      from: { email: 'zhang.wei@example.com' },
      text: 'new question',
      messageId: 'ext-7',
    })
    expect(fresh.json().customerId).toBe(first.customerId)
    expect(fresh.json().conversationId).not.toBe(first.conversationId)
  })

  it('validates the body: an identity is required, text is 1–65,536 characters, emails must be emails', async () => {
    const before = await counts()
    for (const payload of [
      { from: { name: 'Only a name' }, text: 'hi', messageId: 'v-1' },
      { from: { email: 'a@example.com' }, text: '', messageId: 'v-2' },
      { from: { email: 'a@example.com' }, text: 'x'.repeat(65_537), messageId: 'v-3' },
      { from: { email: 'not-an-email' }, text: 'hi', messageId: 'v-4' },
      { from: { email: 'a@example.com' }, text: 'hi' },
      { from: { email: 'a@example.com' }, text: 'hi', messageId: 'v-5', extra: true },
    ]) {
      const response = await deliver(payload)
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400)
    }
    expect(await counts()).toEqual(before)
  })

  it('accepts integration, agent and admin tokens; refuses viewers (403) and anonymous callers (401)', async () => {
    const payload = { from: { email: 'roles@example.com' }, text: 'hi', messageId: 'r-1' }
    expect((await deliver(payload, null)).statusCode).toBe(401)
    expect((await deliver(payload, 'viewer')).statusCode).toBe(403)
    expect((await deliver(payload, 'agent')).statusCode).toBe(202)
    expect((await deliver(payload, 'integration')).json().duplicate).toBe(true)
    const asIntegration = await t.request('integration', { method: 'GET', url: '/api/v1/customers' })
    expect(asIntegration.statusCode).toBe(403)
  })

  it('stores one message when the same delivery races itself', async () => {
    const payload = {
      from: { email: 'race@example.com', phone: '+86 137 0000 2222' },
      text: 'race',
      messageId: 'race-1',
    }
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(payload)))
    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202])
    const receipts = responses.map((r) => r.json())
    expect(receipts.filter((r) => !r.duplicate)).toHaveLength(1)
    expect(new Set(receipts.map((r) => r.messageId)).size).toBe(1)
    const rows = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('channelMessageId', '=', 'race-1')
      .execute()
    expect(rows).toHaveLength(1)
    const people = await t.app.store.db
      .selectFrom('identities')
      .select('customerId')
      .where('address', '=', 'race@example.com')
      .execute()
    expect(people).toHaveLength(1)
  })
})
