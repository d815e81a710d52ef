import { afterAll, beforeAll, expect, it } from 'vitest'
import { DECISION_ACTIONS } from '../../src/agent/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'
import { countRows } from '../support/records.js'

const HAN = /\p{Script=Han}/u
const REFUND_QUESTION = '退款多久到账？钱会退回哪里'

describeEachDatabase('agent API', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.ensureBuiltinModels()
    await importDemoKnowledge(t.app)
  }, 120_000)
  afterAll(async () => t?.dispose())

  const respond = (payload: Record<string, unknown>, role: 'viewer' | null = 'viewer') =>
    t.request(role, { method: 'POST', url: '/api/v1/agent/respond', payload })

  /** An inbound message through the API channel, as an integration would deliver it. */
  async function deliver(text: string, messageId: string) {
    const response = await t.request('integration', {
      method: 'POST',
      url: '/api/v1/channels/api/messages',
      payload: { from: { email: `${messageId}@example.com`, name: 'Li Lei' }, text, messageId },
    })
    expect(response.statusCode, response.body).toBe(202)
    return response.json() as { messageId: string; conversationId: string; customerId: string }
  }

  it('answers a Chinese refund question in Chinese, citing a refunds article, with no side effects', async () => {
    const tables = ['agent_decisions', 'messages', 'conversations', 'customers', 'audit_log']
    const before = await Promise.all(tables.map((table) => countRows(t, table)))
    const response = await respond({ text: REFUND_QUESTION })
    expect(response.statusCode, response.body).toBe(200)
    const { decision, record } = response.json()
    expect(['answer', 'answer_with_approval']).toContain(decision.action)
    expect(decision.language).toBe('zh')
    expect(decision.reply).toMatch(HAN)
    expect(decision.handOffReason).toBeNull()
    expect(decision.citations.length).toBeGreaterThan(0)
    expect(decision.citations[0]).toMatchObject({
      externalId: expect.stringMatching(/refund/),
      articleId: expect.stringMatching(/^art_/),
    })
    expect(decision.citations[0].passage.length).toBeGreaterThan(0)
    expect(decision.confidence).toBeGreaterThan(0)
    expect(decision.confidence).toBeLessThanOrEqual(1)
    expect(decision.explanation).toContain('refund_request')
    expect(record).toMatchObject({ messageId: null, conversationId: null, customerId: null, channel: 'api' })
    expect(record.perception.intent.label).toBe('refund_request')
    expect(await Promise.all(tables.map((table) => countRows(t, table)))).toEqual(before)
  })

  it('hands a request for a real person to a person', async () => {
    const response = await respond({ text: 'I want to talk to a real person' })
    expect(response.statusCode).toBe(200)
    expect(response.json().decision).toMatchObject({
      action: 'hand_off',
      handOffReason: 'customer_asked_for_person',
      citations: [],
      language: 'en',
    })
    expect(response.json().decision.reply).not.toMatch(HAN)
  })

  it('gives a defined answer for emoji-only and blank text, and 400 for empty text', async () => {
    for (const text of ['😀🙏', '   ', '？？！']) {
      const response = await respond({ text })
      expect(response.statusCode, text).toBe(200)
      expect(response.json().decision, text).toMatchObject({ action: 'no_reply', reply: null, citations: [] })
    }
    const empty = await respond({ text: '' })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().error.code).toBe('CORE_VALIDATION_FAILED')
  })

  it('answers a 64k-character message and refuses one over 65,536 characters', async () => {
    const long = '我的订单一直没到，请帮我查一下物流。'.repeat(4000).slice(0, 64_000)
    const response = await respond({ text: long })
    expect(response.statusCode).toBe(200)
    expect(DECISION_ACTIONS).toContain(response.json().decision.action)
    expect((await respond({ text: 'x'.repeat(65_537) })).statusCode).toBe(400)
  })

  it('answers as to a known customer, 404s an unknown one, and refuses anonymous callers', async () => {
    const unknown = await respond({ customerId: 'cus_01JZZZZZZZZZZZZZZZZZZZZZZZ', text: REFUND_QUESTION })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('CRM_CUSTOMER_NOT_FOUND')
    const customer = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Wang Fang', locale: 'zh-CN' },
    })
    const order = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        number: 'LM-AGENT-1',
        customerId: customer.json().id,
        currency: 'CNY',
        status: 'shipped',
        items: [{ sku: 'LM-AUD-001', quantity: 1, unitPrice: { amount: 29900, currency: 'CNY' } }],
      },
    })
    expect(order.statusCode, order.body).toBe(201)
    const known = await respond({ customerId: customer.json().id, channel: 'chat', text: REFUND_QUESTION })
    expect(known.statusCode).toBe(200)
    expect(known.json().record).toMatchObject({ customerId: customer.json().id, channel: 'chat' })
    // The customer's context: tier, and the open order the question may be about.
    expect(known.json().record.context).toMatchObject({
      customer: { id: customer.json().id, tier: 'standard', locale: 'zh-CN' },
      openOrders: [{ id: order.json().id, number: 'LM-AGENT-1', status: 'shipped' }],
    })
    expect((await respond({ text: REFUND_QUESTION }, null)).statusCode).toBe(401)
    expect((await respond({ text: REFUND_QUESTION, extra: 1 })).statusCode).toBe(400)
  })

  it('handles a stored message and serves its decision record', async () => {
    const { messageId, conversationId, customerId } = await deliver(REFUND_QUESTION, 'ext-refund-1')
    const handled = await t.request('agent', { method: 'POST', url: `/api/v1/messages/${messageId}/handle` })
    expect(handled.statusCode, handled.body).toBe(200)
    expect(handled.json().id).toMatch(/^dec_/)
    expect(handled.json().decision.citations[0].externalId).toMatch(/refund/)

    const response = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/messages/${messageId}/decision`,
    })
    expect(response.statusCode).toBe(200)
    const stored = response.json()
    expect(stored).toMatchObject({
      id: handled.json().id,
      messageId,
      conversationId,
      customerId,
      action: handled.json().decision.action,
      intent: 'refund_request',
      createdAt: '2026-11-25T02:00:00.000Z',
    })
    const record = stored.record
    expect(record.perception).toMatchObject({
      redactedText: REFUND_QUESTION,
      length: REFUND_QUESTION.length,
      intent: { label: 'refund_request' },
    })
    expect(record.retrieval.hits.length).toBeGreaterThan(0)
    expect(record.retrieval.hits[0]).toMatchObject({ externalId: expect.stringMatching(/refund/) })
    expect(record.retrieval.hits[0]).not.toHaveProperty('passage')
    expect(record.retrieval.indexVersion).toBeGreaterThanOrEqual(83)
    expect(record.decision).toEqual(handled.json().decision)
    expect(record.models).toEqual({ intent: 1, sentiment: 1 })
    expect(record.context.handler).toBe('ai')
    for (const step of ['perceive', 'retrieve', 'decide', 'draft', 'total'])
      expect(record.latencyMs[step], step).toBeGreaterThanOrEqual(0)
    expect(record.latencyMs.total).toBeGreaterThanOrEqual(record.latencyMs.perceive)

    // Handling it again replaces the record: one per message.
    await t.request('agent', { method: 'POST', url: `/api/v1/messages/${messageId}/handle` })
    expect(await countRows(t, 'agent_decisions')).toBe(1)
  })

  it('reads the answer to a clarifying question together with the question before it', async () => {
    t.clock.advance(60_000)
    const first = await deliver('有个问题', 'ext-vague-1')
    const asked = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/messages/${first.messageId}/handle`,
    })
    expect(asked.json().decision.action).toBe('ask_clarifying')
    // The agent's question went out, and the customer answered it.
    t.clock.advance(1000)
    const reply = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/conversations/${first.conversationId}/messages`,
      payload: { authorKind: 'ai', text: asked.json().decision.reply },
    })
    expect(reply.statusCode, reply.body).toBe(201)
    t.clock.advance(1000)
    const answer = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/conversations/${first.conversationId}/messages`,
      payload: { direction: 'inbound', authorKind: 'customer', text: '退款多久到账' },
    })
    expect(answer.statusCode, answer.body).toBe(201)
    const handled = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/messages/${answer.json().id}/handle`,
    })
    expect(handled.statusCode).toBe(200)
    const { record, decision } = handled.json()
    expect(record.retrieval.query).toBe('有个问题\n退款多久到账')
    expect(record.perception.redactedText).toBe('退款多久到账')
    expect(record.context.previousMessages).toBe(2)
    // A clear answer is not met with the same question again.
    expect(decision.action).not.toBe('ask_clarifying')
  })

  it('404s the decision of a message never handled, and handling an unknown message', async () => {
    const { messageId } = await deliver('你好，在吗', 'ext-never-handled')
    const response = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/messages/${messageId}/decision`,
    })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('AGENT_DECISION_NOT_FOUND')
    const unknown = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/messages/msg_01JZZZZZZZZZZZZZZZZZZZZZZZ/handle',
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('CRM_MESSAGE_NOT_FOUND')
    const asViewer = await t.request('viewer', {
      method: 'POST',
      url: `/api/v1/messages/${messageId}/handle`,
    })
    expect(asViewer.statusCode).toBe(403)
  })

  it('refuses an invalid policy set with every problem and its path, and keeps the built-in one', async () => {
    const response = await t.request('admin', {
      method: 'PUT',
      url: '/api/v1/agent/policies',
      payload: {
        document: {
          version: 1,
          colour: 'red',
          rules: [
            {
              name: 'refunds-to-a-person',
              when: { field: 'intent', op: 'eq', value: 'refund_request' },
              then: { action: 'hand_off', reason: 'policy', urgent: true },
            },
            {
              name: 'Bad Name',
              when: { field: 'no.such.field', op: 'eq', value: 1 },
              then: { action: 'shout' },
            },
          ],
        },
      },
    })
    expect(response.statusCode).toBe(400)
    const error = response.json().error
    expect(error.code).toBe('AGENT_POLICY_INVALID')
    const paths = error.details.issues.map((issue: { path: string }) => issue.path)
    expect(paths).toEqual(
      expect.arrayContaining(['colour', 'rules[0].then.urgent', 'rules[1].name', 'rules[1].then.action']),
    )
    expect(paths.some((path: string) => path.startsWith('rules[1].when'))).toBe(true)
    const current = await t.request('viewer', { method: 'GET', url: '/api/v1/agent/policies' })
    expect(current.json()).toMatchObject({ version: null, builtIn: true })
    const asAgent = await t.request('agent', {
      method: 'PUT',
      url: '/api/v1/agent/policies',
      payload: { document: { version: 1, rules: [] } },
    })
    expect(asAgent.statusCode).toBe(403)
  })

  it('makes a valid policy set active, and it changes the decision', async () => {
    const document = {
      version: 1,
      rules: [
        {
          name: 'refunds-to-a-person',
          description: 'Every refund question goes to a person.',
          when: { field: 'intent', op: 'eq', value: 'refund_request' },
          then: { action: 'hand_off', reason: 'policy', note: 'Refunds are handled by the finance desk.' },
        },
      ],
    }
    const saved = await t.request('admin', {
      method: 'PUT',
      url: '/api/v1/agent/policies',
      payload: { document },
    })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json()).toMatchObject({ version: 1, builtIn: false, document })
    const current = await t.request('viewer', { method: 'GET', url: '/api/v1/agent/policies' })
    expect(current.json()).toMatchObject({ version: 1, builtIn: false, document })

    const response = await respond({ text: REFUND_QUESTION })
    expect(response.statusCode).toBe(200)
    const { decision, record } = response.json()
    expect(decision).toMatchObject({
      action: 'hand_off',
      handOffReason: 'policy',
      rulesFired: ['refunds-to-a-person'],
      citations: [],
    })
    expect(decision.explanation).toContain('refunds-to-a-person')
    expect(record.policyVersion).toBe(1)
    // The built-in rules are replaced, not merged: a request for a person is still caught by the cue.
    const person = await respond({ text: '转人工' })
    expect(person.json().decision).toMatchObject({
      action: 'hand_off',
      handOffReason: 'customer_asked_for_person',
    })
  })
})
