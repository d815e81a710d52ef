import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createCustomer, ids } from '../support/records.js'

const cny = (amount: number) => ({ amount, currency: 'CNY' })

describeEachDatabase('orders API', (database) => {
  let t: TestApp
  let customerId: string
  let teaId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    customerId = (await createCustomer(t, { name: '李雷' })).id
    const tea = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/products',
      payload: { sku: 'TEA-1', name: { zh: '龙井', en: 'Longjing' }, price: cny(29900) },
    })
    teaId = tea.json().id
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: '/api/v1/orders', payload })
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.request('agent', { method: 'PATCH', url: `/api/v1/orders/${id}`, payload })
  const base = (overrides: Record<string, unknown> = {}) => ({
    number: `SO-${Math.random().toString(36).slice(2, 10)}`,
    customerId,
    currency: 'CNY',
    items: [{ sku: 'TEA-1', quantity: 2, unitPrice: cny(29900) }],
    ...overrides,
  })

  it('creates an order with its items in one go, computing subtotal and total', async () => {
    const created = await post(
      base({
        number: 'SO-1001',
        externalId: 'shop-1001',
        items: [
          { sku: 'TEA-1', quantity: 2, unitPrice: cny(29900) },
          { sku: 'GIFT-BOX', name: '礼盒', quantity: 1, unitPrice: cny(1500) },
        ],
        discount: cny(5000),
        shipping: cny(1000),
        paymentMethod: 'alipay',
        shippingAddress: { name: '李雷', province: '浙江', city: '杭州', street: '西湖路 1 号' },
      }),
    )
    expect(created.statusCode).toBe(201)
    const order = created.json()
    expect(order.id).toMatch(/^ord_[0-9A-Z]{26}$/)
    expect(order).toMatchObject({
      number: 'SO-1001',
      externalId: 'shop-1001',
      customerId,
      status: 'pending',
      paymentStatus: 'pending',
      currency: 'CNY',
      subtotal: cny(61300),
      discount: cny(5000),
      shipping: cny(1000),
      total: cny(57300),
      placedAt: '2026-11-25T02:00:00.000Z',
      refunds: [],
      returns: [],
      shippingAddress: { city: '杭州' },
    })
    expect(order.items).toEqual([
      { sku: 'TEA-1', productId: teaId, name: 'Longjing', quantity: 2, unitPrice: cny(29900) },
      { sku: 'GIFT-BOX', productId: null, name: '礼盒', quantity: 1, unitPrice: cny(1500) },
    ])
    const fetched = await t.request('viewer', { method: 'GET', url: `/api/v1/orders/${order.id}` })
    expect(fetched.json()).toEqual(order)
  })

  it('refuses amounts in another currency with 400 naming the field, and writes nothing', async () => {
    const before = await countRows(t, 'orders')
    const itemsBefore = await countRows(t, 'order_items')
    const wrongItem = await post(
      base({ items: [{ sku: 'TEA-1', quantity: 1, unitPrice: { amount: 100, currency: 'USD' } }] }),
    )
    expect(wrongItem.statusCode).toBe(400)
    expect(wrongItem.json().error.code).toBe('CORE_VALIDATION_FAILED')
    expect(wrongItem.json().error.message).toContain('items.0.unitPrice')
    const wrongShipping = await post(base({ shipping: { amount: 100, currency: 'USD' } }))
    expect(wrongShipping.statusCode).toBe(400)
    expect(wrongShipping.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'shipping',
    ])
    expect(await countRows(t, 'orders')).toBe(before)
    expect(await countRows(t, 'order_items')).toBe(itemsBefore)
  })

  it('refuses a subtotal or total that does not add up, and a discount above the subtotal', async () => {
    const subtotal = await post(base({ subtotal: cny(1) }))
    expect(subtotal.statusCode).toBe(400)
    expect(subtotal.json().error.details.issues[0].path).toBe('subtotal')
    const total = await post(base({ discount: cny(100), total: cny(59800) }))
    expect(total.statusCode).toBe(400)
    expect(total.json().error.details.issues[0].path).toBe('total')
    const right = await post(base({ subtotal: cny(59800), discount: cny(100), total: cny(59700) }))
    expect(right.statusCode).toBe(201)
    const discount = await post(base({ discount: cny(60000) }))
    expect(discount.statusCode).toBe(400)
    expect(discount.json().error.details.issues[0].path).toBe('discount')
  })

  it('refuses times out of order, refunds above the total and returns of what was not ordered', async () => {
    const shipped = await post(base({ placedAt: '2026-11-20T00:00:00Z', shippedAt: '2026-11-19T00:00:00Z' }))
    expect(shipped.statusCode).toBe(400)
    expect(shipped.json().error.details.issues[0].path).toBe('shippedAt')
    const delivered = await post(
      base({
        placedAt: '2026-11-20T00:00:00Z',
        shippedAt: '2026-11-21T00:00:00Z',
        deliveredAt: '2026-11-20T12:00:00Z',
      }),
    )
    expect(delivered.statusCode).toBe(400)
    expect(delivered.json().error.details.issues[0].path).toBe('deliveredAt')
    const refund = await post(
      base({ refunds: [{ amount: cny(59801), reason: 'too much', at: '2026-11-26T00:00:00Z' }] }),
    )
    expect(refund.statusCode).toBe(400)
    expect(refund.json().error.details.issues[0].path).toBe('refunds')
    const returned = await post(
      base({ returns: [{ sku: 'OTHER', quantity: 1, at: '2026-11-26T00:00:00Z' }] }),
    )
    expect(returned.statusCode).toBe(400)
    expect(returned.json().error.details.issues[0].path).toBe('returns.0.sku')
    const tooMany = await post(base({ returns: [{ sku: 'TEA-1', quantity: 3, at: '2026-11-26T00:00:00Z' }] }))
    const early = await post(base({ returns: [{ sku: 'TEA-1', quantity: 1, at: '2026-11-25T01:00:00Z' }] }))
    expect(early.statusCode).toBe(400)
    expect(early.json().error.details.issues[0].path).toBe('returns.0.at')
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().error.details.issues[0].path).toBe('returns.0.quantity')
  })

  it('needs an existing customer (400 CRM_INVALID_REFERENCE)', async () => {
    const response = await post(base({ customerId: 'cus_01JD3Z7X2N4V5B6C7D8E9F0G1H' }))
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('CRM_INVALID_REFERENCE')
    expect(response.json().error.details.field).toBe('customerId')
  })

  it('refuses a duplicate number or external id with 409', async () => {
    const number = await post(base({ number: 'SO-1001' }))
    expect(number.statusCode).toBe(409)
    expect(number.json().error.code).toBe('CRM_DUPLICATE')
    const external = await post(base({ externalId: 'shop-1001' }))
    expect(external.statusCode).toBe(409)
    expect(external.json().error.code).toBe('CRM_DUPLICATE')
  })

  it('patches: items replace the stored ones, totals are recomputed, null clears', async () => {
    const order = (
      await post(
        base({
          number: 'SO-PATCH',
          items: [
            { sku: 'TEA-1', quantity: 2, unitPrice: cny(29900) },
            { sku: 'CUP', quantity: 1, unitPrice: cny(900) },
          ],
          carrier: 'SF',
          trackingNumber: 'SF123',
          couponCode: 'WELCOME',
        }),
      )
    ).json()
    expect(order.items).toHaveLength(2)
    const itemsBefore = await countRows(t, 'order_items')
    const patched = await patch(order.id, {
      items: [{ sku: 'TEA-1', quantity: 1, unitPrice: cny(29900) }],
      shipping: cny(800),
      carrier: null,
      couponCode: null,
      status: 'shipped',
      shippedAt: '2026-11-25T03:00:00Z',
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      number: 'SO-PATCH',
      status: 'shipped',
      carrier: null,
      couponCode: null,
      trackingNumber: 'SF123',
      subtotal: cny(29900),
      total: cny(30700),
      shippedAt: '2026-11-25T03:00:00.000Z',
    })
    expect(patched.json().items).toHaveLength(1)
    expect(await countRows(t, 'order_items')).toBe(itemsBefore - 1)

    const refunded = await patch(order.id, {
      refunds: [{ amount: cny(10000), reason: '破损', at: '2026-11-25T04:00:00Z' }],
    })
    expect(refunded.statusCode).toBe(200)
    expect(refunded.json().refunds).toEqual([
      { amount: cny(10000), reason: '破损', at: '2026-11-25T04:00:00.000Z' },
    ])
    const cleared = await patch(order.id, { refunds: null })
    expect(cleared.json().refunds).toEqual([])

    const currencyOnly = await patch(order.id, { currency: 'USD' })
    expect(currencyOnly.statusCode).toBe(400)
    expect(currencyOnly.json().error.message).toContain('items.0.unitPrice')
    const early = await patch(order.id, { shippedAt: '2026-11-01T00:00:00Z' })
    expect(early.statusCode).toBe(400)
    const wrongTotal = await patch(order.id, { total: cny(1) })
    expect(wrongTotal.statusCode).toBe(400)
    const required = await patch(order.id, { status: null })
    expect(required.statusCode).toBe(400)
    const unchanged = await t.request('viewer', { method: 'GET', url: `/api/v1/orders/${order.id}` })
    expect(unchanged.json()).toMatchObject({ currency: 'CNY', status: 'shipped', total: cny(30700) })
  })

  it('lists orders with their items, filtered by customer, status and number, newest first, paged', async () => {
    const other = await createCustomer(t, { name: 'Other' })
    t.clock.advance(60_000)
    const first = (
      await post(base({ customerId: other.id, number: 'OTHER-1', placedAt: '2026-11-01T00:00:00Z' }))
    ).json()
    const second = (
      await post(
        base({ customerId: other.id, number: 'OTHER-2', status: 'paid', placedAt: '2026-11-02T00:00:00Z' }),
      )
    ).json()
    const mine = await t.request('viewer', { method: 'GET', url: `/api/v1/orders?customerId=${other.id}` })
    expect(ids(mine)).toEqual([second.id, first.id])
    expect(mine.json().items[0].items[0]).toMatchObject({ sku: 'TEA-1', quantity: 2 })
    const paid = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/orders?customerId=${other.id}&status=paid`,
    })
    expect(ids(paid)).toEqual([second.id])
    const byNumber = await t.request('viewer', { method: 'GET', url: '/api/v1/orders?q=other-1' })
    expect(ids(byNumber)).toEqual([first.id])

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/orders?limit=2&sort=-totalAmount,number${cursor ? `&cursor=${cursor}` : ''}`,
      })
      expect(response.statusCode).toBe(200)
      seen.push(...ids(response))
      cursor = response.json().nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(await countRows(t, 'orders'))
  })

  it('answers 404 for unknown orders and deletes an order with its items (admin only)', async () => {
    const missing = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/orders/ord_01JD3Z7X2N4V5B6C7D8E9F0G1H',
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('CRM_ORDER_NOT_FOUND')
    const order = (await post(base())).json()
    const itemsBefore = await countRows(t, 'order_items')
    expect(
      (await t.request('agent', { method: 'DELETE', url: `/api/v1/orders/${order.id}` })).statusCode,
    ).toBe(403)
    expect(
      (await t.request('admin', { method: 'DELETE', url: `/api/v1/orders/${order.id}` })).statusCode,
    ).toBe(204)
    expect(await countRows(t, 'order_items')).toBe(itemsBefore - 1)
    expect((await t.request('viewer', { method: 'GET', url: `/api/v1/orders/${order.id}` })).statusCode).toBe(
      404,
    )
  })

  it('shows created orders in the customer 360 lifetime value', async () => {
    const fresh = await createCustomer(t, { name: 'LTV' })
    const order = await post(
      base({ customerId: fresh.id, refunds: [{ amount: cny(800), at: '2026-11-26T00:00:00Z' }] }),
    )
    expect(order.statusCode).toBe(201)
    const view = await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${fresh.id}/360` })
    expect(view.statusCode).toBe(200)
    expect(view.json().stats.lifetimeValue).toEqual(cny(59000))
  })
})
