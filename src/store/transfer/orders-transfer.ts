import { z } from 'zod'
import { AppError, currencySchema, minorUnitsSchema, newId, type Currency } from '../../core/index.js'
import { mergeAttributes, validateAttributes } from '../../crm/attributes.js'
import { attributesSchema, cleanText, idSchema, type Attributes, type I18nText } from '../../crm/common.js'
import {
  checkOrder,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  refundSchema,
  returnSchema,
  shippingAddressSchema,
} from '../../crm/orders.js'
import { skuSchema } from '../../crm/products.js'
import { orderItemsTable, ordersTable } from '../crm/tables.js'
import type { ExportSpec } from './export-spec.js'
import { RowReader, type ColumnSet, type ImportRecord } from './fields.js'
import {
  distinct,
  addGivenKeys,
  recordProblems,
  type ChunkResult,
  type EntityImport,
  type ParsedRow,
} from './importer.js'
import { auditChunk, insertRows, selectIn, upsertRows } from './sql.js'

const columns: ColumnSet = {
  columns: [
    'number',
    'externalId',
    'customerExternalId',
    'customerId',
    'status',
    'currency',
    'items',
    'discountAmount',
    'shippingAmount',
    'couponCode',
    'paymentMethod',
    'paymentStatus',
    'carrier',
    'trackingNumber',
    'placedAt',
    'shippedAt',
    'expectedAt',
    'deliveredAt',
    'shippingAddress',
    'refunds',
    'returns',
  ],
  readOnly: ['id', 'subtotalAmount', 'totalAmount', 'createdAt', 'updatedAt'],
  required: ['number'],
  nested: ['discount', 'shipping', 'subtotal', 'total'],
  attributes: true,
}

const itemSchema = z.strictObject({
  sku: skuSchema,
  name: cleanText(200).nullable().optional(),
  quantity: z.number().int().min(1).max(100_000),
  unitAmount: minorUnitsSchema.min(0),
  currency: currencySchema.optional(),
})

const time = z.string().nullable().optional()
const amount = minorUnitsSchema.min(0).nullable().optional()

const orderRowSchema = z.strictObject({
  number: cleanText(64).trim().min(1),
  externalId: cleanText(200).min(1).nullable().optional(),
  customerExternalId: cleanText(200).min(1).nullable().optional(),
  customerId: idSchema.nullable().optional(),
  status: z.enum(ORDER_STATUSES).nullable().optional(),
  currency: currencySchema.nullable().optional(),
  items: z.array(itemSchema).min(1).max(500).nullable().optional(),
  discountAmount: amount,
  shippingAmount: amount,
  couponCode: cleanText(64).nullable().optional(),
  paymentMethod: cleanText(64).nullable().optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES).nullable().optional(),
  carrier: cleanText(100).nullable().optional(),
  trackingNumber: cleanText(100).nullable().optional(),
  placedAt: time,
  shippedAt: time,
  expectedAt: time,
  deliveredAt: time,
  shippingAddress: shippingAddressSchema.nullable().optional(),
  refunds: z.array(refundSchema).max(100).nullable().optional(),
  returns: z.array(returnSchema).max(500).nullable().optional(),
  attributes: attributesSchema.optional(),
})
export type OrderImportRow = z.output<typeof orderRowSchema>

/** `SKU:quantity:unit_amount|…` (CSV) or a list of `{sku, quantity, unitAmount | unitPrice: {amount, currency}}`. */
function readItems(r: RowReader): unknown {
  const value = r.raw('items')
  if (value === undefined || value === null) return value
  if (typeof value === 'string') {
    const items: unknown[] = []
    for (const text of value.split('|')) {
      if (text.trim() === '') continue
      const parts = text.trim().split(':')
      if (parts.length < 3) {
        return r.fail('items', `"${text}" is not sku:quantity:unit_amount (e.g. TEA-01:2:2990)`)
      }
      const unit = parts.pop()!
      const quantity = parts.pop()!
      const sku = parts.join(':')
      if (!/^\d{1,9}$/.test(quantity.trim()) || !/^\d{1,14}$/.test(unit.trim())) {
        return r.fail(
          'items',
          `"${text}": quantity and unit_amount must be whole numbers (e.g. TEA-01:2:2990)`,
        )
      }
      items.push({ sku, quantity: Number(quantity), unitAmount: Number(unit) })
    }
    return items
  }
  if (!Array.isArray(value)) return r.fail('items', 'must be a list of items')
  return value.map((item: unknown) => {
    if (item === null || typeof item !== 'object') return item
    const { unitPrice, ...rest } = item as Record<string, unknown>
    if (unitPrice !== null && typeof unitPrice === 'object') {
      const price = unitPrice as Record<string, unknown>
      return { ...rest, unitAmount: price.amount, currency: price.currency }
    }
    return rest
  })
}

