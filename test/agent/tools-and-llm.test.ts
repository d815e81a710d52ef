import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { fixedClock, loadConfig } from '../../src/core/index.js'
import {
  completionBody,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from '../../src/llm/testing/fake-openai-server.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'
import { createCustomer } from '../support/records.js'

describeEachDatabase('agent tools', (database) => {
  let t: TestApp
  let customerId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    await importDemoKnowledge(t.app)
    customerId = (await createCustomer(t, { name: '王小红', email: 'xiaohong@example.com' })).id
    const order = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        number: 'LM20261120-000123',
        customerId,
        currency: 'CNY',
        status: 'shipped',
        paymentStatus: 'paid',
        items: [{ sku: 'LM-AUD-001', quantity: 1, unitPrice: { amount: 29900, currency: 'CNY' } }],
        carrier: '顺丰速运',
        trackingNumber: 'SF1234567890',
      },
    })
    expect(order.statusCode, order.body).toBe(201)
  }, 120_000)
  afterAll(async () => t?.dispose())

  const run = (name: string, payload: unknown, role: 'agent' | 'viewer' = 'agent') =>
    t.request(role, { method: 'POST', url: `/api/v1/agent/tools/${name}`, payload: payload as object })

  it('lists every tool with a JSON schema of its input', async () => {
    const response = await t.request('viewer', { method: 'GET', url: '/api/v1/agent/tools' })
    expect(response.statusCode).toBe(200)
    const names = response.json().items.map((tool: { function: { name: string } }) => tool.function.name)
    expect(names).toEqual([
      'lookup_order',
      'lookup_customer',
      'search_knowledge',
      'create_task',
      'hand_off',
      'schedule_callback',
    ])
    const lookup = response.json().items[0].function.parameters
    expect(lookup.properties).toHaveProperty('number')
  })

  it('looks an order up by its number and finds its carrier and tracking number', async () => {
    const response = await run('lookup_order', { number: 'lm20261120-000123' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().result).toMatchObject({
      number: 'LM20261120-000123',
      status: 'shipped',
      carrier: '顺丰速运',
      trackingNumber: 'SF1234567890',
      total: { currency: 'CNY' },
    })
  })

  it('refuses invalid input with the path of the problem, and an unknown tool by name', async () => {
    const missing = await run('lookup_order', {})
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.message).toContain('give orderId or number')
    const unknown = await run('send_money', {})
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toContain('known: lookup_order')
    const notFound = await run('lookup_order', { number: 'LM00000000-000000' })
    expect(notFound.statusCode).toBe(404)
  })

  it('schedules a callback as a task due in the future, and refuses a time in the past', async () => {
    const due = new Date(t.clock.now().getTime() + 86_400_000).toISOString()
    const ok = await run('schedule_callback', { customerId, at: due, note: '下午回电' })
    expect(ok.statusCode, ok.body).toBe(200)
    const task = await t.app.crm.tasks.get(ok.json().result.id)
    expect(task).toMatchObject({ customerId, status: 'open', title: 'Call the customer back' })
    const past = await run('schedule_callback', { customerId, at: '2020-01-01T00:00:00.000Z' })
    expect(past.statusCode).toBe(400)
  })

  it('searches the knowledge base and needs the agent role to run tools', async () => {
    const response = await run('search_knowledge', { query: '退款多久到账', limit: 2 })
    expect(response.statusCode).toBe(200)
    const hits = response.json().result
    expect(hits.length).toBeGreaterThan(0)
    expect(hits[0].externalId).toMatch(/refund/)
    expect((await run('search_knowledge', { query: 'x' }, 'viewer')).statusCode).toBe(403)
  })
})

describe('the agent with an OpenAI-compatible LLM (fake server on loopback)', () => {
  let fake: FakeOpenAiServer
  let app: App
  let dir: string
  beforeAll(async () => {
    fake = await startFakeOpenAiServer()
    dir = mkdtempSync(join(tmpdir(), 'agentcrm-llm-'))
    app = await createApp(
      loadConfig(
        {},
        {
          databaseUrl: join(dir, 'db.sqlite'),
          dataDir: dir,
          logLevel: 'silent',
          llm: { baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'test-key' },
        },
      ),
      { clock: fixedClock('2026-11-25T02:00:00.000Z') },
    )
    await app.ensureBuiltinModels()
    await importDemoKnowledge(app)
  }, 120_000)
  afterAll(async () => {
    await app?.close()
    await fake?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const question = '退款多久到账？我的手机 138 1234 5678，邮箱 xiaohong@example.com'

  it('uses the drafted reply with its citation when the model answers well, and sends no personal data', async () => {
    fake.enqueue({
      body: completionBody(
        JSON.stringify({ reply: '您好，退款会在收到退货后 1–3 个工作日内原路退回。', citations: [1] }),
      ),
    })
    const before = fake.requests.length
    const { decision, record } = await app.agent.respond({ text: question })
    expect(['answer', 'answer_with_approval']).toContain(decision.action)
    expect(record.llm).toMatchObject({ used: true, model: 'fake-model' })
    expect(decision.reply).toContain('1–3 个工作日')
    expect(decision.citations[0].externalId).toMatch(/refund/)
    const sent = fake.requests
      .slice(before)
      .map((request) => request.body)
      .join('\n')
    expect(sent.length).toBeGreaterThan(0)
    for (const secret of ['138 1234 5678', '13812345678', 'xiaohong@example.com'])
      expect(sent).not.toContain(secret)
  })

  it('falls back to its own reply, and says so, when the model fails', async () => {
    fake.enqueue({ status: 500, body: { error: 'boom' } }, { status: 500 }, { status: 500 })
    const { decision, record } = await app.agent.respond({ text: '退款多久到账' })
    expect(record.llm.used).toBe(false)
    expect(record.llm.fallbackReason).toBeTruthy()
    expect(decision.reply).toBeTruthy()
    expect(decision.explanation).toContain('LLM not used')
  })

  it('falls back when the model answers garbage', async () => {
    fake.enqueue({ body: completionBody('this is not json') })
    const { record, decision } = await app.agent.respond({ text: '退款多久到账' })
    expect(record.llm).toMatchObject({ used: false, fallbackReason: 'DRAFT_MALFORMED_JSON' })
    expect(decision.citations.length).toBeGreaterThan(0)
  })
})
