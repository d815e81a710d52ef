import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../support/databases.js'
import { createTestApp, type TestApp } from '../support/app.js'

describeEachDatabase('customers API', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  it('creates a customer, normalises email and phone, and finds them by name, email or typed phone', async () => {
    const created = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: '王小明', email: ' Wang.XM@QQ.com ', phone: '138 0013 8000', tags: ['vip'] },
    })
    expect(created.statusCode).toBe(201)
    const customer = created.json()
    expect(customer.id).toMatch(/^cus_[0-9A-Z]{26}$/)
    expect(customer.email).toBe('wang.xm@qq.com')
    expect(customer.phone).toBe('+8613800138000')
    expect(customer.locale).toBe('zh-CN')
    expect(customer.createdAt).toBe('2026-11-25T02:00:00.000Z')

    await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Alice Smith', locale: 'en-US' },
    })
    for (const q of ['小明', 'WANG.xm', '138-0013-8000', '0013 8000']) {
      const found = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/customers?q=${encodeURIComponent(q)}`,
      })
      expect(found.statusCode).toBe(200)
      expect(found.json().items.map((c: { id: string }) => c.id)).toEqual([customer.id])
    }
    const alice = await t.request('viewer', { method: 'GET', url: '/api/v1/customers?q=alice' })
    expect(alice.json().items).toHaveLength(1)
  })

  it('refuses a second customer with the same email with 409 naming the owner', async () => {
    const again = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'dup', email: 'wang.xm@qq.com' },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('CRM_DUPLICATE')
  })

  it('pages with a cursor without repeating or skipping rows', async () => {
    for (let i = 0; i < 7; i++) {
      t.clock.advance(1000)
      await t.request('agent', { method: 'POST', url: '/api/v1/customers', payload: { name: `Page ${i}` } })
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/v1/customers?limit=3&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`
      const page = await t.request('viewer', { method: 'GET', url })
      expect(page.statusCode).toBe(200)
      const body = page.json()
      seen.push(...body.items.map((c: { id: string }) => c.id))
      cursor = body.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(9)
    expect(new Set(seen).size).toBe(9)
  })

  it('answers 404 with CRM_CUSTOMER_NOT_FOUND for unknown and malformed ids', async () => {
    for (const id of ['cus_01JD3Z7X2N4V5B6C7D8E9F0G1H', 'nonsense', '%00']) {
      const response = await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${id}` })
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('CRM_CUSTOMER_NOT_FOUND')
    }
  })

  it('patches with merge semantics where null clears', async () => {
    const created = (
      await t.request('agent', {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name: 'Bob', email: 'bob@example.com' },
      })
    ).json()
    const patched = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      payload: { email: null, tier: 'gold' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ name: 'Bob', email: null, tier: 'gold' })
    const identities = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/customers/${created.id}/identities`,
    })
    expect(identities.json().items).toEqual([])
  })

  it('refuses unknown fields and malformed JSON with 400 in the error shape', async () => {
    const unknown = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { nmae: 'x' },
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.code).toBe('CORE_VALIDATION_FAILED')
    const malformed = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('CORE_MALFORMED_JSON')
  })
})
