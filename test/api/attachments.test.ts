import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createConversation, createCustomer, createInbox, ids } from '../support/records.js'

describeEachDatabase('attachments API', (database) => {
  let t: TestApp
  let customerId: string
  let conversationId: string
  let messageId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    customerId = (await createCustomer(t)).id
    const inbox = await createInbox(t)
    conversationId = (await createConversation(t, { inboxId: inbox.id, customerId })).id
    messageId = (
      await t.request('agent', {
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        payload: { direction: 'inbound', authorKind: 'customer', text: 'photo attached' },
      })
    ).json().id
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: '/api/v1/attachments', payload })
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10])

  it('stores an attachment on a message with its size and SHA-256, and serves the exact bytes', async () => {
    const created = await post({
      filename: '破损照片 broken.png',
      contentType: 'image/PNG',
      contentBase64: bytes.toString('base64'),
      messageId,
    })
    expect(created.statusCode).toBe(201)
    const attachment = created.json()
    expect(attachment).toEqual({
      id: expect.stringMatching(/^att_/),
      customerId,
      conversationId,
      messageId,
      filename: '破损照片 broken.png',
      contentType: 'image/png',
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      createdAt: '2026-11-25T02:00:00.000Z',
    })
    const metadata = await t.request('viewer', { method: 'GET', url: `/api/v1/attachments/${attachment.id}` })
    expect(metadata.json()).toEqual(attachment)

    const content = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/attachments/${attachment.id}/content`,
    })
    expect(content.statusCode).toBe(200)
    expect(content.headers['content-type']).toBe('image/png')
    expect(content.headers['x-content-type-options']).toBe('nosniff')
    expect(content.headers['content-disposition']).toContain("filename*=UTF-8''")
    expect(Buffer.compare(content.rawPayload, bytes)).toBe(0)
  })

  it('lists metadata only, filtered by conversation, and never content', async () => {
    await post({
      filename: 'note.txt',
      contentType: 'text/plain; charset=utf-8',
      contentBase64: Buffer.from('你好').toString('base64'),
      customerId,
    })
    const all = await t.request('viewer', { method: 'GET', url: '/api/v1/attachments' })
    expect(all.json().items).toHaveLength(2)
    for (const item of all.json().items) {
      expect(item).not.toHaveProperty('content')
      expect(item).not.toHaveProperty('contentBase64')
    }
    const onConversation = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/attachments?conversationId=${conversationId}`,
    })
    expect(onConversation.json().items.map((a: { filename: string }) => a.filename)).toEqual([
      '破损照片 broken.png',
    ])
    const text = await t.request('viewer', { method: 'GET', url: '/api/v1/attachments?q=note' })
    const [id] = ids(text)
    const served = await t.request('viewer', { method: 'GET', url: `/api/v1/attachments/${id}/content` })
    expect(served.body).toBe('你好')
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('refuses content above 700 KiB with 413, bad base64 and bad names with 400, and writes nothing', async () => {
    const before = await countRows(t, 'attachments')
    const big = await post({
      filename: 'big.bin',
      contentType: 'application/octet-stream',
      contentBase64: Buffer.alloc(700 * 1024 + 1).toString('base64'),
      customerId,
    })
    expect(big.statusCode).toBe(413)
    expect(big.json().error.code).toBe('CORE_BODY_TOO_LARGE')
    const limit = await post({
      filename: 'limit.bin',
      contentType: 'application/octet-stream',
      contentBase64: Buffer.alloc(700 * 1024).toString('base64'),
      customerId,
    })
    expect(limit.statusCode).toBe(201)
    expect(limit.json().size).toBe(700 * 1024)
    for (const payload of [
      { filename: 'a.bin', contentType: 'application/octet-stream', contentBase64: 'not base64!' },
      { filename: '../etc/passwd', contentType: 'text/plain', contentBase64: 'aGk=' },
      { filename: 'a.txt', contentType: 'not a type', contentBase64: 'aGk=' },
      { filename: 'a.txt', contentType: 'text/plain', contentBase64: 'aGk=', content: 'x' },
    ]) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
    }
    const missingParent = await post({
      filename: 'a.txt',
      contentType: 'text/plain',
      contentBase64: 'aGk=',
      messageId: 'msg_01JD3Z7X2N4V5B6C7D8E9F0G1H',
    })
    expect(missingParent.statusCode).toBe(400)
    expect(missingParent.json().error.details.field).toBe('messageId')
    expect(await countRows(t, 'attachments')).toBe(before + 1)
  })

  it('answers 404 for unknown attachments, metadata and content alike, and deletes (admin only)', async () => {
    for (const url of [
      '/api/v1/attachments/att_01JD3Z7X2N4V5B6C7D8E9F0G1H',
      '/api/v1/attachments/nonsense/content',
    ]) {
      const response = await t.request('viewer', { method: 'GET', url })
      expect(response.statusCode, url).toBe(404)
      expect(response.json().error.code).toBe('CRM_ATTACHMENT_NOT_FOUND')
    }
    const [id] = ids(await t.request('viewer', { method: 'GET', url: '/api/v1/attachments?limit=1' }))
    expect(
      (await t.request('agent', { method: 'DELETE', url: `/api/v1/attachments/${id}` })).statusCode,
    ).toBe(403)
    expect(
      (await t.request('admin', { method: 'DELETE', url: `/api/v1/attachments/${id}` })).statusCode,
    ).toBe(204)
    expect(
      (await t.request('viewer', { method: 'GET', url: `/api/v1/attachments/${id}/content` })).statusCode,
    ).toBe(404)
  })
})
