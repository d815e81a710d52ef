import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { z } from 'zod'
import {
  apiInboundMessageSchema,
  cliActor,
  conversationCreateSchema,
  eventCreateSchema,
  messageCreateSchema,
  noteCreateSchema,
  orderCreateSchema,
  productCreateSchema,
  taskCreateSchema,
  attributeDefinitionCreateSchema,
  companyCreateSchema,
  consentCreateSchema,
  customerCreateSchema,
  customerPatchSchema,
  identityCreateSchema,
  workspacePatchSchema,
} from '../../src/crm/index.js'
import { articleCreateSchema, faqCreateSchema } from '../../src/knowledge/index.js'
import { workflowShapeSchema } from '../../src/workflow/index.js'
import { draftForApprovalAction } from '../../src/actions/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

interface Target {
  readonly name: string
  readonly method: 'POST' | 'PATCH' | 'PUT'
  readonly url: (t: TestApp, ids: Ids) => string
  readonly schema: z.ZodObject
  /** A valid payload; every property run starts from it and breaks one field. */
  readonly valid: (n: number) => Record<string, unknown>
}

interface Ids {
  customerId: string
  inboxId: string
  conversationId: string
  /** An inbound message (the agent is applied to it) and a pending draft (decided once). */
  messageId: string
  approvalId: string
}

const ids: Ids = { customerId: '', inboxId: '', conversationId: '', messageId: '', approvalId: '' }

