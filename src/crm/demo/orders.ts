import { PRODUCT_WEIGHTS } from './catalogue.js'
import { CARRIERS, COUPONS, couponDiscount, type Carrier, type CarrierKey } from './commerce.js'
import { customerIndexOf } from './customers.js'
import { createRandom, hashSeed, permuteIndex, uniqueDigits, type Random } from './random.js'
import { DAY, HOUR, MINUTE, compactDate, iso, nextBusinessMoment, seasonality } from './timeline.js'
import type {
  DemoCustomer,
  DemoOptions,
  DemoOrder,
  DemoOrderItem,
  DemoOrderStatus,
  DemoPaymentMethod,
  DemoPaymentStatus,
  DemoRefund,
  DemoReturn,
} from './types.js'

const ORDER_COUNTS: Record<DemoCustomer['tier'], readonly (readonly [number, number])[]> = {
  standard: [
    [0, 22],
    [1, 40],
    [2, 20],
    [3, 10],
    [4, 5],
    [5, 3],
  ],
  silver: [
    [1, 30],
    [2, 30],
    [3, 20],
    [4, 12],
    [5, 8],
  ],
  gold: [
    [2, 20],
    [3, 25],
    [4, 22],
    [5, 15],
    [6, 10],
    [7, 8],
  ],
  vip: [
    [3, 12],
    [4, 18],
    [5, 20],
    [6, 20],
    [7, 15],
    [8, 15],
  ],
}

const REASONS = {
  return: {
    zh: ['七天无理由退货', '尺寸不合适', '颜色不喜欢', '商品有瑕疵', '与描述不符', '不想要了'],
    en: [
      'changed my mind',
      'wrong size',
      'did not like the colour',
      'item defective',
      'not as described',
      'no longer needed',
    ],
  },
  refund: {
    zh: ['商品损坏', '物流丢件', '质量问题'],
    en: ['arrived damaged', 'lost in transit', 'quality issue'],
  },
  partial: { zh: ['价保退差价', '赠品缺失补偿'], en: ['price protection', 'missing free gift'] },
  late: { zh: ['物流延误补偿'], en: ['late delivery compensation'] },
  cancel: { zh: ['订单取消'], en: ['order cancelled'] },
} as const

function paymentMethod(random: Random, customer: DemoCustomer): DemoPaymentMethod {
  const country = customer.address.country
  if (country === 'CN' && customer.locale === 'zh-CN') {
    return random.weighted<DemoPaymentMethod>([
      ['alipay', 46],
      ['wechat_pay', 44],
      ['card', 7],
      ['cod', 3],
    ])
  }
  if (country === 'CN')
    return random.weighted<DemoPaymentMethod>([
      ['card', 40],
      ['alipay', 25],
      ['wechat_pay', 25],
      ['paypal', 10],
    ])
  if (country === 'HK' || country === 'TW') {
    return random.weighted<DemoPaymentMethod>([
      ['card', 50],
      ['alipay', 20],
      ['paypal', 20],
      ['wechat_pay', 10],
    ])
  }
  return random.weighted<DemoPaymentMethod>([
    ['card', 60],
    ['paypal', 40],
  ])
}

function carrierFor(random: Random, country: string): Carrier {
  const key: CarrierKey =
    country === 'CN'
      ? random.weighted<CarrierKey>([
          ['sf', 40],
          ['zto', 30],
          ['jd', 30],
        ])
      : country === 'HK' || country === 'TW'
        ? random.weighted<CarrierKey>([
            ['sf', 70],
            ['dhl', 30],
          ])
        : random.weighted<CarrierKey>([
            ['dhl', 55],
            ['ups', 45],
          ])
  return CARRIERS[key]
}

function shippingFee(country: string, payable: number): number {
  if (country === 'CN') return payable >= 9900 ? 0 : 800
  if (country === 'HK' || country === 'TW') return payable >= 49900 ? 0 : 3000
  return payable >= 99900 ? 0 : 6000
}

function pickItems(random: Random): DemoOrderItem[] {
  const count = random.weighted([
    [1, 65],
    [2, 25],
    [3, 10],
  ] as const)
  const items: DemoOrderItem[] = []
  for (let attempt = 0; items.length < count && attempt < 10; attempt++) {
    const product = random.weighted(PRODUCT_WEIGHTS)
    if (items.some((item) => item.sku === product.sku)) continue
    const quantity =
      product.priceAmount < 10000
        ? random.weighted([
            [1, 70],
            [2, 22],
            [3, 8],
          ] as const)
        : random.chance(0.05)
          ? 2
          : 1
    items.push({ sku: product.sku, quantity, unitAmount: product.priceAmount })
  }
  return items
}

