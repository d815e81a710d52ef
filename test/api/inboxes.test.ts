import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createConversation, createCustomer, ids } from '../support/records.js'

describeEachDatabase('inboxes API', (database) => {
  let t: TestApp
  let email: { id: string }
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('admin', { method: 'POST', url: '/api/v1/inboxes', payload })

  it('creates inboxes (admin only) with defaults', async () => {
    const asAgent = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/inboxes',
      payload: { name: 'x', channel: 'chat' },
    })
    expect(asAgent.statusCode).toBe(403)
    const created = await post({
      name: '客服邮箱 Support',
      channel: 'email',
      address: 'support@shop.example',
    })
    expect(created.statusCode).toBe(201)
    email = created.json()
    expect(email).toMatchObject({
      name: '客服邮箱 Support',
      channel: 'email',
      address: 'support@shop.example',
      settings: {},
      active: true,
    })
    expect(email.id).toMatch(/^inb_/)
    const sms = await post({ name: 'SMS', channel: 'sms', address: '+8610690000000', active: false })
    expect(sms.statusCode).toBe(201)
  })

  it('refuses a second inbox with the same channel and address with 409, allows it on another channel', async () => {
    const again = await post({ name: 'dup', channel: 'email', address: 'support@shop.example' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('CRM_DUPLICATE')
    const otherChannel = await post({ name: 'api', channel: 'api', address: 'support@shop.example' })
    expect(otherChannel.statusCode).toBe(201)
    const patched = await t.request('admin', {
      method: 'PATCH',
      url: `/api/v1/inboxes/${otherChannel.json().id}`,
      payload: { address: 'other' },
    })
    expect(patched.statusCode).toBe(200)
  })

  it('unknown channels and a changed channel are refused with 400', async () => {
    const unknown = await post({ name: 'WeChat', channel: 'wechat' })
    expect(unknown.statusCode).toBe(400)
    const change = await t.request('admin', {
      method: 'PATCH',
      url: `/api/v1/inboxes/${email.id}`,
      payload: { channel: 'sms' },
    })
    expect(change.statusCode).toBe(400)
  })

  it('filters by channel and active, patches with null clearing settings and address', async () => {
    const chat = (await post({ name: 'Chat', channel: 'chat', settings: { greeting: '你好' } })).json()
    expect(ids(await t.request('viewer', { method: 'GET', url: '/api/v1/inboxes?channel=chat' }))).toEqual([
      chat.id,
    ])
    const inactive = await t.request('viewer', { method: 'GET', url: '/api/v1/inboxes?active=false' })
    expect(inactive.json().items.map((i: { channel: string }) => i.channel)).toEqual(['sms'])
    const patched = await t.request('admin', {
      method: 'PATCH',
      url: `/api/v1/inboxes/${email.id}`,
      payload: { address: null, settings: null, name: 'Mail' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ name: 'Mail', address: null, settings: {}, channel: 'email' })
  })

  it('refuses to delete an inbox that conversations use (409), deletes a free one', async () => {
    const customer = await createCustomer(t)
    await createConversation(t, { inboxId: email.id, customerId: customer.id })
    const refused = await t.request('admin', { method: 'DELETE', url: `/api/v1/inboxes/${email.id}` })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('CRM_REFERENCED')
    expect(refused.json().error.details.references).toEqual([{ entity: 'conversation', count: 1 }])
    const free = (await post({ name: 'Free', channel: 'phone', address: '+864008000000' })).json()
    expect(
      (await t.request('admin', { method: 'DELETE', url: `/api/v1/inboxes/${free.id}` })).statusCode,
    ).toBe(204)
    const gone = await t.request('viewer', { method: 'GET', url: `/api/v1/inboxes/${free.id}` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.code).toBe('CRM_INBOX_NOT_FOUND')
  })
})