/** The API's nested money (`discount: {amount, currency}`) read as the flat amount columns. */
function flatten(record: ImportRecord): Record<string, unknown> {
  const flat: Record<string, unknown> = { ...record }
  for (const [key, column] of [
    ['discount', 'discountAmount'],
    ['shipping', 'shippingAmount'],
  ] as const) {
    const value = record[key]
    delete flat[key]
    if (value !== null && typeof value === 'object') flat[column] = (value as Record<string, unknown>).amount
  }
  delete flat.subtotal
  delete flat.total
  return flat
}

interface StoredItem {
  sku: string
  name: string | null
  quantity: number
  unitAmount: number
}

interface Target {
  row: Record<string, unknown>
  items: StoredItem[]
  isNew: boolean
}

/**
 * Orders: upsert by number. A row names its customer by `customer_external_id` (or `customer_id`); items are
 * `sku:quantity:unit_amount|…` and replace the order's items when given; amounts are checked and totals
 * computed as the API does (`checkOrder`). An unknown SKU is kept with no product, as in the API.
 */
export const ordersImport: EntityImport<OrderImportRow> = {
  columns,
  attributes: 'order',
  parser: (context) => {
    const definitions = [...context.definitions.values()]
    function parse(record: ImportRecord) {
      const problems = recordProblems(record, columns, context.csv)
      if (problems.length > 0) return { errors: problems }
      const r = new RowReader(flatten(record), context.csv)
      const currency = r.text('currency')
      const candidate = {
        number: r.text('number'),
        externalId: r.text('externalId'),
        customerExternalId: r.text('customerExternalId'),
        customerId: r.text('customerId'),
        status: r.text('status'),
        currency: typeof currency === 'string' ? currency.toUpperCase() : currency,
        // An order always has items: an empty cell keeps them.
        items: readItems(r) ?? undefined,
        discountAmount: r.integer('discountAmount'),
        shippingAmount: r.integer('shippingAmount'),
        couponCode: r.text('couponCode'),
        paymentMethod: r.text('paymentMethod'),
        paymentStatus: r.text('paymentStatus'),
        carrier: r.text('carrier'),
        trackingNumber: r.text('trackingNumber'),
        placedAt: r.time('placedAt'),
        shippedAt: r.time('shippedAt'),
        expectedAt: r.time('expectedAt'),
        deliveredAt: r.time('deliveredAt'),
        shippingAddress: r.object('shippingAddress'),
        refunds: jsonList(r, 'refunds'),
        returns: jsonList(r, 'returns'),
        attributes: r.attributes(context.definitions),
      }
      if (r.errors.length > 0) return { errors: r.errors }
      if (candidate.number === null || candidate.number === undefined) return { errors: ['number: required'] }
      const parsed = orderRowSchema.safeParse(candidate)
      if (!parsed.success) {
        r.zodIssues(parsed.error)
        return { errors: r.errors }
      }
      if (parsed.data.attributes) {
        try {
          validateAttributes('order', definitions, parsed.data.attributes)
        } catch (error) {
          return { errors: [`attributes: ${(error as Error).message}`] }
        }
      }
      return { value: parsed.data }
    }

    return parse
  },
  writer: (context) => {
    const { store, dryRun } = context
    const codec = store.codec
    // A dry run writes nothing: orders it would have written stay here so later rows see them.
    const virtual = new Map<string, Target>()
    const virtualExternalIds = new Map<string, string>()

    async function importChunk(rows: readonly ParsedRow<OrderImportRow>[]): Promise<ChunkResult> {
      const now = context.now()
      const at = now.toISOString()
      const result: ChunkResult = { inserted: 0, updated: 0, rejected: [] }

      const targets = new Map<string, Target>()
      const numbers = distinct(rows.map((row) => row.value.number))
      const found = (await selectIn(store, 'orders', 'number', numbers)).map((row) =>
        codec.decode<Record<string, unknown>>(ordersTable.columns, row),
      )
      const items = await itemsOf(found.map((row) => String(row.id)))
      for (const row of found) {
        targets.set(String(row.number), { row, items: items.get(String(row.id)) ?? [], isNew: false })
      }
      for (const number of numbers) {
        const target = virtual.get(number)
        if (target && !targets.has(number))
          targets.set(number, { ...target, row: { ...target.row }, isNew: false })
      }
      // Which order holds each external id named in the chunk (it is unique across orders).
      const externalOwners = new Map<string, string>()
      const externalIds = distinct(rows.map((row) => row.value.externalId))
      for (const row of await selectIn(store, 'orders', 'externalId', externalIds, [
        'number',
        'externalId',
      ])) {
        externalOwners.set(String(row.externalId), String(row.number))
      }
      for (const externalId of externalIds) {
        const number = virtualExternalIds.get(externalId)
        if (number !== undefined) externalOwners.set(externalId, number)
      }

      const customersByExternalId = new Map<string, string>()
      const customerKeys = distinct(rows.map((row) => row.value.customerExternalId))
      const customerColumns = ['id', 'externalId', 'mergedIntoId']
      for (const row of await selectIn(store, 'customers', 'externalId', customerKeys, customerColumns)) {
        customersByExternalId.set(String(row.externalId), String(row.mergedIntoId ?? row.id))
      }
      const customerIds = new Map<string, string>()
      for (const row of await selectIn(
        store,
        'customers',
        'id',
        distinct(rows.map((row) => row.value.customerId)),
        customerColumns,
      )) {
        customerIds.set(String(row.id), String(row.mergedIntoId ?? row.id))
      }
      const products = new Map<string, { id: string; name: string | null }>()
      const skus = distinct(rows.flatMap((row) => (row.value.items ?? []).map((item) => item.sku)))
      for (const row of await selectIn(store, 'products', 'sku', skus, ['id', 'sku', 'name'])) {
        const name = codec.decode<{ name: I18nText }>({ name: 'json' }, row).name
        products.set(String(row.sku), { id: String(row.id), name: name.en ?? name.zh ?? null })
      }

      const inserts = new Map<string, Record<string, unknown>>()
      const updates = new Map<string, Record<string, unknown>>()
      const replacedItems = new Map<string, StoredItem[]>()
      const fields = new Set<string>()

      for (const { line, value } of rows) {
        const errors: string[] = []
        const existing = targets.get(value.number)
        const row = { ...(existing?.row ?? newRow(value.number, at)) }
        if (typeof value.customerExternalId === 'string') {
          const customerId = customersByExternalId.get(value.customerExternalId)
          if (customerId === undefined) {
            errors.push(`customer_external_id: no customer has the external id "${value.customerExternalId}"`)
          } else row.customerId = customerId
        } else if (typeof value.customerId === 'string') {
          const customerId = customerIds.get(value.customerId)
          if (customerId === undefined)
            errors.push(`customer_id: customer "${value.customerId}" does not exist`)
          else row.customerId = customerId
        } else if (!existing) {
          errors.push('customer_external_id: required for a new order (or customer_id)')
        }
        if (typeof value.externalId === 'string') {
          const owner = externalOwners.get(value.externalId)
          if (owner !== undefined && owner !== value.number) {
            errors.push(`external_id: "${value.externalId}" already belongs to order ${owner}`)
          }
        }
        if (!existing && (value.currency === undefined || value.currency === null)) {
          errors.push('currency: required for a new order')
        }
        if (!existing && (value.items === undefined || value.items === null)) {
          errors.push('items: required for a new order (sku:quantity:unit_amount|…)')
        }
        if (errors.length > 0) {
          result.rejected.push({ line, errors })
          continue
        }

        applyRow(row, value, at)
        const orderItems: StoredItem[] =
          value.items === undefined || value.items === null
            ? (existing?.items ?? [])
            : value.items.map((item) => ({
                sku: item.sku,
                name: item.name ?? products.get(item.sku)?.name ?? null,
                quantity: item.quantity,
                unitAmount: item.unitAmount,
              }))
        const currency = row.currency as Currency
        try {
          const totals = checkOrder({
            currency,
            items: orderItems.map((item, index) => ({
              sku: item.sku,
              quantity: item.quantity,
              unitPrice: { amount: item.unitAmount, currency: value.items?.[index]?.currency ?? currency },
            })),
            discount: { amount: Number(row.discountAmount), currency },
            shipping: { amount: Number(row.shippingAmount), currency },
            placedAt: String(row.placedAt),
            shippedAt: (row.shippedAt as string | null) ?? null,
            expectedAt: (row.expectedAt as string | null) ?? null,
            deliveredAt: (row.deliveredAt as string | null) ?? null,
            refunds: (row.refunds as { amount: number; at: string }[]).map((refund) => ({
              amount: { amount: refund.amount, currency },
              at: refund.at,
            })),
            returns: row.returns as { sku: string; quantity: number; at: string }[],
          })
          row.subtotalAmount = totals.subtotal
          row.totalAmount = totals.total
        } catch (error) {
          if (!(error instanceof AppError)) throw error
          const issues = (error.details as { issues?: { message: string }[] } | null)?.issues
          result.rejected.push({
            line,
            errors: issues ? issues.map((issue) => issue.message) : [error.message],
          })
          continue
        }

        addGivenKeys(fields, value)
        const id = String(row.id)
        if (typeof row.externalId === 'string') externalOwners.set(row.externalId, value.number)
        if (value.items !== undefined && value.items !== null) replacedItems.set(id, orderItems)
        if (!existing) {
          inserts.set(id, row)
          targets.set(value.number, { row, items: orderItems, isNew: true })
          result.inserted++
        } else {
          existing.row = row
          existing.items = orderItems
          if (existing.isNew) inserts.set(id, row)
          else updates.set(id, row)
          result.updated++
        }
      }

      if (dryRun) {
        for (const target of targets.values()) {
          const id = String(target.row.id)
          if (inserts.has(id) || updates.has(id)) {
            virtual.set(String(target.row.number), { row: target.row, items: target.items, isNew: false })
            if (typeof target.row.externalId === 'string') {
              virtualExternalIds.set(target.row.externalId, String(target.row.number))
            }
          }
        }
        return result
      }
      if (inserts.size === 0 && updates.size === 0) return result
      const itemRows: Record<string, unknown>[] = []
      for (const [orderId, list] of replacedItems) {
        list.forEach((item, position) =>
          itemRows.push({
            id: newId('orderItem', now.getTime()),
            orderId,
            position,
            productId: products.get(item.sku)?.id ?? null,
            sku: item.sku,
            name: item.name,
            quantity: item.quantity,
            unitAmount: item.unitAmount,
          }),
        )
      }
      await store.db.transaction().execute(async (trx) => {
        const replaced = [...replacedItems.keys()].filter((id) => updates.has(id))
        for (let start = 0; start < replaced.length; start += 1000) {
          await trx
            .deleteFrom('order_items')
            .where('orderId', 'in', replaced.slice(start, start + 1000))
            .execute()
        }
        await insertRows(store, trx, 'orders', ordersTable.columns, [...inserts.values()])
        await upsertRows(store, trx, 'orders', ordersTable.columns, [...updates.values()])
        await insertRows(store, trx, 'order_items', orderItemsTable.columns, itemRows)
        await auditChunk(
          trx,
          store,
          context.actor,
          {
            entity: 'order',
            fields,
            inserted: result.inserted,
            updated: result.updated,
            firstLine: rows[0].line,
            lastLine: rows[rows.length - 1].line,
          },
          now,
        )
      })
      return result
    }

    async function itemsOf(orderIds: readonly string[]): Promise<Map<string, StoredItem[]>> {
      const byOrder = new Map<string, StoredItem[]>()
      const rows = await selectIn(store, 'order_items', 'orderId', orderIds)
      rows.sort((a, b) => Number(a.position) - Number(b.position))
      for (const row of rows) {
        const item = codec.decode<Record<string, unknown>>(orderItemsTable.columns, row)
        const list = byOrder.get(String(item.orderId)) ?? []
        list.push({
          sku: String(item.sku),
          name: (item.name as string | null) ?? null,
          quantity: Number(item.quantity),
          unitAmount: Number(item.unitAmount),
        })
        byOrder.set(String(item.orderId), list)
      }
      return byOrder
    }

    return importChunk
  },
}