function placementTimes(random: Random, count: number, firstSeen: number, now: number): number[] {
  const season = seasonality(now)
  const latest = now - 5 * MINUTE
  const times: number[] = []
  for (let k = 0; k < count; k++) {
    if (k === 0 && random.chance(0.55))
      times.push(Math.min(firstSeen + random.float(5 * MINUTE, 2 * DAY), latest))
    else times.push(season.sample(firstSeen, latest, random.next()))
  }
  return times.map((t) => Math.floor(Math.max(firstSeen, Math.min(t, latest)))).sort((a, b) => a - b)
}

function roundTo100(amount: number): number {
  return Math.max(100, Math.round(amount / 100) * 100)
}

/**
 * Streams one customer's orders (0–8, oldest first) with consistent money and times: subtotal − discount +
 * shipping = total; placed ≤ paid ≤ shipped ≤ delivered ≤ refunds, all ≤ now; the status is whatever the
 * simulated order has reached by `now`. Seeded by (seed, customer key), independent of other customers.
 */
export function* generateOrders(options: DemoOptions, customer: DemoCustomer): Generator<DemoOrder> {
  const index = customerIndexOf(customer.key)
  const random = createRandom(hashSeed(options.seed, 'orders', customer.key))
  const now = options.now.getTime()
  const firstSeen = Date.parse(customer.firstSeenAt)
  let count = random.weighted(ORDER_COUNTS[customer.tier])
  const age = now - firstSeen
  if (age < 3 * DAY) count = Math.min(count, 1)
  else if (age < 30 * DAY) count = Math.min(count, 3)
  const times = placementTimes(random, count, firstSeen, now)
  const language = customer.attributes.preferredLanguage === 'en' ? 'en' : 'zh'
  const numberSalt = hashSeed(options.seed, 'order-number')
  for (let k = 0; k < times.length; k++) {
    yield buildOrder({
      random,
      customer,
      index,
      k,
      placed: times[k],
      now,
      language,
      numberSalt,
      seed: options.seed,
    })
  }
}

interface OrderContext {
  random: Random
  customer: DemoCustomer
  index: number
  k: number
  placed: number
  now: number
  language: 'zh' | 'en'
  numberSalt: number
  seed: number
}

