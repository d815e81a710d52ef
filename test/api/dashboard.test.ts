import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createCustomer, createInbox } from '../support/records.js'

describeEachDatabase('dashboard API', (database) => {
  let t: TestApp

  /** Sets the clock, then makes one API call as an agent. */
  async function at(time: string, method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) {
    t.clock.set(time)
    const response = await t.request('agent', { method, url, payload })
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.body}`)
    return response.json()
  }

  async function message(conversationId: string, sentAt: string, direction: 'inbound' | 'outbound') {
    return at(sentAt, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      direction,
      authorKind: direction === 'inbound' ? 'customer' : 'agent',
      text: direction === 'inbound' ? 'Where is my parcel?' : 'It ships today.',
      sentAt,
    })
  }

  async function decide(time: string, conversationId: string, intent: string, sentiment: string) {
    t.clock.set(time)
    await t.app.agent.repository.saveDecision({
      messageId: null,
      conversationId,
      customerId: null,
      action: 'answer',
      confidence: 0.9,
      intent,
      sentiment,
      handOffReason: null,
      record: {},
    })
  }

  async function survey(conversationId: string, customerId: string, sentAt: string, score: number | null) {
    const token = `survey-token-${conversationId}-${sentAt}`.replace(/[^a-z0-9-]/gi, '')
    await t.app.store.db
      .insertInto('surveys')
      .values({
        id: `srv_${token.slice(-20)}`,
        conversationId,
        customerId,
        messageId: null,
        kind: 'csat',
        language: 'en',
        token,
        score: null,
        comment: null,
        sentAt: t.app.store.codec.encode({ sentAt: 'time' }, { sentAt }).sentAt,
        answeredAt: null,
      })
      .execute()
    if (score === null) return
    const answer = await t.request(null, {
      method: 'POST',
      url: `/api/v1/surveys/${token}`,
      payload: { score },
    })
    if (answer.statusCode !== 200) throw new Error(`survey not answered: ${answer.body}`)
  }

  const get = (query: string, role: 'viewer' | null = 'viewer') =>
    t.request(role, { method: 'GET', url: `/api/v1/dashboard${query}` })

  beforeAll(async () => {
    // Workspace time zone Asia/Shanghai (UTC+8): the local day starts at 16:00 UTC the day before.
    t = await createTestApp(database, '2026-11-01T00:00:00.000Z')
    const chat = await createInbox(t, { name: 'Chat', channel: 'chat' })
    const email = await createInbox(t, { name: 'Mail', channel: 'email', address: 'help@example.com' })
    const customer = await createCustomer(t, { name: 'Wang Fang' })

    // A: chat, opened 23:30 local on 11-10, answered after an hour (00:30 local, so on 11-11).
    const a = await at('2026-11-10T15:30:00.000Z', 'POST', '/api/v1/conversations', {
      inboxId: chat.id,
      customerId: customer.id,
    })
    await message(a.id, '2026-11-10T15:30:00.000Z', 'inbound')
    await decide('2026-11-10T15:31:00.000Z', a.id, 'order_status', 'negative')
    await message(a.id, '2026-11-10T16:30:00.000Z', 'outbound')

    // B: email on 11-11, answered in two minutes, resolved by the AI two hours after it opened.
    const b = await at('2026-11-11T01:00:00.000Z', 'POST', '/api/v1/conversations', {
      inboxId: email.id,
      customerId: customer.id,
    })
    await message(b.id, '2026-11-11T01:00:00.000Z', 'inbound')
    await decide('2026-11-11T01:01:00.000Z', b.id, 'order_status', 'neutral')
    await message(b.id, '2026-11-11T01:02:00.000Z', 'outbound')
    await at('2026-11-11T03:00:00.000Z', 'PATCH', `/api/v1/conversations/${b.id}`, { status: 'resolved' })
    await survey(b.id, customer.id, '2026-11-11T04:00:00.000Z', 5)
    await survey(a.id, customer.id, '2026-11-11T05:00:00.000Z', 3)
    await survey(a.id, customer.id, '2026-11-12T05:00:00.000Z', null)

    // C: chat on 11-12, handed to a person, never answered.
    const c = await at('2026-11-12T02:00:00.000Z', 'POST', '/api/v1/conversations', {
      inboxId: chat.id,
      customerId: customer.id,
    })
    await message(c.id, '2026-11-12T02:00:00.000Z', 'inbound')
    await decide('2026-11-12T02:01:00.000Z', c.id, 'refund_request', 'positive')
    await at('2026-11-12T02:05:00.000Z', 'PATCH', `/api/v1/conversations/${c.id}`, { handler: 'human' })

    // Outside the period: 23:59 local on 11-09, and 11-20.
    const d = await at('2026-11-09T15:59:00.000Z', 'POST', '/api/v1/conversations', {
      inboxId: chat.id,
      customerId: customer.id,
    })
    await message(d.id, '2026-11-09T15:59:00.000Z', 'inbound')
    await message(d.id, '2026-11-20T01:00:00.000Z', 'outbound')
    await decide('2026-11-20T01:00:00.000Z', d.id, 'complaint', 'negative')
  }, 120_000)
  afterAll(async () => t?.dispose())

  it('aggregates volume, intents, sentiment, outcomes, CSAT and response times per local day', async () => {
    const response = await get('?from=2026-11-10&to=2026-11-13')
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({ from: '2026-11-10', to: '2026-11-13', timeZone: 'Asia/Shanghai' })
    expect(body.days).toEqual(['2026-11-10', '2026-11-11', '2026-11-12'])
    expect(body.volume.byChannel).toEqual([
      { channel: 'chat', inbound: 2, outbound: 1 },
      { channel: 'email', inbound: 1, outbound: 1 },
    ])
    expect(body.volume.byDay).toEqual([
      { day: '2026-11-10', channel: 'chat', inbound: 1, outbound: 0 },
      { day: '2026-11-11', channel: 'chat', inbound: 0, outbound: 1 },
      { day: '2026-11-11', channel: 'email', inbound: 1, outbound: 1 },
      { day: '2026-11-12', channel: 'chat', inbound: 1, outbound: 0 },
    ])
    expect(body.intents).toEqual([
      { intent: 'order_status', count: 2 },
      { intent: 'refund_request', count: 1 },
    ])
    expect(body.sentiment).toEqual([
      { day: '2026-11-10', positive: 0, neutral: 0, negative: 1 },
      { day: '2026-11-11', positive: 0, neutral: 1, negative: 0 },
      { day: '2026-11-12', positive: 1, neutral: 0, negative: 0 },
    ])
    expect(body.conversations).toEqual({
      total: 3,
      autoResolved: 1,
      handedOff: 1,
      autoResolutionRate: 1 / 3,
      handOffRate: 1 / 3,
    })
    expect(body.csat).toEqual({
      sent: 3,
      answered: 2,
      average: 4,
      distribution: [
        { score: 1, count: 0 },
        { score: 2, count: 0 },
        { score: 3, count: 1 },
        { score: 4, count: 0 },
        { score: 5, count: 1 },
      ],
    })
    expect(body.firstResponse).toEqual({ count: 2, medianSeconds: 120, p90Seconds: 3600 })
    expect(body.resolution).toEqual({ count: 1, medianSeconds: 7200, p90Seconds: 7200 })
  })

  it('moves rows between days when the workspace time zone changes, across a DST change', async () => {
    const patch = await t.request('admin', {
      method: 'PATCH',
      url: '/api/v1/workspace',
      payload: { timeZone: 'America/New_York' },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    try {
      // New York: UTC-5 in November (DST ended 11-01), so 15:30 UTC on 11-10 is still 11-10 and 01:00 UTC on
      // 11-11 is 20:00 on 11-10, 02:00 UTC on 11-12 is 21:00 on 11-11; 15:59 UTC on 11-09 is 11-09 there.
      const response = await get('?from=2026-10-31&to=2026-11-12')
      expect(response.statusCode, response.body).toBe(200)
      const body = response.json()
      expect(body.timeZone).toBe('America/New_York')
      expect(body.days).toHaveLength(12)
      expect(body.volume.byDay).toEqual([
        { day: '2026-11-09', channel: 'chat', inbound: 1, outbound: 0 },
        { day: '2026-11-10', channel: 'chat', inbound: 1, outbound: 1 },
        { day: '2026-11-10', channel: 'email', inbound: 1, outbound: 1 },
        { day: '2026-11-11', channel: 'chat', inbound: 1, outbound: 0 },
      ])
      expect(body.sentiment.find((entry: { day: string }) => entry.day === '2026-11-10')).toEqual({
        day: '2026-11-10',
        positive: 0,
        neutral: 1,
        negative: 1,
      })
    } finally {
      await t.request('admin', {
        method: 'PATCH',
        url: '/api/v1/workspace',
        payload: { timeZone: 'Asia/Shanghai' },
      })
    }
  })

  it('answers an empty period with zeros and nulls, not errors', async () => {
    const response = await get('?from=2026-06-01&to=2026-06-03')
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.volume).toEqual({ byChannel: [], byDay: [] })
    expect(body.intents).toEqual([])
    expect(body.conversations).toMatchObject({ total: 0, autoResolutionRate: null, handOffRate: null })
    expect(body.csat).toMatchObject({ sent: 0, answered: 0, average: null })
    expect(body.firstResponse).toEqual({ count: 0, medianSeconds: null, p90Seconds: null })
  })

  it('refuses a bad period with a 400 that names the field and the fix', async () => {
    const reversed = await get('?from=2026-11-13&to=2026-11-10')
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().error.code).toBe('CORE_VALIDATION_FAILED')
    expect(reversed.json().error.details.issues[0].path).toBe('querystring.to')
    expect(reversed.json().error.message).toMatch(/must be after from/)

    const long = await get('?from=2025-01-01&to=2026-11-10')
    expect(long.statusCode).toBe(400)
    expect(long.json().error.message).toMatch(/at most 366/)

    const notADay = await get('?from=last-week&to=2026-11-10')
    expect(notADay.statusCode).toBe(400)
    expect(notADay.json().error.details.issues[0].path).toBe('querystring.from')

    expect((await get('?from=2026-11-10')).statusCode).toBe(400)
    expect((await get('?from=2026-11-10&to=2026-11-11&extra=1')).statusCode).toBe(400)
    expect((await get('?from=2026-11-10&to=2026-11-11', null)).statusCode).toBe(401)
  })
})
