import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createInbox } from '../support/records.js'

describeEachDatabase('erasure of a chat widget visitor', (database) => {
  let t: TestApp
  let inbox: { id: string }
  beforeAll(async () => {
    t = await createTestApp(database)
    inbox = await createInbox(t, { name: 'Shop chat', channel: 'chat' })
  })
  afterAll(async () => t?.dispose())

  const widget = (method: 'GET' | 'POST', path: string, token?: string, payload?: unknown) =>
    t.server.inject({
      method,
      url: `/api/v1/widget/${inbox.id}${path}`,
      headers: {
        ...(token ? { 'x-agentcrm-visitor': token } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    })

  it('removes the visitor (its token opens nothing) and the live announcements about the customer', async () => {
    const token = (await widget('POST', '/visitors', undefined, {})).json().token as string
    const sent = await widget('POST', '/messages', token, {
      text: '我叫Zqxvchat，手机 13900001111',
      messageId: randomUUID(),
      name: 'Zqxvchat',
    })
    expect(sent.statusCode, sent.body).toBe(202)
    const { conversationId } = sent.json() as { conversationId: string }
    const customerId = (await t.app.crm.conversations.get(conversationId)).customerId
    const count = async (table: string, column: string, value: string) =>
      Number(
        (
          await t.app.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where(column, '=', value)
            .executeTakeFirstOrThrow()
        ).n,
      )
    // the test can fail: the rows are there before erasure
    expect(await count('chat_visitors', 'customerId', customerId)).toBe(1)
    expect(await count('live_events', 'customerId', customerId)).toBeGreaterThan(0)
    expect((await widget('GET', '/conversation', token)).json().conversationId).toBe(conversationId)

    const erased = await t.request('admin', {
      method: 'DELETE',
      url: `/api/v1/customers/${customerId}?erase=true`,
    })
    expect(erased.statusCode).toBe(200)
    expect(await count('chat_visitors', 'customerId', customerId)).toBe(0)
    expect(await count('live_events', 'customerId', customerId)).toBe(0)
    expect(await count('live_events', 'conversationId', conversationId)).toBe(0)
    const after = await widget('GET', '/conversation', token)
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('CHANNEL_WIDGET_VISITOR_UNKNOWN')
    const identities = await t.app.store.db
      .selectFrom('identities')
      .select('id')
      .where('kind', '=', 'chat')
      .where('customerId', '=', customerId)
      .execute()
    expect(identities).toEqual([])
  })
})
