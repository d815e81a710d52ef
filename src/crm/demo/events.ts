import { PRODUCT_WEIGHTS } from './catalogue.js'
import type { CatalogueEntry } from './catalogue-types.js'
import { COUPONS } from './commerce.js'
import { customerFirstSeenMs, customerKey } from './customers.js'
import { createRandom, hashSeed, type Random } from './random.js'
import { WINDOW_DAYS, iso, seasonality } from './timeline.js'
import type { DemoEvent, DemoEventType, DemoOptions } from './types.js'

const SEARCHES = [
  '降噪耳机',
  '蓝牙耳机 运动',
  '机械键盘',
  '保温杯',
  '充电宝',
  '手环',
  '扫地机器人',
  '吹风机',
  '电动牙刷',
  '65w充电器',
  '手机壳 iphone15',
  '送女朋友礼物',
  '双十一',
  '台灯',
  '耳机',
  'earbuds',
  'noise cancelling',
  'keyboard',
  'power bank',
  'smart watch',
  'gift',
  'usb c hub',
  'kettle',
  'backpack',
  'flask',
  'air pro',
  'band 6',
  'k68',
  '礼品卡',
  '加湿器',
] as const
const PAGES = [
  '/',
  '/category/audio',
  '/category/wearables',
  '/category/computer-accessories',
  '/category/phone-accessories',
  '/category/smart-home',
  '/category/kitchen',
  '/promotions',
  '/help/shipping',
  '/help/returns',
  '/cart',
] as const
const HELP_PAGES = [
  '/help/shipping',
  '/help/returns',
  '/help/warranty',
  '/help/invoices',
  '/account/orders',
] as const

interface Step {
  type: DemoEventType
  sku: string | null
  properties: Record<string, string | number | boolean>
}

interface Session {
  id: string
  customerKey: string | null
  anonymousId: string | null
  source: DemoEvent['source']
  steps: Step[]
  next: number
}

type SessionKind = 'browse' | 'search_buy' | 'returning' | 'cart_abandon' | 'review' | 'help'
const KINDS: readonly (readonly [SessionKind, number])[] = [
  ['browse', 38],
  ['search_buy', 20],
  ['returning', 15],
  ['cart_abandon', 15],
  ['review', 5],
  ['help', 7],
]
const NEEDS_LOGIN = new Set<SessionKind>(['search_buy', 'returning', 'review'])

function hex(random: Random, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += random.int(0, 15).toString(16)
  return out
}

function viewStep(product: CatalogueEntry, random: Random): Step {
  return {
    type: 'product_view',
    sku: product.sku,
    properties: { price: product.priceAmount, category: product.category, position: random.int(1, 24) },
  }
}

