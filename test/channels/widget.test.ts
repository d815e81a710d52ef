import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'
import { createInbox } from '../support/records.js'
import { openEventStream } from '../support/sse.js'
import { until } from '../support/wait.js'

const SHOP = 'https://shop.example'

describeEachDatabase('chat widget', (database) => {
  let t: TestApp
  let base: string
  let inbox: { id: string }
  let worker: { stop(): Promise<void> } | null = null
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.ensureBuiltinModels()
    await importDemoKnowledge(t.app)
    inbox = await createInbox(t, {
      name: 'Shop chat',
      channel: 'chat',
      settings: { allowedOrigins: [SHOP], maxMessageLength: 300, rateLimit: { messagesPerMinute: 4 } },
    })
    base = await t.server.listen({ port: 0, host: '127.0.0.1' })
  }, 120_000)
  afterEach(async () => {
    await worker?.stop()
    worker = null
  })
  afterAll(async () => t?.dispose())

  const api = (path: string, init: RequestInit & { token?: string; origin?: string } = {}) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) }
    if (init.token) headers['x-agentcrm-visitor'] = init.token
    if (init.origin) headers.origin = init.origin
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    return fetch(`${base}/api/v1/widget/${inbox.id}${path}`, { ...init, headers })
  }
  const newVisitor = async (): Promise<string> => {
    const response = await api('/visitors', { method: 'POST', body: '{}', origin: SHOP })
    expect(response.status).toBe(201)
    return ((await response.json()) as { token: string }).token
  }
  const post = (token: string, text: string, extra: Record<string, unknown> = {}) =>
    api('/messages', {
      method: 'POST',
      token,
      origin: SHOP,
      body: JSON.stringify({ text, messageId: randomUUID(), ...extra }),
    })
  const widgetStream = (token: string) =>
    openEventStream(`${base}/api/v1/widget/${inbox.id}/stream?token=${encodeURIComponent(token)}`, {
      origin: SHOP,
    })

  it('serves the widget script and a demo page that embeds it', async () => {
    const script = await fetch(`${base}/widget.js`)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('application/javascript')
    expect(await script.text()).toContain('data-inbox')
    const demo = await fetch(`${base}/widget-demo?inbox=${inbox.id}&lang=en`)
    expect(demo.status).toBe(200)
    expect(await demo.text()).toContain(`<script src="/widget.js" data-inbox="${inbox.id}"></script>`)
  })

  it('files a visitor message through the inbound workflow and delivers the reply over the widget stream', async () => {
    const token = await newVisitor()
    const posted = await post(token, '退款多久到账？钱会退到哪里', {
      name: '李雷',
      email: 'li.lei@example.com',
    })
    expect(posted.status).toBe(202)
    expect(posted.headers.get('access-control-allow-origin')).toBe(SHOP)
    const receipt = (await posted.json()) as { messageId: string; conversationId: string }
    const conversation = await t.app.crm.conversations.get(receipt.conversationId)
    expect(conversation).toMatchObject({ channel: 'chat', inboxId: inbox.id })
    const customer = await t.app.crm.customers.get(conversation.customerId)
    expect(customer).toMatchObject({ name: '李雷', email: 'li.lei@example.com' })

    const stream = await widgetStream(token)
    expect(stream.status).toBe(200)
    expect(stream.headers['access-control-allow-origin']).toBe(SHOP)
    worker = t.app.queue().work(t.app.workflows.engine.handle, { pollMs: 10 })
    const [run] = (await t.app.workflows.runs.list({ filters: { messageId: receipt.messageId } })).items
    await until(async () =>
      ['done', 'waiting', 'failed'].includes((await t.app.workflows.runs.get(run.id))!.status),
    )
    expect((await t.app.workflows.runs.get(run.id))!.status).not.toBe('failed')

    // the AI answered, or drafted for approval (a person approves), or handed off (a person replies)
    const outbound = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversationId', '=', receipt.conversationId)
      .where('direction', '=', 'outbound')
      .execute()
    if (outbound.length === 0) {
      const approvals = await t.request('agent', {
        method: 'GET',
        url: `/api/v1/approvals?conversationId=${receipt.conversationId}`,
      })
      const [draft] = approvals.json().items as { id: string }[]
      const decided = draft
        ? await t.request('agent', {
            method: 'POST',
            url: `/api/v1/approvals/${draft.id}`,
            payload: { action: 'approve' },
          })
        : await t.request('agent', {
            method: 'POST',
            url: `/api/v1/conversations/${receipt.conversationId}/messages`,
            payload: { text: '退款会在 3–5 个工作日内原路退回。' },
          })
      expect(decided.statusCode, decided.body).toBeLessThan(300)
    }
    const reply = await stream.next(
      (event) => event.event === 'message' && JSON.parse(event.data).direction === 'outbound',
    )
    const message = JSON.parse(reply.data)
    expect(message).toMatchObject({ conversationId: receipt.conversationId, direction: 'outbound' })
    expect(['ai', 'agent']).toContain(message.authorKind)
    expect(message.text.length).toBeGreaterThan(0)

    // the chat outbox row does not stay pending: the deliverer marks it sent (the stream is the delivery)
    await t.app.channels.deliverer.runOnce()
    const row = await t.app.store.db
      .selectFrom('outbox')
      .select(['status', 'channel'])
      .where('messageId', '=', message.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ channel: 'chat', status: 'sent' })
    expect((await t.app.crm.messages.get(message.id)).deliveryStatus).toBe('sent')

    // reopening the widget shows the whole thread
    const thread = (await (await api('/conversation', { token, origin: SHOP })).json()) as {
      conversationId: string
      messages: { id: string; direction: string }[]
    }
    expect(thread.conversationId).toBe(receipt.conversationId)
    expect(thread.messages.map((m) => m.id)).toEqual(expect.arrayContaining([receipt.messageId, message.id]))
    stream.close()
  })

  it("never shows a visitor another visitor's conversation, even one who typed the same email", async () => {
    const alice = await newVisitor()
    const mallory = await newVisitor()
    // Mallory listens before Alice writes: Alice's message must not reach her stream
    const malloryStream = await widgetStream(mallory)
    const aliceMessage = await post(alice, '我的订单号是 LM20261125001，地址是北京市朝阳区', {
      email: 'alice@example.com',
    })
    expect(aliceMessage.status).toBe(202)
    const aliceReceipt = (await aliceMessage.json()) as { conversationId: string; messageId: string }
    const before = (await (await api('/conversation', { token: mallory, origin: SHOP })).json()) as {
      conversationId: string | null
      messages: unknown[]
    }
    expect(before).toMatchObject({ conversationId: null, messages: [] })
    // claiming Alice's email does not reach Alice's customer or conversation
    const own = await post(mallory, 'hello, what did I order?', { email: 'alice@example.com' })
    const ownReceipt = (await own.json()) as { conversationId: string; messageId: string }
    expect(ownReceipt.conversationId).not.toBe(aliceReceipt.conversationId)
    const first = await malloryStream.next((event) => event.event === 'message')
    expect(JSON.parse(first.data).id).toBe(ownReceipt.messageId)
    const after = (await (await api('/conversation', { token: mallory, origin: SHOP })).json()) as {
      messages: { id: string; text: string }[]
    }
    expect(after.messages.map((m) => m.id)).toEqual([ownReceipt.messageId])
    expect(JSON.stringify(after)).not.toContain('LM20261125001')
    // a token works only with its own inbox, and a made-up one not at all
    const otherInbox = await createInbox(t, { name: 'Other chat', channel: 'chat' })
    const elsewhere = await fetch(`${base}/api/v1/widget/${otherInbox.id}/conversation`, {
      headers: { 'x-agentcrm-visitor': alice },
    })
    expect(elsewhere.status).toBe(401)
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe(
      'CHANNEL_WIDGET_VISITOR_UNKNOWN',
    )
    const forged = await api('/conversation', { token: `cv_${'A'.repeat(43)}` })
    expect(forged.status).toBe(401)
    malloryStream.close()
  })

  it('refuses a page from an origin the inbox does not allow, preflight included', async () => {
    const refused = await api('/visitors', { method: 'POST', body: '{}', origin: 'https://evil.example' })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error
    expect(error.code).toBe('CHANNEL_WIDGET_ORIGIN_REFUSED')
    expect(error.message).toContain('settings.allowedOrigins')
    const preflight = await api('/messages', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST' },
      origin: 'https://evil.example',
    })
    expect(preflight.status).toBe(403)
    const allowed = await api('/messages', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST' },
      origin: SHOP,
    })
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-agentcrm-visitor')
  })

  it('refuses an over-long message (400) naming the limit, and stores nothing', async () => {
    const token = await newVisitor()
    const response = await post(token, '长'.repeat(301))
    expect(response.status).toBe(400)
    const error = ((await response.json()) as { error: { code: string; message: string; details: unknown } })
      .error
    expect(error.code).toBe('CHANNEL_MESSAGE_TOO_LONG')
    expect(error.message).toContain('at most 300')
    expect(error.details).toMatchObject({ length: 301, maxLength: 300 })
    const thread = (await (await api('/conversation', { token })).json()) as { conversationId: string | null }
    expect(thread.conversationId).toBeNull()
  })

  it('answers 429 with Retry-After once a visitor sends more than the inbox allows per minute', async () => {
    const token = await newVisitor()
    for (let i = 0; i < 4; i++) expect((await post(token, `question ${i}`)).status).toBe(202)
    const limited = await post(token, 'one too many')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
      'CHANNEL_WIDGET_RATE_LIMITED',
    )
    // another visitor is not affected
    expect((await post(await newVisitor(), 'hello')).status).toBe(202)
  })

  it('refuses a message without a visitor token (401) and an unknown inbox (404)', async () => {
    const response = await api('/messages', {
      method: 'POST',
      body: JSON.stringify({ text: 'hi', messageId: randomUUID() }),
    })
    expect(response.status).toBe(401)
    const unknown = await fetch(`${base}/api/v1/widget/inb_01JD3Z7X2N4V5B6C7D8E9F0G1H/visitors`, {
      method: 'POST',
    })
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('CRM_INBOX_NOT_FOUND')
  })
})
