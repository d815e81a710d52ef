import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createCustomer, ids } from '../support/records.js'

describeEachDatabase('events API', (database) => {
  let t: TestApp
  let customerId: string
  let productId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    customerId = (await createCustomer(t)).id
    productId = (
      await t.request('agent', {
        method: 'POST',
        url: '/api/v1/products',
        payload: {
          sku: 'MUG-1',
          name: { zh: '马克杯', en: 'Mug' },
          price: { amount: 4900, currency: 'CNY' },
        },
      })
    ).json().id
  })
  afterAll(async () => t?.dispose())

  const post = (payload: Record<string, unknown>) =>
    t.request('agent', { method: 'POST', url: '/api/v1/events', payload })
  const list = (query: string) => t.request('viewer', { method: 'GET', url: `/api/v1/events?${query}` })

  it('records an event for a customer, resolving a SKU to its product', async () => {
    const created = await post({
      type: 'add_to_cart',
      customerId,
      sessionId: 's-1',
      sku: 'MUG-1',
      properties: { quantity: 2, page: { path: '/mugs' } },
      occurredAt: '2026-11-24T10:00:00+08:00',
    })
    expect(created.statusCode).toBe(201)
    const event = created.json()
    expect(event).toMatchObject({
      type: 'add_to_cart',
      customerId,
      anonymousId: null,
      sessionId: 's-1',
      productId,
      properties: { quantity: 2, page: { path: '/mugs' } },
      source: 'api',
      occurredAt: '2026-11-24T02:00:00.000Z',
    })
    expect(event.id).toMatch(/^evt_/)
    expect(event).not.toHaveProperty('sku')
    expect((await t.request('viewer', { method: 'GET', url: `/api/v1/events/${event.id}` })).json()).toEqual(
      event,
    )
  })

  it('keeps an unknown SKU in the properties with no product', async () => {
    const created = await post({ type: 'product_view', anonymousId: 'anon-7', sku: 'NOT-IN-CATALOGUE' })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      customerId: null,
      anonymousId: 'anon-7',
      productId: null,
      properties: { sku: 'NOT-IN-CATALOGUE' },
      occurredAt: '2026-11-25T02:00:00.000Z',
    })
  })

  it('needs a customer or an anonymous id, existing references, and a well-formed type', async () => {
    const before = await countRows(t, 'events')
    const nobody = await post({ type: 'page_view' })
    expect(nobody.statusCode).toBe(400)
    expect(nobody.json().error.code).toBe('CORE_VALIDATION_FAILED')
    const missingCustomer = await post({ type: 'page_view', customerId: 'cus_01JD3Z7X2N4V5B6C7D8E9F0G1H' })
    expect(missingCustomer.statusCode).toBe(400)
    expect(missingCustomer.json().error.code).toBe('CRM_INVALID_REFERENCE')
    const missingProduct = await post({
      type: 'page_view',
      anonymousId: 'a',
      productId: 'prd_01JD3Z7X2N4V5B6C7D8E9F0G1H',
    })
    expect(missingProduct.statusCode).toBe(400)
    expect(missingProduct.json().error.details.field).toBe('productId')
    const badType = await post({ type: 'Page View', anonymousId: 'a' })
    expect(badType.statusCode).toBe(400)
    const extra = await post({ type: 'page_view', anonymousId: 'a', userAgent: 'x' })
    expect(extra.statusCode).toBe(400)
    expect(await countRows(t, 'events')).toBe(before)
  })

  it('lists events newest first, filtered by customer, type and product, paged by cursor', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000)
      await post({ type: 'page_view', customerId, sessionId: 's-2', properties: { i } })
    }
    const mine = await list(`customerId=${customerId}&type=page_view`)
    expect(mine.json().items.map((e: { properties: { i: number } }) => e.properties.i)).toEqual([
      4, 3, 2, 1, 0,
    ])
    expect(ids(await list(`productId=${productId}`))).toHaveLength(1)
    expect(ids(await list('anonymousId=anon-7'))).toHaveLength(1)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...ids(response))
      cursor = response.json().nextCursor
    } while (cursor)
    expect(seen).toHaveLength(7)
    expect(new Set(seen).size).toBe(7)
    const badCursor = await list('cursor=not-a-cursor')
    expect(badCursor.statusCode).toBe(400)
    expect(badCursor.json().error.code).toBe('CORE_INVALID_CURSOR')
  })

  it('has no PATCH: events are immutable', async () => {
    const [id] = ids(await list('limit=1'))
    const response = await t.request('admin', {
      method: 'PATCH',
      url: `/api/v1/events/${id}`,
      payload: { type: 'x' },
    })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('CORE_ROUTE_NOT_FOUND')
  })

  it('deletes an event (admin only) and answers 404 afterwards', async () => {
    const [id] = ids(await list('limit=1'))
    expect((await t.request('agent', { method: 'DELETE', url: `/api/v1/events/${id}` })).statusCode).toBe(403)
    expect((await t.request('admin', { method: 'DELETE', url: `/api/v1/events/${id}` })).statusCode).toBe(204)
    const gone = await t.request('viewer', { method: 'GET', url: `/api/v1/events/${id}` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.code).toBe('CRM_EVENT_NOT_FOUND')
  })
})
