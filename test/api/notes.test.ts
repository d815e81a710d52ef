import { afterAll, beforeAll, expect, it } from 'vitest'
import { systemActor } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createConversation, createCustomer, createInbox, ids } from '../support/records.js'

describeEachDatabase('notes API', (database) => {
  let t: TestApp
  let customerId: string
  let conversationId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    customerId = (await createCustomer(t)).id
    const inbox = await createInbox(t)
    conversationId = (await createConversation(t, { inboxId: inbox.id, customerId })).id
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: '/api/v1/notes', payload })

  it('writes a note on a customer; with a token the author is null', async () => {
    const created = await post({ customerId, body: '客户偏好顺丰快递' })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      customerId,
      conversationId: null,
      authorId: null,
      body: '客户偏好顺丰快递',
    })
    expect(created.json().id).toMatch(/^not_/)
  })

  it('records the signed-in user as the author', async () => {
    const user = await t.app.access.createUser(
      { email: 'writer@shop.example', password: 'correct horse battery', role: 'agent' },
      systemActor,
    )
    const login = await t.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'writer@shop.example', password: 'correct horse battery' },
    })
    const cookie = login.cookies.find((c) => c.name === 'agentcrm_session')
    const created = await t.server.inject({
      method: 'POST',
      url: '/api/v1/notes',
      headers: {
        cookie: `agentcrm_session=${cookie?.value}`,
        host: 'crm.example',
        origin: 'http://crm.example',
      },
      payload: { customerId, body: 'written in the console' },
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().authorId).toBe(user.id)
    const mine = await t.request('viewer', { method: 'GET', url: `/api/v1/notes?authorId=${user.id}` })
    expect(ids(mine)).toEqual([created.json().id])
  })

  it('files a note on a conversation under its customer too, and refuses contradicting ids', async () => {
    const created = await post({ conversationId, body: 'VIP, handle with care' })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ conversationId, customerId })
    const other = await createCustomer(t, { name: 'Other' })
    const contradiction = await post({ conversationId, customerId: other.id, body: 'x' })
    expect(contradiction.statusCode).toBe(400)
    expect(contradiction.json().error.details.field).toBe('customerId')
    const orphan = await post({ body: 'on nothing' })
    expect(orphan.statusCode).toBe(400)
    const missing = await post({ customerId: 'cus_01JD3Z7X2N4V5B6C7D8E9F0G1H', body: 'x' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.code).toBe('CRM_INVALID_REFERENCE')
    const byConversation = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/notes?conversationId=${conversationId}`,
    })
    expect(ids(byConversation)).toEqual([created.json().id])
  })

  it('searches note bodies, patches the body, refuses clearing it, deletes (admin) and 404s', async () => {
    const found = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/notes?q=${encodeURIComponent('顺丰')}`,
    })
    expect(found.json().items).toHaveLength(1)
    const id = ids(found)[0]
    const patched = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/notes/${id}`,
      payload: { body: '改为京东' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json().body).toBe('改为京东')
    const cleared = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/notes/${id}`,
      payload: { body: null },
    })
    expect(cleared.statusCode).toBe(400)
    const moved = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/notes/${id}`,
      payload: { customerId: null },
    })
    expect(moved.statusCode).toBe(400)
    expect((await t.request('agent', { method: 'DELETE', url: `/api/v1/notes/${id}` })).statusCode).toBe(403)
    expect((await t.request('admin', { method: 'DELETE', url: `/api/v1/notes/${id}` })).statusCode).toBe(204)
    const gone = await t.request('viewer', { method: 'GET', url: `/api/v1/notes/${id}` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.code).toBe('CRM_NOTE_NOT_FOUND')
  })
})
