import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

describeEachDatabase('customer 360 extras and the LLM setting API', (database) => {
  let t: TestApp
  const customers: Record<'byEmail' | 'byPhone', string> = { byEmail: '', byPhone: '' }
  let conversationId = ''

  async function deliver(from: Record<string, string>, messageId: string) {
    const response = await t.request('integration', {
      method: 'POST',
      url: '/api/v1/channels/api/messages',
      payload: { from, text: 'Hello, about my order', messageId },
    })
    if (response.statusCode !== 202) throw new Error(`not delivered: ${response.body}`)
    return response.json() as { customerId: string; conversationId: string }
  }

  beforeAll(async () => {
    t = await createTestApp(database, '2026-11-25T02:00:00.000Z', {
      llm: {
        baseUrl: 'https://robot:hunter2@llm.example.com/v1?key=leaky',
        model: 'qwen2.5:7b',
        apiKey: 'sk-secret',
      },
    })
    customers.byEmail = (await deliver({ email: 'mei@example.com' }, 'dup-1')).customerId
    customers.byPhone = (await deliver({ phone: '+8613800138000' }, 'dup-2')).customerId
    // One message from both: it goes to the email's customer, and the phone's owner is a suggested duplicate.
    const both = await deliver({ email: 'mei@example.com', phone: '+8613800138000' }, 'dup-3')
    conversationId = both.conversationId
    expect(both.customerId).toBe(customers.byEmail)
  }, 120_000)
  afterAll(async () => t?.dispose())

  const get = (url: string, role: 'viewer' | 'agent' | 'admin' = 'viewer') =>
    t.request(role, { method: 'GET', url })

  it('lists a duplicate suggestion from both sides, and settles it by merging', async () => {
    const fromEmail = await get(`/api/v1/customers/${customers.byEmail}/duplicates`)
    expect(fromEmail.statusCode, fromEmail.body).toBe(200)
    expect(fromEmail.json().items).toEqual([
      expect.objectContaining({
        kind: 'phone',
        source: 'ingest',
        conversationId,
        other: expect.objectContaining({ id: customers.byPhone, phone: '+8613800138000' }),
      }),
    ])
    const fromPhone = await get(`/api/v1/customers/${customers.byPhone}/duplicates`)
    expect(fromPhone.json().items.map((item: { other: { id: string } }) => item.other.id)).toEqual([
      customers.byEmail,
    ])

    const merged = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/customers/${customers.byEmail}/merge`,
      payload: { loserId: customers.byPhone },
    })
    expect(merged.statusCode, merged.body).toBe(200)
    expect((await get(`/api/v1/customers/${customers.byEmail}/duplicates`)).json().items).toEqual([])
  })

  it("lists a customer's surveys with their answers and never the answer link", async () => {
    const token = 'a-survey-token-long-enough-1234'
    await t.app.store.db
      .insertInto('surveys')
      .values({
        id: 'srv_test_1',
        conversationId,
        customerId: customers.byEmail,
        messageId: null,
        kind: 'csat',
        language: 'en',
        token,
        score: null,
        comment: null,
        sentAt: t.app.store.codec.encode({ sentAt: 'time' }, { sentAt: '2026-11-25T01:00:00.000Z' }).sentAt,
        answeredAt: null,
      })
      .execute()
    const answer = await t.request(null, {
      method: 'POST',
      url: `/api/v1/surveys/${token}`,
      payload: { score: 4, comment: 'Quick and kind' },
    })
    expect(answer.statusCode, answer.body).toBe(200)
    const response = await get(`/api/v1/customers/${customers.byEmail}/surveys`)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().items).toEqual([
      {
        id: 'srv_test_1',
        conversationId,
        kind: 'csat',
        language: 'en',
        score: 4,
        comment: 'Quick and kind',
        sentAt: '2026-11-25T01:00:00.000Z',
        answeredAt: '2026-11-25T02:00:00.000Z',
      },
    ])
    expect(response.body).not.toContain(token)
  })

  it('answers 404 for a customer that does not exist', async () => {
    for (const path of ['surveys', 'duplicates']) {
      const response = await get(`/api/v1/customers/cus_nope/${path}`)
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('CRM_CUSTOMER_NOT_FOUND')
    }
  })

  it('shows admins the LLM provider without its key or the credentials in its URL', async () => {
    const response = await get('/api/v1/settings/llm', 'admin')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({
      configured: true,
      source: 'environment',
      baseUrl: 'https://llm.example.com/v1',
      model: 'qwen2.5:7b',
      apiKeySet: true,
    })
    expect(response.body).not.toMatch(/sk-secret|hunter2|leaky/)
    expect((await get('/api/v1/settings/llm', 'agent')).statusCode).toBe(403)
  })
})
