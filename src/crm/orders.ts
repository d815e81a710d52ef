import { z } from 'zod'
import { AppError, currencySchema, minorUnitsSchema, type Currency, type Money } from '../core/index.js'
import {
  attributesSchema,
  cleanText,
  idSchema,
  isoTimeSchema,
  listQueryBase,
  type Attributes,
} from './common.js'
import { priceSchema, skuSchema } from './products.js'

export const ORDER_STATUSES = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
  'returned',
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]
export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'partially_refunded', 'refunded'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

export interface OrderItem {
  sku: string
  /** The catalogue product with this SKU when there is one; an unknown SKU is kept with null. */
  productId: string | null
  name: string | null
  quantity: number
  unitPrice: Money
}

export interface ShippingAddress {
  name?: string
  phone?: string
  country?: string
  province?: string
  city?: string
  district?: string
  street?: string
  postalCode?: string
}

export interface Refund {
  amount: Money
  reason: string | null
  at: string
}

export interface OrderReturn {
  sku: string
  quantity: number
  reason: string | null
  at: string
}

/** An order as the API returns it: every amount is `{ amount, currency }` in the order's currency. */
export interface Order {
  id: string
  number: string
  externalId: string | null
  customerId: string
  status: OrderStatus
  currency: Currency
  subtotal: Money
  discount: Money
  shipping: Money
  total: Money
  items: OrderItem[]
  couponCode: string | null
  paymentMethod: string | null
  paymentStatus: PaymentStatus
  shippingAddress: ShippingAddress | null
  carrier: string | null
  trackingNumber: string | null
  placedAt: string
  shippedAt: string | null
  expectedAt: string | null
  deliveredAt: string | null
  refunds: Refund[]
  returns: OrderReturn[]
  attributes: Attributes
  createdAt: string
  updatedAt: string
}

const quantitySchema = z.number().int().min(1).max(100_000)

export const orderItemInputSchema = z.strictObject({
  sku: skuSchema,
  name: cleanText(200).nullable().optional(),
  quantity: quantitySchema,
  unitPrice: priceSchema,
})

const addressPart = (max: number) => cleanText(max).optional()
export const shippingAddressSchema = z.strictObject({
  name: addressPart(200),
  phone: addressPart(40),
  country: addressPart(100),
  province: addressPart(100),
  city: addressPart(100),
  district: addressPart(100),
  street: addressPart(500),
  postalCode: addressPart(20),
})

export const refundSchema = z.strictObject({
  amount: z.strictObject({ amount: minorUnitsSchema.min(1), currency: currencySchema }),
  reason: cleanText(500).nullable().optional(),
  at: isoTimeSchema,
})

export const returnSchema = z.strictObject({
  sku: skuSchema,
  quantity: quantitySchema,
  reason: cleanText(500).nullable().optional(),
  at: isoTimeSchema,
})

const fields = {
  number: cleanText(64).trim().min(1),
  externalId: cleanText(200).min(1).nullable(),
  customerId: idSchema,
  status: z.enum(ORDER_STATUSES),
  currency: currencySchema,
  items: z.array(orderItemInputSchema).min(1).max(500),
  money: priceSchema,
  couponCode: cleanText(64).nullable(),
  paymentMethod: cleanText(64).nullable(),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  shippingAddress: shippingAddressSchema.nullable(),
  carrier: cleanText(100).nullable(),
  trackingNumber: cleanText(100).nullable(),
  time: isoTimeSchema.nullable(),
  refunds: z.array(refundSchema).max(100),
  returns: z.array(returnSchema).max(500),
  attributes: attributesSchema,
}

/**
 * A new order. `subtotal` and `total` are computed from the items, discount and shipping; when given they must
 * match. `placedAt` defaults to now.
 */
export const orderCreateSchema = z.strictObject({
  number: fields.number,
  externalId: fields.externalId.optional(),
  customerId: fields.customerId,
  status: fields.status.default('pending'),
  currency: fields.currency,
  items: fields.items,
  discount: fields.money.optional(),
  shipping: fields.money.optional(),
  subtotal: fields.money.optional(),
  total: fields.money.optional(),
  couponCode: fields.couponCode.optional(),
  paymentMethod: fields.paymentMethod.optional(),
  paymentStatus: fields.paymentStatus.default('pending'),
  shippingAddress: fields.shippingAddress.optional(),
  carrier: fields.carrier.optional(),
  trackingNumber: fields.trackingNumber.optional(),
  placedAt: isoTimeSchema.optional(),
  shippedAt: fields.time.optional(),
  expectedAt: fields.time.optional(),
  deliveredAt: fields.time.optional(),
  refunds: fields.refunds.default([]),
  returns: fields.returns.default([]),
  attributes: fields.attributes.default({}),
})
export type OrderCreate = z.output<typeof orderCreateSchema>

/** Merge patch; `items`, `refunds` and `returns` replace the stored lists when given; null clears. */
export const orderPatchSchema = z.strictObject({
  number: fields.number.optional(),
  externalId: fields.externalId.optional(),
  customerId: fields.customerId.optional(),
  status: fields.status.optional(),
  currency: fields.currency.optional(),
  items: fields.items.optional(),
  discount: fields.money.optional(),
  shipping: fields.money.optional(),
  subtotal: fields.money.optional(),
  total: fields.money.optional(),
  couponCode: fields.couponCode.optional(),
  paymentMethod: fields.paymentMethod.optional(),
  paymentStatus: fields.paymentStatus.optional(),
  shippingAddress: fields.shippingAddress.optional(),
  carrier: fields.carrier.optional(),
  trackingNumber: fields.trackingNumber.optional(),
  placedAt: isoTimeSchema.optional(),
  shippedAt: fields.time.optional(),
  expectedAt: fields.time.optional(),
  deliveredAt: fields.time.optional(),
  refunds: fields.refunds.nullable().optional(),
  returns: fields.returns.nullable().optional(),
  attributes: fields.attributes.nullable().optional(),
})
export type OrderPatch = z.output<typeof orderPatchSchema>

