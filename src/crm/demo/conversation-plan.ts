import type { Intent } from './phrase-types.js'
import type { Random } from './random.js'
import { DAY, HOUR, MINUTE } from './timeline.js'
import type { DemoOrder } from './types.js'

/** An order with its times as milliseconds, for planning when a customer would write about it. */
export interface OrderTimes {
  order: DemoOrder
  placed: number
  paid: number | null
  shipped: number | null
  expected: number | null
  delivered: number | null
  cancelled: number | null
  refunded: number | null
  returned: number | null
}

const ms = (value: string | null): number | null => (value === null ? null : Date.parse(value))

export function orderTimes(order: DemoOrder): OrderTimes {
  return {
    order,
    placed: Date.parse(order.placedAt),
    paid: ms(order.paidAt),
    shipped: ms(order.shippedAt),
    expected: ms(order.expectedAt),
    delivered: ms(order.deliveredAt),
    cancelled: ms(order.cancelledAt),
    refunded: order.refunds.length > 0 ? Date.parse(order.refunds[0].at) : null,
    returned: order.returns.length > 0 ? Date.parse(order.returns[0].at) : null,
  }
}

/** Where an order stands at an instant, as the message templates' conditions see it. */
export type OrderState = 'unshipped' | 'transit' | 'late' | 'delivered'

export function orderState(times: OrderTimes, at: number): OrderState {
  if (times.shipped === null || times.shipped > at) return 'unshipped'
  if (times.delivered !== null && times.delivered <= at) return 'delivered'
  return times.expected !== null && at > times.expected ? 'late' : 'transit'
}

/** Relative frequency of each intent as the opening topic of a conversation. */
export const INTENT_WEIGHTS: Readonly<Record<Intent, number>> = {
  order_status: 18,
  shipping_delay: 15,
  refund_request: 7,
  return_exchange: 6,
  cancel_order: 5.5,
  payment_issue: 4.5,
  invoice_request: 4,
  product_inquiry: 9,
  price_promotion: 5,
  after_sales_warranty: 6,
  complaint: 4.5,
  praise: 4.5,
  account_login: 4,
  change_address: 5.5,
  human_agent: 3,
  greeting: 2.5,
  thanks_goodbye: 1.5,
  out_of_scope: 3.5,
}

interface Window {
  order: OrderTimes | null
  from: number
  to: number
  weight: number
}

/** What a conversation is about and when it starts. */
export interface Plan {
  intent: Intent
  order: OrderTimes | null
  at: number
  sku: string | null
}