function jsonList(r: RowReader, key: string): unknown {
  let value = r.raw(key)
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return r.fail(key, 'is not valid JSON (a list such as [{"amount": …}])')
    }
  }
  return value
}

function newRow(number: string, at: string): Record<string, unknown> {
  return {
    id: newId('order', Date.parse(at)),
    number,
    externalId: null,
    customerId: null,
    status: 'pending',
    currency: 'CNY',
    subtotalAmount: 0,
    discountAmount: 0,
    shippingAmount: 0,
    totalAmount: 0,
    couponCode: null,
    paymentMethod: null,
    paymentStatus: 'pending',
    shippingAddress: null,
    carrier: null,
    trackingNumber: null,
    placedAt: at,
    shippedAt: null,
    expectedAt: null,
    deliveredAt: null,
    refunds: [],
    returns: [],
    attributes: {},
    createdAt: at,
    updatedAt: at,
  }
}

/** NOT NULL columns: an empty cell keeps the current value (or the default for a new order). */
const KEEP_WHEN_EMPTY = new Set([
  'status',
  'currency',
  'paymentStatus',
  'placedAt',
  'discountAmount',
  'shippingAmount',
])
const NOT_COLUMNS = new Set(['customerExternalId', 'customerId', 'items', 'refunds', 'returns', 'attributes'])