export const orderListQuerySchema = z.strictObject({
  ...listQueryBase,
  customerId: idSchema.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES).optional(),
  currency: currencySchema.optional(),
  externalId: z.string().max(200).optional(),
  number: z.string().max(64).optional(),
  carrier: z.string().max(100).optional(),
})

/** The parts of an order whose consistency `checkOrder` verifies. */
export interface OrderDraft {
  readonly currency: Currency
  readonly items: readonly { sku: string; quantity: number; unitPrice: Money }[]
  readonly discount: Money
  readonly shipping: Money
  /** As given by the caller, if at all; compared with the computed value. */
  readonly subtotal?: Money
  readonly total?: Money
  readonly placedAt: string
  readonly shippedAt: string | null
  readonly expectedAt: string | null
  readonly deliveredAt: string | null
  readonly refunds: readonly { amount: Money; at: string }[]
  readonly returns: readonly { sku: string; quantity: number; at: string }[]
}

interface Problem {
  path: string
  message: string
}

/**
 * Checks an order and computes its amounts: every amount in the order's currency, subtotal = Σ quantity ×
 * unit price, total = subtotal − discount + shipping (never below zero), times in order, refunds within the
 * total, returns within what was ordered. Throws one 400 listing every problem, each naming its field.
 */
export function checkOrder(draft: OrderDraft): { subtotal: number; total: number } {
  const problems: Problem[] = []
  const currencyOf = (path: string, money: Money | undefined) => {
    if (money !== undefined && money.currency !== draft.currency) {
      problems.push({
        path,
        message: `${path} is in ${money.currency} but the order is in ${draft.currency}; every amount of an order uses its currency`,
      })
    }
  }
  draft.items.forEach((item, index) => currencyOf(`items.${index}.unitPrice`, item.unitPrice))
  currencyOf('discount', draft.discount)
  currencyOf('shipping', draft.shipping)
  currencyOf('subtotal', draft.subtotal)
  currencyOf('total', draft.total)
  draft.refunds.forEach((refund, index) => currencyOf(`refunds.${index}.amount`, refund.amount))

  const subtotal = draft.items.reduce((sum, item) => sum + item.quantity * item.unitPrice.amount, 0)
  const total = subtotal - draft.discount.amount + draft.shipping.amount
  if (!Number.isSafeInteger(subtotal) || subtotal > 1e13) {
    problems.push({ path: 'items', message: 'the subtotal is too large to store exactly' })
  }
  if (draft.subtotal !== undefined && draft.subtotal.amount !== subtotal) {
    problems.push({
      path: 'subtotal',
      message: `subtotal ${draft.subtotal.amount} does not match the items (Σ quantity × unitPrice = ${subtotal}); leave it out to have it computed`,
    })
  }
  if (total < 0) {
    problems.push({
      path: 'discount',
      message: `discount ${draft.discount.amount} exceeds subtotal + shipping (${subtotal + draft.shipping.amount})`,
    })
  }
  if (draft.total !== undefined && draft.total.amount !== total) {
    problems.push({
      path: 'total',
      message: `total ${draft.total.amount} does not match subtotal − discount + shipping = ${total}; leave it out to have it computed`,
    })
  }

  const notBefore = (path: string, value: string | null, earlierPath: string, earlier: string | null) => {
    if (value !== null && earlier !== null && Date.parse(value) < Date.parse(earlier)) {
      problems.push({ path, message: `${path} (${value}) is before ${earlierPath} (${earlier})` })
    }
  }
  notBefore('shippedAt', draft.shippedAt, 'placedAt', draft.placedAt)
  notBefore('expectedAt', draft.expectedAt, 'placedAt', draft.placedAt)
  if (draft.shippedAt !== null) notBefore('deliveredAt', draft.deliveredAt, 'shippedAt', draft.shippedAt)
  else notBefore('deliveredAt', draft.deliveredAt, 'placedAt', draft.placedAt)
  draft.refunds.forEach((refund, index) =>
    notBefore(`refunds.${index}.at`, refund.at, 'placedAt', draft.placedAt),
  )
  draft.returns.forEach((item, index) =>
    notBefore(`returns.${index}.at`, item.at, 'placedAt', draft.placedAt),
  )

  const refunded = draft.refunds.reduce((sum, refund) => sum + refund.amount.amount, 0)
  if (refunded > Math.max(total, 0)) {
    problems.push({ path: 'refunds', message: `refunds add up to ${refunded}, more than the total ${total}` })
  }
  const ordered = new Map<string, number>()
  for (const item of draft.items) ordered.set(item.sku, (ordered.get(item.sku) ?? 0) + item.quantity)
  const returned = new Map<string, number>()
  draft.returns.forEach((item, index) => {
    const count = (returned.get(item.sku) ?? 0) + item.quantity
    returned.set(item.sku, count)
    const available = ordered.get(item.sku)
    if (available === undefined) {
      problems.push({
        path: `returns.${index}.sku`,
        message: `returned SKU "${item.sku}" is not on the order; its SKUs: ${[...ordered.keys()].join(', ')}`,
      })
    } else if (count > available) {
      problems.push({
        path: `returns.${index}.quantity`,
        message: `${count} of SKU "${item.sku}" returned but only ${available} ordered`,
      })
    }
  })

  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => p.message)
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `invalid order — ${shown.join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
      { details: { issues: problems } },
    )
  }
  return { subtotal, total }
}
