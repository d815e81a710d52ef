import { describe, expect, it } from 'vitest'
import { normalizeEmail, normalizePhone } from '../identity.js'
import {
  INTENTS,
  generateCompanies,
  generateConversations,
  generateCustomer,
  generateCustomers,
  generateEvents,
  generateOrders,
  generateProducts,
  type DemoConversation,
  type DemoCustomer,
  type DemoOptions,
  type DemoOrder,
} from './index.js'
import { EN_PHRASES } from './phrases-en.js'
import { ZH_PHRASES } from './phrases-zh.js'
import { createRandom } from './random.js'
import { toTraditional } from './traditional.js'

const NOW = new Date('2026-11-25T00:00:00.000Z')
const options = (customers: number, seed = 42): DemoOptions => ({ customers, seed, now: NOW })

interface Run {
  customers: DemoCustomer[]
  orders: DemoOrder[]
  conversations: DemoConversation[]
}

function run(demo: DemoOptions): Run {
  const result: Run = { customers: [], orders: [], conversations: [] }
  for (const customer of generateCustomers(demo)) {
    const orders = [...generateOrders(demo, customer)]
    result.customers.push(customer)
    result.orders.push(...orders)
    result.conversations.push(...generateConversations(demo, customer, orders))
  }
  return result
}

const full = run(options(500))