const TARGETS: Target[] = [
  {
    name: 'create customer',
    method: 'POST',
    url: () => '/api/v1/customers',
    schema: customerCreateSchema,
    valid: (n) => ({
      name: `客户 ${n}`,
      email: `p${n}@example.com`,
      phone: `+8613${String(n).padStart(9, '0')}`,
      tags: ['vip'],
    }),
  },
  {
    name: 'patch customer',
    method: 'PATCH',
    url: (_t, ids) => `/api/v1/customers/${ids.customerId}`,
    schema: customerPatchSchema,
    valid: () => ({ name: 'Renamed', tier: 'gold' }),
  },
  {
    name: 'create company',
    method: 'POST',
    url: () => '/api/v1/companies',
    schema: companyCreateSchema,
    valid: (n) => ({ name: `公司 ${n}`, domain: `c${n}.example.com` }),
  },
  {
    name: 'create attribute definition',
    method: 'POST',
    url: () => '/api/v1/attribute-definitions',
    schema: attributeDefinitionCreateSchema as unknown as z.ZodObject,
    valid: (n) => ({
      entity: 'customer',
      key: `field${n}`,
      type: 'text',
      labels: { zh: '字段', en: 'Field' },
    }),
  },
  {
    name: 'add identity',
    method: 'POST',
    url: (_t, ids) => `/api/v1/customers/${ids.customerId}/identities`,
    schema: identityCreateSchema,
    valid: (n) => ({ kind: 'chat', address: `visitor-${n}` }),
  },
  {
    name: 'record consent',
    method: 'POST',
    url: (_t, ids) => `/api/v1/customers/${ids.customerId}/consent`,
    schema: consentCreateSchema,
    valid: () => ({ purpose: 'marketing', channel: 'email', status: 'granted', source: 'form' }),
  },
  {
    name: 'create product',
    method: 'POST',
    url: () => '/api/v1/products',
    schema: productCreateSchema,
    valid: (n) => ({
      sku: `SKU-${n}`,
      name: { zh: '耳机', en: 'Earbuds' },
      price: { amount: 29900, currency: 'CNY' },
    }),
  },
  {
    name: 'create order',
    method: 'POST',
    url: () => '/api/v1/orders',
    schema: orderCreateSchema,
    valid: (n) => ({
      number: `LM-P-${n}`,
      customerId: ids.customerId,
      currency: 'CNY',
      items: [{ sku: 'SKU-1', quantity: 2, unitPrice: { amount: 1000, currency: 'CNY' } }],
      shipping: { amount: 500, currency: 'CNY' },
    }),
  },
  {
    name: 'track event',
    method: 'POST',
    url: () => '/api/v1/events',
    schema: eventCreateSchema,
    valid: () => ({ type: 'product_view', customerId: ids.customerId, properties: { page: '/p/1' } }),
  },
  {
    name: 'open conversation',
    method: 'POST',
    url: () => '/api/v1/conversations',
    schema: conversationCreateSchema,
    valid: () => ({ inboxId: ids.inboxId, customerId: ids.customerId, subject: '物流 question' }),
  },
  {
    name: 'reply in a conversation',
    method: 'POST',
    url: () => `/api/v1/conversations/${ids.conversationId}/messages`,
    schema: messageCreateSchema,
    valid: (n) => ({ text: `您好，包裹已发出 ${n}` }),
  },
  {
    name: 'ingest an API-channel message',
    method: 'POST',
    url: () => '/api/v1/channels/api/messages',
    schema: apiInboundMessageSchema,
    valid: (n) => ({
      from: { email: `in${n}@example.com` },
      text: '我的订单到哪了？',
      messageId: `ext-${n}`,
    }),
  },
  {
    name: 'add a note',
    method: 'POST',
    url: () => '/api/v1/notes',
    schema: noteCreateSchema,
    valid: () => ({ customerId: ids.customerId, body: 'VIP, prefers email' }),
  },
  {
    name: 'create a task',
    method: 'POST',
    url: () => '/api/v1/tasks',
    schema: taskCreateSchema,
    valid: (n) => ({ title: `Call back ${n}`, customerId: ids.customerId }),
  },
  {
    name: 'create a knowledge-base article',
    method: 'POST',
    url: () => '/api/v1/kb/articles',
    schema: articleCreateSchema,
    valid: (n) => ({
      externalId: `article-${n}`,
      title: `退货规则 ${n}`,
      body: '# Returns\n\nSend it back within 7 days.',
      language: 'en',
      tags: ['returns'],
      products: ['KB-SKU-1'],
      intents: ['return_exchange'],
    }),
  },
  {
    name: 'create a knowledge-base FAQ entry',
    method: 'POST',
    url: () => '/api/v1/kb/faqs',
    schema: faqCreateSchema,
    valid: (n) => ({
      externalId: `faq-${n}`,
      question: `满多少包邮？${n}`,
      answer: '满 ¥99 包邮。',
      paraphrases: ['包邮吗', '运费多少钱'],
      language: 'zh',
    }),
  },
  {
    name: 'ask the agent',
    method: 'POST',
    url: () => '/api/v1/agent/respond',
    // The route's body schema, field for field.
    schema: z.object({ customerId: z.string(), channel: z.string(), text: z.string() }),
    valid: (n) => ({
      customerId: ids.customerId,
      channel: 'chat',
      text: `我的退款什么时候到账？订单 LM-${n}`,
    }),
  },
  {
    name: 'create or update a workflow',
    method: 'POST',
    url: () => '/api/v1/workflows',
    schema: workflowShapeSchema,
    valid: (n) => ({
      key: `flow-${n}`,
      name: `跟进 ${n}`,
      trigger: { type: 'conversation.resolved' },
      steps: [
        { id: 'wait', type: 'wait', duration: 'PT1H', next: 'note' },
        { id: 'note', type: 'action', action: 'add_note', input: { body: '已解决 {{conversation.status}}' } },
      ],
    }),
  },
  {
    name: 'reply as a person',
    method: 'POST',
    url: () => `/api/v1/conversations/${ids.conversationId}/reply`,
    schema: z.object({ text: z.string() }),
    valid: (n) => ({ text: `您好，我来跟进 ${n}` }),
  },
  {
    name: 'take a conversation over',
    method: 'POST',
    url: () => `/api/v1/conversations/${ids.conversationId}/takeover`,
    schema: z.object({ assigneeId: z.string() }),
    valid: () => ({}),
  },
  {
    name: 'decide a draft',
    method: 'POST',
    url: () => `/api/v1/approvals/${ids.approvalId}`,
    schema: z.object({ action: z.string(), text: z.string() }),
    valid: () => ({ action: 'approve' }),
  },
  {
    name: 'apply the agent to a message',
    method: 'POST',
    url: () => `/api/v1/messages/${ids.messageId}/apply`,
    schema: z.object({ headers: z.record(z.string(), z.string()), from: z.string() }),
    valid: () => ({ headers: { Subject: 'Re: order' } }),
  },
  {
    name: "set the AI's hourly reply cap",
    method: 'PUT',
    url: () => '/api/v1/actions/settings',
    schema: z.object({ aiRepliesPerHour: z.number() }),
    valid: (n) => ({ aiRepliesPerHour: n % 10 }),
  },
  {
    name: 'patch workspace',
    method: 'PATCH',
    url: () => '/api/v1/workspace',
    schema: workspacePatchSchema,
    valid: () => ({ name: 'Demo 店铺' }),
  },
]

