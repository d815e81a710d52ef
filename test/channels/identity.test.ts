import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createCustomer } from '../support/records.js'

describeEachDatabase('identity at ingest', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  const deliver = (payload: Record<string, unknown>) =>
    t.request('integration', { method: 'POST', url: '/api/v1/channels/api/messages', payload })
  const suggestions = async () =>
    (
      await t.app.store.db
        .selectFrom('notifications')
        .select(['payload', 'conversationId'])
        .where('kind', '=', 'duplicate_suggestion')
        .execute()
    ).map((row) => ({
      conversationId: row.conversationId,
      payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
        string,
        unknown
      >,
    }))
  const customer = async (id: string) =>
    (await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${id}` })).json()

  it('normalises the sender: e-mail lower-cased, phone to E.164 in the workspace region', async () => {
    const response = await deliver({
      from: { email: '  Zhou.Min@Example.COM ', phone: '138-0013-8111', name: '周敏' },
      text: '你好',
      messageId: 'norm-1',
    })
    expect(response.statusCode, response.body).toBe(202)
    const created = await customer(response.json().customerId)
    expect(created).toMatchObject({ email: 'zhou.min@example.com', phone: '+8613800138111' })
    const identities = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${created.id}/identities` })
    ).json()
    const addresses = (identities.items ?? identities).map(
      (identity: { address: string }) => identity.address,
    )
    expect(addresses).toEqual(expect.arrayContaining(['zhou.min@example.com', '+8613800138111']))
    // the same person written differently is found again
    const again = await deliver({ from: { phone: '+86 138 0013 8111' }, text: '在吗', messageId: 'norm-2' })
    expect(again.json().customerId).toBe(created.id)
  })

  it('attaches to the e-mail match when e-mail and phone belong to different customers, and suggests a duplicate once', async () => {
    const byEmail = await createCustomer(t, { name: 'A', email: 'wu.hua@example.com' })
    const byPhone = await createCustomer(t, { name: 'B', phone: '13900139222' })
    const first = await deliver({
      from: { email: 'WU.HUA@example.com', phone: '139 0013 9222' },
      text: '我的订单呢？',
      messageId: 'conflict-1',
    })
    expect(first.statusCode, first.body).toBe(202)
    const receipt = first.json()
    expect(receipt.customerId).toBe(byEmail.id)
    // the phone stays with its owner: not copied onto the e-mail match
    expect((await customer(byEmail.id)).phone).toBeNull()
    const found = (await suggestions()).filter((s) => s.payload.customerId === byEmail.id)
    expect(found).toEqual([
      {
        conversationId: receipt.conversationId,
        payload: expect.objectContaining({
          customerId: byEmail.id,
          otherCustomerId: byPhone.id,
          kind: 'phone',
        }),
      },
    ])
    // the next message of the same conversation does not suggest it again
    const second = await deliver({
      from: { email: 'wu.hua@example.com', phone: '+8613900139222' },
      text: '还在吗？',
      messageId: 'conflict-2',
    })
    expect(second.json().conversationId).toBe(receipt.conversationId)
    expect((await suggestions()).filter((s) => s.payload.customerId === byEmail.id)).toHaveLength(1)
    // nobody was merged
    expect((await customer(byPhone.id)).mergedIntoId).toBeNull()
  })

  it('refuses a phone number that is not one, naming it (400), and files nothing', async () => {
    const response = await deliver({ from: { phone: '12' }, text: 'hi', messageId: 'bad-phone' })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain('"12"')
  })
})