function windowsFor(intent: Intent, orders: readonly OrderTimes[], firstSeen: number, end: number): Window[] {
  const out: Window[] = []
  const add = (order: OrderTimes | null, from: number, to: number, weight = 1) => {
    const clipped = Math.min(to, end)
    if (clipped - from > MINUTE) out.push({ order, from, to: clipped, weight })
  }
  const anytime = () => add(null, firstSeen, end)
  for (const o of orders) {
    const { paid, shipped, expected, delivered, cancelled, refunded, returned, placed } = o
    const status = o.order.status
    switch (intent) {
      case 'order_status':
        if (paid !== null && status !== 'cancelled') add(o, paid + 2 * HOUR, delivered ?? end, 3)
        if (delivered !== null) add(o, delivered, delivered + DAY, 0.4)
        break
      case 'shipping_delay':
        if (shipped !== null && expected !== null) add(o, expected, delivered ?? end, 4)
        if (shipped !== null) add(o, Math.max(shipped + 1.5 * DAY, placed + 2 * DAY), delivered ?? end)
        if (paid !== null && (shipped ?? end) - paid > 2 * DAY && status !== 'cancelled')
          add(o, paid + 2 * DAY, shipped ?? end, 3)
        break
      case 'refund_request':
        if (cancelled !== null && refunded !== null) add(o, cancelled, refunded, 2)
        if (delivered !== null && refunded !== null) add(o, returned ?? delivered, refunded, 3)
        if (returned !== null && refunded === null) add(o, returned, end, 2)
        if (delivered !== null) add(o, delivered, delivered + 10 * DAY)
        break
      case 'return_exchange':
        if (delivered !== null)
          add(o, delivered + HOUR, Math.min(delivered + 15 * DAY, returned ?? Infinity), returned ? 4 : 1)
        break
      case 'cancel_order':
        if (cancelled !== null) add(o, placed, cancelled, 4)
        else if (status === 'pending' || status === 'paid') add(o, placed, end, 2)
        if (shipped !== null) {
          add(o, placed, shipped, 0.5)
          add(o, shipped, shipped + DAY, 0.5)
        }
        break
      case 'payment_issue':
        if (o.order.paymentStatus === 'failed') add(o, placed, cancelled ?? end, 4)
        if (paid !== null) add(o, placed, paid + 30 * MINUTE)
        break
      case 'invoice_request':
        if (paid !== null) add(o, paid + HOUR, (delivered ?? paid + 3 * DAY) + 30 * DAY)
        break
      case 'change_address':
        if (status === 'pending' || status === 'paid') add(o, placed, end, 2)
        if (shipped !== null) {
          add(o, placed, shipped)
          add(o, shipped, shipped + DAY, 0.4)
        }
        break
      case 'product_inquiry':
        if (delivered !== null) add(o, delivered, delivered + 30 * DAY, 0.4)
        break
      case 'price_promotion':
        if (paid !== null) add(o, paid, paid + 15 * DAY, 0.3)
        break
      case 'after_sales_warranty':
        if (delivered !== null && status === 'delivered') add(o, delivered + 5 * DAY, end)
        break
      case 'complaint':
        if (delivered !== null) add(o, delivered, delivered + 20 * DAY)
        if (expected !== null && shipped !== null) add(o, expected + DAY, delivered ?? end, 2)
        if (refunded !== null && delivered !== null) add(o, delivered, refunded + 5 * DAY)
        break
      case 'praise':
        if (
          delivered !== null &&
          (status === 'delivered' || o.order.paymentStatus === 'partially_refunded')
        ) {
          add(o, delivered, delivered + 10 * DAY)
        }
        break
      default:
        break
    }
  }
  if (intent === 'product_inquiry' || intent === 'price_promotion') add(null, firstSeen, end, 2)
  if (['account_login', 'human_agent', 'greeting', 'thanks_goodbye', 'out_of_scope'].includes(intent))
    anytime()
  if (intent === 'complaint' && orders.length === 0) add(null, firstSeen, end, 0.3)
  return out
}

/**
 * Chooses the topic of a conversation and when it starts, grounded in the customer's orders: a delay is
 * reported while the parcel is late, a refund asked for before it was paid out, an address changed before
 * shipping. Customers without orders ask pre-sales, account and small-talk questions.
 */
export function planConversation(
  random: Random,
  orders: readonly OrderTimes[],
  firstSeen: number,
  now: number,
  pickSku: () => string,
): Plan {
  const end = now - 3 * MINUTE
  const options: (readonly [{ intent: Intent; windows: Window[] }, number])[] = []
  for (const [intent, weight] of Object.entries(INTENT_WEIGHTS) as [Intent, number][]) {
    const windows = windowsFor(intent, orders, firstSeen, end)
    const strength = windows.reduce((sum, w) => sum + w.weight, 0)
    if (windows.length > 0) options.push([{ intent, windows }, weight * Math.min(1, strength)])
  }
  const { intent, windows } = random.weighted(options)
  const window = random.weighted(
    windows.map((w) => [w, w.weight * Math.sqrt((w.to - w.from) / DAY + 0.5)] as const),
  )
  const at = Math.floor(window.from + (window.to - window.from) * random.next())
  const sku = window.order ? random.pick(window.order.order.items).sku : pickSku()
  return { intent, order: window.order, at, sku }
}