function deep(depth: number): unknown {
  let value: unknown = 'leaf'
  for (let i = 0; i < depth; i++) value = { nested: value }
  return value
}

/** One-field mutations: wrong types, boundary lengths, huge numbers, NUL, emoji, deep nesting. */
const mutation = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant('x'.repeat(70_000)),
  fc.constant('a\u0000b'),
  fc.constant('😀'.repeat(300)),
  fc.constant('\uD800'),
  fc.constant(1e308),
  fc.constant(-1e308),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.constant(-1),
  fc.constant(0.5),
  fc.constant(true),
  fc.constant([]),
  fc.constant({}),
  fc.constant(deep(200)),
  fc.constant(['😀', null, 1]),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 4 }),
)

async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of [
    'customers',
    'identities',
    'consent_events',
    'companies',
    'attribute_definitions',
    'audit_log',
    'kb_articles',
    'kb_article_versions',
    'kb_article_products',
    'kb_chunks',
    'kb_index_changes',
    'agent_decisions',
    'messages',
    'outbox',
    'approvals',
    'notifications',
    'action_effects',
    'workflows',
    'workflow_versions',
  ]) {
    const row = await t.app.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}

describeEachDatabase('request bodies derived from the zod schemas', (database) => {
  let t: TestApp
  let counter = 0
  beforeAll(async () => {
    t = await createTestApp(database)
    const customer = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Base' },
    })
    ids.customerId = customer.json().id
    const inbox = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/inboxes',
      payload: { name: 'chat', channel: 'chat', address: 'widget' },
    })
    ids.inboxId = inbox.json().id
    const conversation = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/conversations',
      payload: { inboxId: ids.inboxId, customerId: ids.customerId },
    })
    ids.conversationId = conversation.json().id
    const received = await t.request('integration', {
      method: 'POST',
      url: '/api/v1/channels/api/messages',
      payload: { from: { email: 'drafts@example.com' }, text: '退货要多久？', messageId: 'props-1' },
    })
    ids.messageId = received.json().messageId
    const drafted = await t.app.actions.run(
      draftForApprovalAction,
      { conversationId: received.json().conversationId, messageId: ids.messageId, text: '7 天内可退货。' },
      cliActor,
    )
    ids.approvalId = drafted.effects[0].id
    // Knowledge-base articles link to it by SKU.
    const product = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/products',
      payload: { sku: 'KB-SKU-1', name: { en: 'Linked' }, price: { amount: 100, currency: 'CNY' } },
    })
    expect(product.statusCode).toBe(201)
  })
  afterAll(async () => t?.dispose())

  for (const target of TARGETS) {
    it(`${target.name}: a valid payload passes, and one broken field never causes a 5xx or a partial write`, async () => {
      const fields = [...Object.keys(target.schema.shape), 'unknownField']
      const ok = await t.request('admin', {
        method: target.method,
        url: target.url(t, ids),
        payload: target.valid(++counter),
      })
      expect(ok.statusCode, ok.body).toBeLessThan(300)
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), mutation, async (field, value) => {
          const payload = { ...target.valid(++counter), [field]: value }
          const before = await rowCounts(t)
          const response = await t.request('admin', {
            method: target.method,
            url: target.url(t, ids),
            payload,
          })
          expect(
            response.statusCode,
            `${field}=${JSON.stringify(value)?.slice(0, 80)} → ${response.body.slice(0, 200)}`,
          ).toBeLessThan(500)
          if (response.statusCode >= 400) {
            expect(response.json().error.code).toMatch(/^[A-Z]+_[A-Z_]+$/)
            expect(await rowCounts(t)).toEqual(before)
          }
        }),
        { numRuns: 60, seed: 20261125 },
      )
    })
  }

  it('answers an oversized body with 413 and a wrong content type with 415', async () => {
    const big = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    })
    expect(big.statusCode).toBe(413)
    expect(big.json().error.code).toBe('CORE_BODY_TOO_LARGE')
    const xml = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: '<customer/>',
      headers: { 'content-type': 'application/xml' },
    })
    expect(xml.statusCode).toBe(415)
    expect(xml.json().error.code).toBe('CORE_UNSUPPORTED_MEDIA_TYPE')
  })
})