function buildSteps(random: Random, kind: SessionKind): Step[] {
  const steps: Step[] = []
  const product = () => random.weighted(PRODUCT_WEIGHTS)
  const login = () =>
    steps.push({
      type: 'login',
      sku: null,
      properties: { method: random.pick(['password', 'sms_code', 'wechat', 'apple']) },
    })
  const cart: CatalogueEntry[] = []
  const add = (item: CatalogueEntry) => {
    cart.push(item)
    steps.push({
      type: 'add_to_cart',
      sku: item.sku,
      properties: { quantity: item.priceAmount < 10000 ? random.int(1, 2) : 1, price: item.priceAmount },
    })
  }
  const checkout = (complete: boolean) => {
    const value = cart.reduce((sum, item) => sum + item.priceAmount, 0)
    steps.push({ type: 'checkout_started', sku: null, properties: { itemCount: cart.length, value } })
    let discount = 0
    if (random.chance(0.3)) {
      const coupon = random.pick(COUPONS)
      discount =
        'amount' in coupon.off
          ? Math.min(coupon.off.amount, value)
          : Math.min(Math.round(value * coupon.off.rate), coupon.off.cap)
      steps.push({ type: 'coupon_applied', sku: null, properties: { code: coupon.code, discount } })
    }
    if (complete) {
      const paymentMethod = random.pick(['alipay', 'wechat_pay', 'card', 'paypal'])
      steps.push({
        type: 'order_placed',
        sku: null,
        properties: { itemCount: cart.length, value: value - discount, currency: 'CNY', paymentMethod },
      })
    }
  }
  switch (kind) {
    case 'browse': {
      steps.push({
        type: 'page_view',
        sku: null,
        properties: {
          path: random.pick(PAGES),
          referrer: random.pick(['direct', 'search', 'social', 'email']),
        },
      })
      for (let i = random.int(1, 4); i > 0; i--) steps.push(viewStep(product(), random))
      if (random.chance(0.3))
        steps.push({
          type: 'search',
          sku: null,
          properties: { query: random.pick(SEARCHES), results: random.int(0, 40) },
        })
      break
    }
    case 'search_buy': {
      if (random.chance(0.5)) login()
      steps.push({
        type: 'search',
        sku: null,
        properties: { query: random.pick(SEARCHES), results: random.int(1, 40) },
      })
      const seen: CatalogueEntry[] = []
      for (let i = random.int(1, 3); i > 0; i--) {
        const item = product()
        seen.push(item)
        steps.push(viewStep(item, random))
      }
      add(random.pick(seen))
      if (random.chance(0.25)) add(product())
      if (cart.length > 1 && random.chance(0.3)) {
        const removed = cart.pop()!
        steps.push({ type: 'remove_from_cart', sku: removed.sku, properties: { quantity: 1 } })
      }
      checkout(random.chance(0.65))
      break
    }
    case 'returning': {
      login()
      steps.push({
        type: 'page_view',
        sku: null,
        properties: { path: '/account/orders', referrer: 'direct' },
      })
      const item = product()
      steps.push(viewStep(item, random))
      if (random.chance(0.5)) add(item)
      break
    }
    case 'cart_abandon': {
      const item = product()
      steps.push(viewStep(item, random))
      add(item)
      if (random.chance(0.6)) checkout(false)
      break
    }
    case 'review': {
      login()
      const item = product()
      const rating = random.weighted([
        [5, 55],
        [4, 25],
        [3, 10],
        [2, 5],
        [1, 5],
      ] as const)
      steps.push({
        type: 'review_posted',
        sku: item.sku,
        properties: { rating, hasPhoto: random.chance(0.3) },
      })
      break
    }
    case 'help': {
      for (let i = random.int(1, 3); i > 0; i--)
        steps.push({
          type: 'page_view',
          sku: null,
          properties: { path: random.pick(HELP_PAGES), referrer: 'direct' },
        })
      break
    }
  }
  return steps
}

/**
 * Streams `count` behaviour events over the year before `now`, in non-decreasing `occurredAt` order and in
 * constant memory (a small pool of open sessions). Sessions follow believable paths (search → view → cart →
 * checkout → order); signed-in sessions belong to customers who already existed at that moment.
 */
export function* generateEvents(options: DemoOptions, count: number): Generator<DemoEvent> {
  const random = createRandom(hashSeed(options.seed, 'events'))
  const now = options.now.getTime()
  const season = seasonality(now)
  const perMinute = count / (WINDOW_DAYS * 24 * 60)
  const poolSize = Math.min(64, Math.max(1, Math.round(perMinute * 3)))
  const pool: (Session | null)[] = new Array<Session | null>(poolSize).fill(null)
  let sessions = 0

  const openSession = (at: number): Session => {
    let kind = random.weighted(KINDS)
    let key: string | null = null
    if (options.customers > 0 && (NEEDS_LOGIN.has(kind) || random.chance(0.45))) {
      for (let attempt = 0; attempt < 4 && key === null; attempt++) {
        const index = random.int(0, options.customers - 1)
        if (customerFirstSeenMs(options, index) <= at) key = customerKey(index)
      }
    }
    if (key === null && NEEDS_LOGIN.has(kind)) kind = random.chance(0.5) ? 'browse' : 'cart_abandon'
    sessions++
    return {
      id: `sess_${sessions.toString(36)}${hex(random, 6)}`,
      customerKey: key,
      anonymousId: key === null ? `anon_${hex(random, 12)}` : null,
      source: random.weighted([
        ['web', 45],
        ['app', 35],
        ['mini_program', 20],
      ] as const),
      steps: buildSteps(random, kind),
      next: 0,
    }
  }

  for (let i = 0; i < count; i++) {
    const at = Math.floor(season.sample(season.start, now, (i + random.next()) / count))
    const slot = random.int(0, poolSize - 1)
    let session = pool[slot]
    if (session === null || session.next >= session.steps.length) {
      session = openSession(at)
      pool[slot] = session
    }
    const step = session.steps[session.next++]
    yield {
      type: step.type,
      customerKey: session.customerKey,
      anonymousId: session.anonymousId,
      sessionId: session.id,
      sku: step.sku,
      properties: step.properties,
      source: session.source,
      occurredAt: iso(at),
    }
  }
}
