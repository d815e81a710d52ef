import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createCustomer, ids } from '../support/records.js'

describeEachDatabase('products API', (database) => {
  let t: TestApp
  let tea: { id: string }
  let kettle: { id: string }
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: '/api/v1/products', payload })
  const list = (query: string) => t.request('viewer', { method: 'GET', url: `/api/v1/products?${query}` })

  it('creates a product with a bilingual name and price as money', async () => {
    const created = await post({
      sku: 'TEA-LJ-250',
      name: { zh: '西湖龙井', en: 'West Lake Longjing Tea' },
      category: 'Tea',
      price: { amount: 29900, currency: 'CNY' },
      description: { zh: '明前茶', en: 'Picked before Qingming' },
    })
    expect(created.statusCode).toBe(201)
    tea = created.json()
    expect(tea).toMatchObject({
      sku: 'TEA-LJ-250',
      name: { zh: '西湖龙井', en: 'West Lake Longjing Tea' },
      category: 'Tea',
      price: { amount: 29900, currency: 'CNY' },
      description: { zh: '明前茶', en: 'Picked before Qingming' },
      attributes: {},
      active: true,
      createdAt: '2026-11-25T02:00:00.000Z',
    })
    expect(tea.id).toMatch(/^prd_[0-9A-Z]{26}$/)
    expect(tea).not.toHaveProperty('searchText')
    expect(tea).not.toHaveProperty('priceAmount')

    t.clock.advance(1000)
    kettle = (
      await post({
        sku: 'KET-01',
        name: { zh: '电水壶', en: 'Electric Kettle' },
        category: 'Appliances',
        price: { amount: 1999, currency: 'USD' },
        active: false,
      })
    ).json()
    expect(kettle.id).toMatch(/^prd_/)
  })

  it('finds products by Chinese name, English name (any case), SKU and category', async () => {
    for (const [q, expected] of [
      ['龙井', [tea.id]],
      ['longjing', [tea.id]],
      ['WEST LAKE', [tea.id]],
      ['水壶', [kettle.id]],
      ['ket-01', [kettle.id]],
      ['appliances', [kettle.id]],
      ['nothing-like-this', []],
    ] as const) {
      const response = await list(`q=${encodeURIComponent(q)}`)
      expect(response.statusCode, q).toBe(200)
      expect(ids(response), q).toEqual(expected)
    }
  })

  it('filters by active, currency and category, and sorts by price', async () => {
    expect(ids(await list('active=false'))).toEqual([kettle.id])
    expect(ids(await list('active=true'))).toEqual([tea.id])
    expect(ids(await list('currency=USD'))).toEqual([kettle.id])
    expect(ids(await list('category=Tea'))).toEqual([tea.id])
    expect(ids(await list('sort=-priceAmount'))).toEqual([tea.id, kettle.id])
    expect(ids(await list('sort=priceAmount'))).toEqual([kettle.id, tea.id])
    const bad = await list('sort=name')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('CORE_INVALID_SORT')
  })

  it('pages with a cursor without repeating or skipping products', async () => {
    for (let i = 0; i < 5; i++) {
      await post({ sku: `PAGE-${i}`, name: { en: `Page ${i}` }, price: { amount: 100 + i, currency: 'CNY' } })
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await list(`limit=2&sort=sku${cursor ? `&cursor=${cursor}` : ''}`)
      expect(response.statusCode).toBe(200)
      seen.push(...ids(response))
      cursor = response.json().nextCursor
    } while (cursor)
    expect(seen).toHaveLength(7)
    expect(new Set(seen).size).toBe(7)
  })

  it('refuses a second product with the same SKU with 409, on create and on patch', async () => {
    const again = await post({
      sku: 'TEA-LJ-250',
      name: { en: 'Copy' },
      price: { amount: 1, currency: 'CNY' },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('CRM_DUPLICATE')
    const patched = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/products/${kettle.id}`,
      payload: { sku: 'TEA-LJ-250' },
    })
    expect(patched.statusCode).toBe(409)
    expect(patched.json().error.code).toBe('CRM_DUPLICATE')
  })

  it('patches with merge semantics: null clears, a new name is searchable, the old one is not', async () => {
    const patched = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/products/${kettle.id}`,
      payload: {
        description: null,
        category: null,
        name: { zh: '保温杯', en: 'Thermos' },
        price: { amount: 2599, currency: 'USD' },
      },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      sku: 'KET-01',
      name: { zh: '保温杯', en: 'Thermos' },
      category: null,
      description: null,
      price: { amount: 2599, currency: 'USD' },
      active: false,
    })
    expect(ids(await list(`q=${encodeURIComponent('保温')}`))).toEqual([kettle.id])
    expect(ids(await list('q=thermos'))).toEqual([kettle.id])
    expect(ids(await list(`q=${encodeURIComponent('水壶')}`))).toEqual([])
    const cleared = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/products/${kettle.id}`,
      payload: { name: null },
    })
    expect(cleared.statusCode).toBe(400)
  })

  it('validates input: unknown fields, negative prices, unknown currencies, undefined attributes', async () => {
    for (const payload of [
      { sku: 'X-1', name: { en: 'x' }, price: { amount: 1, currency: 'CNY' }, colour: 'red' },
      { sku: 'X-1', name: { en: 'x' }, price: { amount: -1, currency: 'CNY' } },
      { sku: 'X-1', name: { en: 'x' }, price: { amount: 1, currency: 'XXX' } },
      { sku: 'X-1', name: {}, price: { amount: 1, currency: 'CNY' } },
      { sku: '', name: { en: 'x' }, price: { amount: 1, currency: 'CNY' } },
    ]) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.code).toBe('CORE_VALIDATION_FAILED')
    }
    const attribute = await post({
      sku: 'X-2',
      name: { en: 'x' },
      price: { amount: 1, currency: 'CNY' },
      attributes: { origin: 'Hangzhou' },
    })
    expect(attribute.statusCode).toBe(400)
    expect(attribute.json().error.code).toBe('CRM_INVALID_ATTRIBUTE')
  })

  it('answers 404 with CRM_PRODUCT_NOT_FOUND for unknown and malformed ids', async () => {
    for (const id of ['prd_01JD3Z7X2N4V5B6C7D8E9F0G1H', 'nonsense']) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const response = await t.request('admin', {
          method,
          url: `/api/v1/products/${id}`,
          ...(method === 'PATCH' ? { payload: { active: true } } : {}),
        })
        expect(response.statusCode, `${method} ${id}`).toBe(404)
        expect(response.json().error.code).toBe('CRM_PRODUCT_NOT_FOUND')
      }
    }
  })

  it('refuses to delete a product that an order item or event points at (409), deletes it once free', async () => {
    const customer = await createCustomer(t)
    const order = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/orders',
      payload: {
        number: 'P-1',
        customerId: customer.id,
        currency: 'CNY',
        items: [{ sku: 'TEA-LJ-250', quantity: 1, unitPrice: { amount: 29900, currency: 'CNY' } }],
      },
    })
    expect(order.statusCode).toBe(201)
    const event = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'product_view', customerId: customer.id, sku: 'TEA-LJ-250' },
    })
    expect(event.statusCode).toBe(201)

    const refused = await t.request('admin', { method: 'DELETE', url: `/api/v1/products/${tea.id}` })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('CRM_REFERENCED')
    expect(refused.json().error.details.references).toEqual([
      { entity: 'order item', count: 1 },
      { entity: 'event', count: 1 },
    ])

    const byAgent = await t.request('agent', { method: 'DELETE', url: `/api/v1/products/${kettle.id}` })
    expect(byAgent.statusCode).toBe(403)
    const deleted = await t.request('admin', { method: 'DELETE', url: `/api/v1/products/${kettle.id}` })
    expect(deleted.statusCode).toBe(204)
    const gone = await t.request('viewer', { method: 'GET', url: `/api/v1/products/${kettle.id}` })
    expect(gone.statusCode).toBe(404)
  })

  it('lets viewers read but not write', async () => {
    const response = await t.request('viewer', {
      method: 'POST',
      url: '/api/v1/products',
      payload: { sku: 'V-1', name: { en: 'v' }, price: { amount: 1, currency: 'CNY' } },
    })
    expect(response.statusCode).toBe(403)
  })
})