function applyRow(row: Record<string, unknown>, value: OrderImportRow, at: string): void {
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || NOT_COLUMNS.has(key)) continue
    if (field === null && KEEP_WHEN_EMPTY.has(key)) continue
    row[key] = field
  }
  if (value.refunds !== undefined) {
    row.refunds = (value.refunds ?? []).map((refund) => ({
      amount: refund.amount.amount,
      reason: refund.reason ?? null,
      at: refund.at,
    }))
  }
  if (value.returns !== undefined) {
    row.returns = (value.returns ?? []).map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      reason: item.reason ?? null,
      at: item.at,
    }))
  }
  if (value.attributes !== undefined) {
    row.attributes = mergeAttributes((row.attributes ?? {}) as Attributes, value.attributes)
  }
  row.updatedAt = at
}

/** Orders as exported: the import columns (items as `sku:quantity:unit_amount|…` in CSV) plus id, totals, times. */
export const ordersExport: ExportSpec = {
  table: 'orders',
  kinds: ordersTable.columns,
  attributesEntity: 'order',
  columns: [
    'id',
    ...columns.columns.filter(
      (column) => column !== 'shippingAddress' && column !== 'refunds' && column !== 'returns',
    ),
    'subtotalAmount',
    'totalAmount',
    'shippingAddress',
    'refunds',
    'returns',
    'createdAt',
    'updatedAt',
  ],
  async resolve(store, rows) {
    const ids = rows.map((row) => String(row.id))
    const itemRows = await selectIn(store, 'order_items', 'orderId', ids)
    itemRows.sort((a, b) => Number(a.position) - Number(b.position))
    const items = new Map<
      string,
      { sku: string; name: string | null; quantity: number; unitAmount: number }[]
    >()
    for (const item of itemRows) {
      const list = items.get(String(item.orderId)) ?? []
      list.push({
        sku: String(item.sku),
        name: (item.name as string | null) ?? null,
        quantity: Number(item.quantity),
        unitAmount: Number(item.unitAmount),
      })
      items.set(String(item.orderId), list)
    }
    const customers = new Map<string, string | null>()
    const customerIds = distinct(rows.map((row) => row.customerId as string))
    for (const row of await selectIn(store, 'customers', 'id', customerIds, ['id', 'externalId'])) {
      customers.set(String(row.id), (row.externalId as string | null) ?? null)
    }
    return rows.map((row) => ({
      id: row.id,
      number: row.number,
      externalId: row.externalId,
      customerExternalId: customers.get(String(row.customerId)) ?? null,
      customerId: row.customerId,
      status: row.status,
      currency: row.currency,
      items: items.get(String(row.id)) ?? [],
      discountAmount: row.discountAmount,
      shippingAmount: row.shippingAmount,
      couponCode: row.couponCode,
      paymentMethod: row.paymentMethod,
      paymentStatus: row.paymentStatus,
      carrier: row.carrier,
      trackingNumber: row.trackingNumber,
      placedAt: row.placedAt,
      shippedAt: row.shippedAt,
      expectedAt: row.expectedAt,
      deliveredAt: row.deliveredAt,
      subtotalAmount: row.subtotalAmount,
      totalAmount: row.totalAmount,
      shippingAddress: row.shippingAddress,
      refunds: ((row.refunds ?? []) as { amount: number; reason: string | null; at: string }[]).map(
        (refund) => ({
          amount: { amount: refund.amount, currency: row.currency },
          reason: refund.reason,
          at: refund.at,
        }),
      ),
      returns: row.returns,
      attributes: row.attributes,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }))
  },
  toCsv(record) {
    const items = record.items as { sku: string; quantity: number; unitAmount: number }[]
    const refunds = record.refunds as unknown[]
    const returns = record.returns as unknown[]
    return {
      ...record,
      items: items.map((item) => `${item.sku}:${item.quantity}:${item.unitAmount}`).join('|'),
      refunds: refunds.length > 0 ? JSON.stringify(refunds) : '',
      returns: returns.length > 0 ? JSON.stringify(returns) : '',
    }
  },
}
