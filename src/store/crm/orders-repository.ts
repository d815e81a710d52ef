import { newId, type Currency, type Money } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { mergeAttributes } from '../../crm/attributes.js'
import type { Attributes } from '../../crm/common.js'
import {
  checkOrder,
  type Order,
  type OrderCreate,
  type OrderItem,
  type OrderPatch,
  type OrderReturn,
  type Refund,
} from '../../crm/orders.js'
import type { I18nText } from '../../crm/common.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { getRow, listRows, translateConstraintError, type ListQuery, type Page } from '../entity-table.js'
import { assertExists, checkAttributes, inTransaction, type RepositoryContext } from './context.js'
import { orderItemsTable, ordersTable } from './tables.js'

/** Refunds are stored with a bare amount in the order's currency (the customer 360 sums them). */
interface StoredRefund {
  amount: number
  reason: string | null
  at: string
}

type ItemInput = { sku: string; name?: string | null; quantity: number; unitPrice: Money }

/**
 * Orders and their items. An order and its items are written in one transaction with the audit entry;
 * amounts are checked and computed by `checkOrder`; items resolve their product by SKU.
 */
export function createOrdersRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  function toOrder(row: Record<string, unknown>, itemRows: Record<string, unknown>[]): Order {
    const currency = row.currency as Currency
    const money = (amount: unknown): Money => ({ amount: Number(amount), currency })
    const refunds = ((row.refunds as (StoredRefund | Refund)[] | null) ?? []).map((refund) => ({
      amount: typeof refund.amount === 'number' ? money(refund.amount) : refund.amount,
      reason: refund.reason ?? null,
      at: refund.at,
    }))
    const items: OrderItem[] = itemRows.map((item) => ({
      sku: item.sku as string,
      productId: (item.productId as string | null) ?? null,
      name: (item.name as string | null) ?? null,
      quantity: Number(item.quantity),
      unitPrice: money(item.unitAmount),
    }))
    return {
      id: row.id as string,
      number: row.number as string,
      externalId: (row.externalId as string | null) ?? null,
      customerId: row.customerId as string,
      status: row.status as Order['status'],
      currency,
      subtotal: money(row.subtotalAmount),
      discount: money(row.discountAmount),
      shipping: money(row.shippingAmount),
      total: money(row.totalAmount),
      items,
      couponCode: (row.couponCode as string | null) ?? null,
      paymentMethod: (row.paymentMethod as string | null) ?? null,
      paymentStatus: row.paymentStatus as Order['paymentStatus'],
      shippingAddress: (row.shippingAddress as Order['shippingAddress']) ?? null,
      carrier: (row.carrier as string | null) ?? null,
      trackingNumber: (row.trackingNumber as string | null) ?? null,
      placedAt: row.placedAt as string,
      shippedAt: (row.shippedAt as string | null) ?? null,
      expectedAt: (row.expectedAt as string | null) ?? null,
      deliveredAt: (row.deliveredAt as string | null) ?? null,
      refunds,
      returns: ((row.returns as OrderReturn[] | null) ?? []).map((item) => ({
        sku: item.sku,
        quantity: item.quantity,
        reason: item.reason ?? null,
        at: item.at,
      })),
      attributes: (row.attributes as Attributes) ?? {},
      createdAt: row.createdAt as string,
      updatedAt: row.updatedAt as string,
    }
  }

  async function itemsOf(
    db: Db,
    orderIds: readonly string[],
  ): Promise<Map<string, Record<string, unknown>[]>> {
    const byOrder = new Map<string, Record<string, unknown>[]>(orderIds.map((id) => [id, []]))
    if (orderIds.length === 0) return byOrder
    const rows = await db
      .selectFrom('order_items')
      .selectAll()
      .where('orderId', 'in', orderIds)
      .orderBy('orderId')
      .orderBy('position')
      .execute()
    for (const row of rows) {
      const item = codec.decode<Record<string, unknown>>(orderItemsTable.columns, row)
      byOrder.get(item.orderId as string)?.push(item)
    }
    return byOrder
  }

  async function get(id: string, db: Db = store.db): Promise<Order> {
    const row = await getRow<Record<string, unknown>>(store, ordersTable, id, db)
    return toOrder(row, (await itemsOf(db, [id])).get(id) ?? [])
  }

  async function list(query: ListQuery): Promise<Page<Order>> {
    const page = await listRows<Record<string, unknown>>(store, ordersTable, query)
    const items = await itemsOf(
      store.db,
      page.items.map((row) => row.id as string),
    )
    return {
      items: page.items.map((row) => toOrder(row, items.get(row.id as string) ?? [])),
      nextCursor: page.nextCursor,
    }
  }

  /** Replaces the items of an order, resolving each SKU to its product (null when the catalogue lacks it). */
  async function writeItems(db: Db, orderId: string, items: readonly ItemInput[]): Promise<void> {
    await db.deleteFrom('order_items').where('orderId', '=', orderId).execute()
    const skus = [...new Set(items.map((item) => item.sku))]
    const products = await db
      .selectFrom('products')
      .select(['id', 'sku', 'name'])
      .where('sku', 'in', skus)
      .execute()
    const bySku = new Map(
      products.map((product) => [
        product.sku as string,
        { id: product.id as string, name: codec.decode<{ name: I18nText }>({ name: 'json' }, product).name },
      ]),
    )
    const rows = items.map((item, position) => {
      const product = bySku.get(item.sku)
      return codec.encode(orderItemsTable.columns, {
        id: newId('orderItem'),
        orderId,
        position,
        productId: product?.id ?? null,
        sku: item.sku,
        name: item.name ?? product?.name.en ?? product?.name.zh ?? null,
        quantity: item.quantity,
        unitAmount: item.unitPrice.amount,
      })
    })
    await db.insertInto('order_items').values(rows).execute()
  }

  function storedRefunds(
    refunds: readonly Refund[] | readonly { amount: Money; reason?: string | null; at: string }[],
  ) {
    return refunds.map((refund) => ({
      amount: refund.amount.amount,
      reason: refund.reason ?? null,
      at: refund.at,
    }))
  }

  function storedReturns(
    returns: readonly { sku: string; quantity: number; reason?: string | null; at: string }[],
  ) {
    return returns.map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      reason: item.reason ?? null,
      at: item.at,
    }))
  }

  async function create(input: OrderCreate, actor: Actor): Promise<Order> {
    const now = clock.now()
    const placedAt = input.placedAt ?? now.toISOString()
    const zero = { amount: 0, currency: input.currency }
    const discount = input.discount ?? zero
    const shipping = input.shipping ?? zero
    const { subtotal, total } = checkOrder({
      currency: input.currency,
      items: input.items,
      discount,
      shipping,
      subtotal: input.subtotal,
      total: input.total,
      placedAt,
      shippedAt: input.shippedAt ?? null,
      expectedAt: input.expectedAt ?? null,
      deliveredAt: input.deliveredAt ?? null,
      refunds: input.refunds,
      returns: input.returns,
    })
    const id = newId('order', now.getTime())
    try {
      await inTransaction(store, async (db) => {
        await assertExists(db, 'customers', input.customerId, 'customerId')
        const attributes = await checkAttributes(context, db, 'order', input.attributes)
        await db
          .insertInto('orders')
          .values(
            codec.encode(ordersTable.columns, {
              id,
              number: input.number,
              externalId: input.externalId ?? null,
              customerId: input.customerId,
              status: input.status,
              currency: input.currency,
              subtotalAmount: subtotal,
              discountAmount: discount.amount,
              shippingAmount: shipping.amount,
              totalAmount: total,
              couponCode: input.couponCode ?? null,
              paymentMethod: input.paymentMethod ?? null,
              paymentStatus: input.paymentStatus,
              shippingAddress: input.shippingAddress ?? null,
              carrier: input.carrier ?? null,
              trackingNumber: input.trackingNumber ?? null,
              placedAt,
              shippedAt: input.shippedAt ?? null,
              expectedAt: input.expectedAt ?? null,
              deliveredAt: input.deliveredAt ?? null,
              refunds: storedRefunds(input.refunds),
              returns: storedReturns(input.returns),
              attributes,
              createdAt: now,
              updatedAt: now,
            }),
          )
          .execute()
        await writeItems(db, id, input.items)
        await writeAudit(
          db,
          codec,
          actor,
          { action: 'order.create', targetType: 'order', targetId: id, fields: Object.keys(input) },
          now,
        )
      })
    } catch (error) {
      translateConstraintError(error, 'order')
    }
    return get(id)
  }

  async function update(id: string, patch: OrderPatch, actor: Actor): Promise<Order> {
    const now = clock.now()
    try {
      await inTransaction(store, async (db) => {
        const current = await get(id, db)
        const pick = <K extends keyof Order>(key: K): Order[K] =>
          (patch as Partial<Order>)[key] === undefined
            ? current[key]
            : ((patch as Partial<Order>)[key] as Order[K])
        const currency = patch.currency ?? current.currency
        const items = patch.items ?? current.items
        const discount = patch.discount ?? current.discount
        const shipping = patch.shipping ?? current.shipping
        const refunds = patch.refunds === undefined ? current.refunds : (patch.refunds ?? [])
        const returns = patch.returns === undefined ? current.returns : (patch.returns ?? [])
        const placedAt = patch.placedAt ?? current.placedAt
        const { subtotal, total } = checkOrder({
          currency,
          items,
          discount,
          shipping,
          subtotal: patch.subtotal,
          total: patch.total,
          placedAt,
          shippedAt: pick('shippedAt'),
          expectedAt: pick('expectedAt'),
          deliveredAt: pick('deliveredAt'),
          refunds,
          returns,
        })
        if (patch.customerId !== undefined)
          await assertExists(db, 'customers', patch.customerId, 'customerId')
        const attributes =
          patch.attributes === undefined
            ? undefined
            : patch.attributes === null
              ? {}
              : mergeAttributes(
                  current.attributes,
                  await checkAttributes(context, db, 'order', patch.attributes),
                )
        await db
          .updateTable('orders')
          .set(
            codec.encode(ordersTable.columns, {
              number: patch.number,
              externalId: patch.externalId,
              customerId: patch.customerId,
              status: patch.status,
              currency,
              subtotalAmount: subtotal,
              discountAmount: discount.amount,
              shippingAmount: shipping.amount,
              totalAmount: total,
              couponCode: patch.couponCode,
              paymentMethod: patch.paymentMethod,
              paymentStatus: patch.paymentStatus,
              shippingAddress: patch.shippingAddress,
              carrier: patch.carrier,
              trackingNumber: patch.trackingNumber,
              placedAt: patch.placedAt,
              shippedAt: patch.shippedAt,
              expectedAt: patch.expectedAt,
              deliveredAt: patch.deliveredAt,
              refunds: patch.refunds === undefined ? undefined : storedRefunds(refunds),
              returns: patch.returns === undefined ? undefined : storedReturns(returns),
              attributes,
              updatedAt: now,
            }),
          )
          .where('id', '=', id)
          .execute()
        if (patch.items !== undefined) await writeItems(db, id, patch.items)
        await writeAudit(
          db,
          codec,
          actor,
          { action: 'order.update', targetType: 'order', targetId: id, fields: Object.keys(patch) },
          now,
        )
      })
    } catch (error) {
      translateConstraintError(error, 'order')
    }
    return get(id)
  }

  /** Deletes an order and (by cascade) its items. */
  async function remove(id: string, actor: Actor): Promise<void> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      await getRow(store, ordersTable, id, db)
      await db.deleteFrom('order_items').where('orderId', '=', id).execute()
      await db.deleteFrom('orders').where('id', '=', id).execute()
      await writeAudit(db, codec, actor, { action: 'order.delete', targetType: 'order', targetId: id }, now)
    })
  }

  return { get, list, create, update, remove }
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>