function buildOrder(context: OrderContext): DemoOrder {
  const { random, customer, index, k, placed, now, language } = context
  const country = customer.address.country
  const items = pickItems(random)
  const subtotal = items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0)

  let couponCode: string | null = null
  let discount = 0
  const couponContext = {
    placedMs: placed,
    firstOrder: k === 0,
    tier: customer.tier,
    student: customer.tags.includes('student'),
  }
  const usable = COUPONS.filter(
    (coupon) => coupon.available(couponContext) && couponDiscount(coupon, subtotal) > 0,
  )
  const promoSeason = usable.some((coupon) => coupon.code === 'DOUBLE11' || coupon.code === '618SALE')
  if (
    usable.length > 0 &&
    random.chance(promoSeason ? 0.65 : customer.tags.includes('price-sensitive') ? 0.5 : 0.25)
  ) {
    const coupon = random.weighted(usable.map((c) => [c, c.weight] as const))
    couponCode = coupon.code
    discount = couponDiscount(coupon, subtotal)
  }
  const shipping = shippingFee(country, subtotal - discount)
  const total = subtotal - discount + shipping

  const id = index * 8 + k
  const suffix =
    index < 125_000
      ? String(permuteIndex(id, 1e6, context.numberSalt)).padStart(6, '0')
      : String(permuteIndex(id % 1e8, 1e8, context.numberSalt)).padStart(8, '0')
  const method = paymentMethod(random, customer)
  const carrier = carrierFor(random, country)
  const order: DemoOrder = {
    key: `${customer.key}-o${k + 1}`,
    number: `LM${compactDate(placed)}-${suffix}`,
    externalId: `shop-o-${uniqueDigits(id, hashSeed(context.seed, 'order-external'), 8)}`,
    customerKey: customer.key,
    status: 'pending',
    items,
    currency: 'CNY',
    subtotalAmount: subtotal,
    discountAmount: discount,
    shippingAmount: shipping,
    totalAmount: total,
    couponCode,
    paymentMethod: method,
    paymentStatus: 'pending',
    shippingAddress: { ...customer.address, name: customer.name, phone: customer.phone },
    carrier: null,
    trackingNumber: null,
    placedAt: iso(placed),
    paidAt: null,
    shippedAt: null,
    expectedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    refunds: [],
    returns: [],
  }
  const set = (status: DemoOrderStatus, paymentStatus: DemoPaymentStatus) => {
    order.status = status
    order.paymentStatus = paymentStatus
    return order
  }
  const refund = (amount: number, reason: string, at: number): DemoRefund => ({ amount, reason, at: iso(at) })
  const cod = method === 'cod'

  if (random.chance(0.035)) {
    if (now - placed < DAY) return set('pending', 'failed')
    order.cancelledAt = iso(placed + 30 * MINUTE)
    return set('cancelled', 'failed')
  }
  const paid = cod ? null : placed + random.int(20_000, 8 * MINUTE)
  if (paid !== null && paid > now) return set('pending', 'pending')
  if (paid !== null) order.paidAt = iso(paid)
  const ready = paid ?? placed

  const delayRoll = random.next()
  const shipDelay =
    delayRoll < 0.88
      ? random.float(2 * HOUR, 30 * HOUR)
      : delayRoll < 0.97
        ? random.float(30 * HOUR, 72 * HOUR)
        : random.float(3 * DAY, 7 * DAY)
  const shipped = nextBusinessMoment(ready + shipDelay, random.int(0, 3 * HOUR))
  if (random.chance(0.05)) {
    const cancelled = ready + random.float(5 * MINUTE, 20 * HOUR)
    if (cancelled < shipped && cancelled <= now) {
      order.cancelledAt = iso(cancelled)
      if (paid === null) return set('cancelled', 'pending')
      const refundAt = cancelled + random.float(MINUTE, HOUR)
      if (refundAt > now) return set('cancelled', 'paid')
      order.refunds.push(refund(total, REASONS.cancel[language][0], refundAt))
      return set('cancelled', 'refunded')
    }
  }
  if (shipped > now) return set('paid', cod ? 'pending' : 'paid')

  order.carrier = carrier.name
  order.trackingNumber = carrier.tracking(random)
  order.shippedAt = iso(shipped)
  const [fastest, promised] = carrier.transitDays
  const expected = shipped + promised * DAY
  order.expectedAt = iso(expected)
  const late = random.chance(0.15)
  const transit = late ? promised + random.float(1, 6) : random.float(Math.max(0.6, fastest - 0.4), promised)
  const delivered = Math.max(
    nextBusinessMoment(shipped + transit * DAY, random.int(0, 2 * HOUR)),
    shipped + HOUR,
  )
  if (delivered > now) return set('shipped', cod ? 'pending' : 'paid')
  order.deliveredAt = iso(delivered)
  if (cod) order.paidAt = iso(delivered)

  const after = random.next()
  if (after < 0.06) {
    const item = random.pick(items)
    const returnedAt = delivered + random.float(DAY, 6 * DAY)
    if (returnedAt > now) return set('delivered', 'paid')
    const reason = random.pick(REASONS.return[language])
    const returned: DemoReturn = { sku: item.sku, quantity: item.quantity, reason, at: iso(returnedAt) }
    order.returns.push(returned)
    const refundAt = returnedAt + random.float(2 * DAY, 5 * DAY)
    if (refundAt > now) return set('returned', 'paid')
    const value = item.quantity * item.unitAmount
    const amount = Math.min(
      total,
      value - Math.round((discount * value) / subtotal) + (items.length === 1 ? shipping : 0),
    )
    order.refunds.push(refund(amount, reason, refundAt))
    return set('returned', amount >= total ? 'refunded' : 'partially_refunded')
  }
  if (after < 0.09) {
    const refundAt = delivered + random.float(DAY, 8 * DAY)
    if (refundAt > now) return set('delivered', 'paid')
    order.refunds.push(refund(total, random.pick(REASONS.refund[language]), refundAt))
    return set('refunded', 'refunded')
  }
  if (after < 0.13 || (late && after < 0.3)) {
    const refundAt = delivered + random.float(HOUR, 10 * DAY)
    if (refundAt > now) return set('delivered', 'paid')
    const reasons = late ? REASONS.late : REASONS.partial
    const amount = Math.min(
      total - 100,
      roundTo100(late ? random.int(1000, 3000) : Math.min(total * 0.1, 5000)),
    )
    if (amount <= 0) return set('delivered', 'paid')
    order.refunds.push(refund(amount, random.pick(reasons[language]), refundAt))
    return set('delivered', 'partially_refunded')
  }
  return set('delivered', 'paid')
}