describe('demo generator', () => {
  it('gives deep-equal output for the same options and different output for another seed', () => {
    expect(run(options(120))).toEqual(run(options(120)))
    expect(JSON.stringify(run(options(120)))).toBe(JSON.stringify(run(options(120))))
    const other = run(options(120, 43))
    expect(other.customers.map((c) => c.name)).not.toEqual(full.customers.slice(0, 120).map((c) => c.name))
    expect(other.orders.map((o) => o.number)).not.toEqual(run(options(120)).orders.map((o) => o.number))
  })

  it('generates customer c000250 alone exactly as the 250th of a full run', () => {
    const alone = generateCustomer(options(500), 249)
    expect(alone.key).toBe('c000250')
    expect(alone).toEqual(full.customers[249])
    expect([...generateOrders(options(500), alone)]).toEqual(
      full.orders.filter((o) => o.customerKey === 'c000250'),
    )
  })

  it('does not depend on how many customers are generated', () => {
    expect(run(options(60)).customers).toEqual(full.customers.slice(0, 60))
  })

  it('makes about half the customers zh-CN', () => {
    const share = full.customers.filter((c) => c.locale === 'zh-CN').length / full.customers.length
    expect(share).toBeGreaterThan(0.4)
    expect(share).toBeLessThan(0.6)
  })

  it('covers every intent in both languages within 500 customers', () => {
    for (const language of ['zh', 'en'] as const) {
      const seen = new Set(
        full.conversations.flatMap((c) =>
          c.messages.filter((m) => m.label && m.language === language).map((m) => m.label!.intent),
        ),
      )
      expect([...INTENTS].filter((intent) => !seen.has(intent))).toEqual([])
    }
  })

  it('gives about 40% of customers one to three conversations of 1–6 alternating messages', () => {
    const perCustomer = new Map<string, number>()
    for (const c of full.conversations)
      perCustomer.set(c.customerKey, (perCustomer.get(c.customerKey) ?? 0) + 1)
    const share = perCustomer.size / full.customers.length
    expect(share).toBeGreaterThan(0.3)
    expect(share).toBeLessThan(0.5)
    expect(Math.max(...perCustomer.values())).toBeLessThanOrEqual(3)
    for (const conversation of full.conversations) {
      expect(conversation.messages.length).toBeGreaterThanOrEqual(1)
      expect(conversation.messages.length).toBeLessThanOrEqual(6)
      conversation.messages.forEach((message, index) => {
        expect(message.direction).toBe(index % 2 === 0 ? 'inbound' : 'outbound')
        expect(message.label !== null).toBe(message.authorKind === 'customer')
        if (index > 0) expect(message.sentAt >= conversation.messages[index - 1].sentAt).toBe(true)
      })
      expect(conversation.createdAt).toBe(conversation.messages[0].sentAt)
    }
  })

  it('never leaves a {slot} or a template marker in any text', () => {
    for (const conversation of full.conversations) {
      const texts = conversation.messages.map((m) => m.text)
      if (conversation.subject !== null) texts.push(conversation.subject)
      for (const text of texts) {
        expect(text).not.toMatch(/\{[A-Za-z_]+\}/)
        expect(text).not.toMatch(/^\[[a-z]+(:[^\]]*)?\]|^<[^>]+>/)
        expect(text.trim().length).toBeGreaterThan(0)
      }
    }
  })

  it('grounds customer messages in their own order numbers', () => {
    const numbers = new Map(full.orders.map((o) => [o.number, o.customerKey]))
    let mentioned = 0
    for (const conversation of full.conversations) {
      for (const message of conversation.messages) {
        for (const match of message.text.matchAll(/LM\d{8}-\d{6}/g)) {
          mentioned++
          expect(numbers.get(match[0])).toBe(conversation.customerKey)
        }
      }
    }
    expect(mentioned).toBeGreaterThan(20)
  })

  it('keeps order money consistent', () => {
    const skus = new Set(generateProducts().map((p) => p.sku))
    for (const order of full.orders) {
      const items = order.items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0)
      expect(items).toBe(order.subtotalAmount)
      expect(order.subtotalAmount - order.discountAmount + order.shippingAmount).toBe(order.totalAmount)
      expect(order.discountAmount).toBeGreaterThanOrEqual(0)
      expect(order.discountAmount).toBeLessThanOrEqual(order.subtotalAmount)
      expect(order.items.length).toBeGreaterThan(0)
      for (const item of order.items) expect(skus.has(item.sku)).toBe(true)
      const refunded = order.refunds.reduce((sum, r) => sum + r.amount, 0)
      expect(refunded).toBeLessThanOrEqual(order.totalAmount)
      if (order.paymentStatus === 'refunded') expect(refunded).toBe(order.totalAmount)
      if (order.paymentStatus === 'partially_refunded') expect(refunded).toBeLessThan(order.totalAmount)
    }
  })

  it('orders times and statuses consistently, never after now', () => {
    const now = NOW.toISOString()
    for (const order of full.orders) {
      const times = [order.placedAt, order.shippedAt, order.deliveredAt].filter(
        (t): t is string => t !== null,
      )
      expect([...times].sort()).toEqual(times)
      for (const t of [...times, order.paidAt, order.expectedAt, ...order.refunds.map((r) => r.at)]) {
        if (t && t !== order.expectedAt) expect(t <= now).toBe(true)
      }
      if (order.shippedAt) expect(order.expectedAt! > order.shippedAt).toBe(true)
      for (const refund of order.refunds) expect(refund.at >= order.placedAt).toBe(true)
      for (const entry of order.returns) expect(entry.at >= order.deliveredAt!).toBe(true)
      const shipped = order.shippedAt !== null
      const delivered = order.deliveredAt !== null
      if (order.status === 'shipped') expect(shipped && !delivered).toBe(true)
      if (order.status === 'delivered' || order.status === 'returned') expect(delivered).toBe(true)
      if (order.status === 'pending' || order.status === 'paid' || order.status === 'cancelled')
        expect(shipped).toBe(false)
      if (shipped) expect(order.carrier && order.trackingNumber).toBeTruthy()
    }
    const customers = new Map(full.customers.map((c) => [c.key, c]))
    for (const order of full.orders)
      expect(order.placedAt >= customers.get(order.customerKey)!.firstSeenAt).toBe(true)
    for (const c of full.conversations) expect(c.messages.every((m) => m.sentAt <= now)).toBe(true)
  })

  it('gives every customer a unique, plausible email or phone', () => {
    const emails = new Set<string>()
    const phones = new Set<string>()
    for (const customer of full.customers) {
      expect(customer.email !== null || customer.phone !== null).toBe(true)
      if (customer.email) {
        expect(customer.email).toBe(customer.email.toLowerCase())
        expect(normalizeEmail(customer.email)).toBe(customer.email)
        expect(emails.has(customer.email)).toBe(false)
        emails.add(customer.email)
      }
      if (customer.phone) {
        const e164 = normalizePhone(customer.phone, 'CN')
        expect(e164, customer.phone).not.toBeNull()
        expect(phones.has(e164!)).toBe(false)
        phones.add(e164!)
        if (customer.locale === 'zh-CN') expect(e164).toMatch(/^\+861[3-9]\d{9}$/)
      }
    }
  })

  it('lists a bilingual catalogue and companies', () => {
    const products = generateProducts()
    expect(products.length).toBeGreaterThanOrEqual(55)
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length)
    for (const product of products) {
      expect(
        product.name.zh && product.name.en && product.description.zh && product.description.en,
      ).toBeTruthy()
      expect(Number.isInteger(product.priceAmount)).toBe(true)
    }
    const companies = generateCompanies(options(1))
    expect(companies.length).toBeGreaterThanOrEqual(25)
    for (const company of companies) expect(company.domain).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/)
  })

  it('has at least 12 customer templates per intent and language', () => {
    for (const book of [ZH_PHRASES, EN_PHRASES]) {
      for (const intent of INTENTS) {
        const set = book.customer[intent]
        const count = (set.positive?.length ?? 0) + (set.neutral?.length ?? 0) + (set.negative?.length ?? 0)
        expect(count, `${book.language} ${intent}`).toBeGreaterThanOrEqual(12)
      }
    }
  })

  it('streams 1,000,000 events in non-decreasing time order without building an array', () => {
    const demo = options(2000)
    let count = 0
    let previous = ''
    let signedIn = 0
    const start = NOW.getTime() - 366 * 24 * 3600 * 1000
    for (const event of generateEvents(demo, 1_000_000)) {
      count++
      if (event.occurredAt < previous)
        throw new Error(`event ${count} goes back in time: ${event.occurredAt} < ${previous}`)
      previous = event.occurredAt
      if (event.customerKey !== null) signedIn++
      else if (event.anonymousId === null) throw new Error('an event without customer or anonymous id')
    }
    expect(count).toBe(1_000_000)
    expect(previous <= NOW.toISOString()).toBe(true)
    expect(Date.parse(previous)).toBeGreaterThan(start)
    expect(signedIn).toBeGreaterThan(100_000)
  }, 120_000)

  it('starts events at the beginning of the window and only signs in customers who already exist', () => {
    const demo = options(300)
    const firstSeen = new Map<string, string>()
    for (const customer of generateCustomers(demo)) firstSeen.set(customer.key, customer.firstSeenAt)
    const events = [...generateEvents(demo, 5000)]
    expect(events.length).toBe(5000)
    for (const event of events) {
      if (event.customerKey) expect(event.occurredAt >= firstSeen.get(event.customerKey)!).toBe(true)
    }
  })

  it('writes Taiwan and Hong Kong Chinese in traditional script', () => {
    expect(toTraditional('我的订单发货了吗？退款什么时候到账')).toBe('我的訂單發貨了嗎？退款什麼時候到賬')
    const tw = full.conversations.filter(
      (c) => c.customerKey && full.customers.find((x) => x.key === c.customerKey)?.locale === 'zh-TW',
    )
    const texts = tw.flatMap((c) => c.messages.filter((m) => m.language === 'zh').map((m) => m.text)).join('')
    expect(texts).not.toMatch(/[订单发货还没吗这个们说请问]/)
  })

  it('draws the same numbers from the same seed', () => {
    const a = createRandom(7)
    const b = createRandom(7)
    const draws = Array.from({ length: 5 }, () => [a.next(), b.next()])
    for (const [x, y] of draws) expect(x).toBe(y)
    expect(createRandom(8).next()).not.toBe(createRandom(7).next())
    const random = createRandom('seed')
    for (let i = 0; i < 1000; i++) {
      const value = random.int(3, 5)
      expect(value >= 3 && value <= 5 && Number.isInteger(value)).toBe(true)
    }
  })
})
