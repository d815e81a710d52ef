import { newAddressText } from './addresses.js'
import { catalogueEntry } from './catalogue.js'
import { COUPONS, carrierByName } from './commerce.js'
import { orderState, type OrderState, type OrderTimes } from './conversation-plan.js'
import type { SentimentTemplates } from './phrase-types.js'
import type { Random } from './random.js'
import { DAY, shanghai } from './timeline.js'
import { toTraditional } from './traditional.js'
import type { DemoCustomer, DemoSentiment } from './types.js'

export type Language = 'zh' | 'en'

/** Everything a message template can draw its slots from. */
export interface TextContext {
  random: Random
  language: Language
  customer: DemoCustomer
  order: OrderTimes | null
  sku: string | null
  agent: string
  /** Values that must stay the same within a thread (the new address a customer gives, a coupon code). */
  memo: Record<string, string>
  /** Who answers at the moment; `[ai]` / `[human]` replies are only used by that handler. */
  handler: 'ai' | 'human'
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

function ordinal(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return `${day}th`
  return `${day}${['th', 'st', 'nd', 'rd'][day % 10] ?? 'th'}`
}

function formatDate(random: Random, at: number, language: Language, dayFirst: boolean): string {
  const { month, day } = shanghai(at)
  if (language === 'zh')
    return random.pick([
      `${month}月${day}号`,
      `${month}月${day}日`,
      `${month}.${day}`,
      `${month}/${day}`,
      `${day}号`,
    ])
  if (dayFirst)
    return random.pick([
      `${day} ${MONTHS[month - 1]}`,
      `${day}/${month}`,
      `${ordinal(day)} ${MONTHS_LONG[month - 1]}`,
      `the ${ordinal(day)}`,
    ])
  return random.pick([
    `${MONTHS[month - 1]} ${day}`,
    `${month}/${day}`,
    `${MONTHS_LONG[month - 1]} ${ordinal(day)}`,
    `the ${ordinal(day)}`,
  ])
}

function formatAmount(random: Random, fen: number, language: Language): string {
  const yuan = fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2)
  if (language === 'zh') return random.pick([`¥${yuan}`, `${yuan}元`, `${yuan}块`, `￥${yuan}`])
  return random.pick([`¥${yuan}`, `${yuan} RMB`, `CNY ${yuan}`, `${yuan} yuan`, `RMB ${yuan}`])
}

/** Slot values for a message sent at `at`; slots that make no sense yet (a tracking number before shipping) are left out. */
export function slotValues(context: TextContext, at: number): Record<string, string> {
  const { random, language, customer, order, sku } = context
  const dayFirst = customer.locale === 'en-GB' || customer.locale === 'zh-HK'
  const values: Record<string, string> = {
    city: customer.city,
    name: customer.name,
    first: language === 'en' ? customer.name.split(' ')[0] : customer.name,
    agent: context.agent,
  }
  values.address = context.memo.address ??= newAddressText(random, customer.address, language)
  values.coupon = context.memo.coupon ??= order?.order.couponCode ?? random.pick(COUPONS).code
  if (customer.phone) values.phone = customer.phone
  if (customer.email) values.email = customer.email
  if (sku) {
    const product = catalogueEntry(sku)
    const name = random.chance(0.65) ? random.pick(product.aliases[language]) : product.name[language]
    values.product = name
    if (language === 'en') Object.assign(values, agreement(isPlural(name)))
  }
  if (order) {
    const o = order.order
    values.order = o.number
    values.date = formatDate(random, order.placed, language, dayFirst)
    const refund = o.refunds[0]
    values.amount = formatAmount(
      random,
      refund && refund.amount > 0 ? refund.amount : o.totalAmount,
      language,
    )
    const days = Math.floor((at - order.placed) / DAY)
    if (days >= 2) values.days = String(days)
    if (order.shipped !== null && order.shipped <= at && o.carrier && o.trackingNumber) {
      values.carrier = carrierByName(o.carrier)?.short[language] ?? o.carrier
      values.tracking = o.trackingNumber
      if (order.expected !== null) values.eta = formatDate(random, order.expected, language, dayFirst)
    }
    if (order.delivered !== null && order.delivered <= at)
      values.delivered = formatDate(random, order.delivered, language, dayFirst)
  }
  return values
}

/** English verb agreement for a product name: `the earbuds are`, `the kettle is`. */
function isPlural(name: string): boolean {
  const last =
    name
      .replace(/\([^)]*\)/g, '')
      .trim()
      .split(/\s+/)
      .pop() ?? ''
  return /[a-z]s$/i.test(last) && !/ss$/i.test(last)
}

function agreement(plural: boolean): Record<string, string> {
  return plural
    ? { is: 'are', Is: 'Are', does: 'do', Does: 'Do', has: 'have', s: '', doesnt: 'dont' }
    : { is: 'is', Is: 'Is', does: 'does', Does: 'Does', has: 'has', s: 's', doesnt: 'doesnt' }
}

const MARKER = /^(?:\[([a-z]+)(?::([A-Za-z0-9|_-]+))?\]|<([^>]+)>)/
const SLOT = /\{([A-Za-z]+)\}/g

interface Parsed {
  /** Order-state condition: shipped, unshipped, transit, late, delivered; product ones: instock, soldout. */
  conditions: { name: string; argument: string | null }[]
  /** Reply triggers: words in the customer's message this reply answers (`@address` = the address they gave). */
  triggers: string[]
  body: string
  slots: string[]
}

const parsedCache = new Map<string, Parsed>()

function parse(template: string): Parsed {
  let parsed = parsedCache.get(template)
  if (!parsed) {
    const conditions: Parsed['conditions'] = []
    const triggers: string[] = []
    let rest = template
    for (let match = MARKER.exec(rest); match; match = MARKER.exec(rest)) {
      if (match[3] !== undefined) triggers.push(...match[3].split('|').map((word) => word.toLowerCase()))
      else conditions.push({ name: match[1], argument: match[2] ?? null })
      rest = rest.slice(match[0].length)
    }
    parsed = { conditions, triggers, body: rest, slots: [...rest.matchAll(SLOT)].map((m) => m[1]) }
    parsedCache.set(template, parsed)
  }
  return parsed
}

function productAttributes(sku: string): Readonly<Record<string, string | number | boolean>> {
  return catalogueEntry(sku).attributes
}

/** Product groups that templates can be restricted to (`[for:battery]`). */
const GROUPS: Record<string, (sku: string) => boolean> = {
  battery: (sku) => {
    const a = productAttributes(sku)
    return a.batteryHours !== undefined || (a.capacityMah !== undefined && sku !== 'LM-TRV-004')
  },
  screen: (sku) => productAttributes(sku).screenInches !== undefined || sku === 'LM-PHN-009',
  bluetooth: (sku) => String(productAttributes(sku).connectivity ?? '').includes('Bluetooth'),
  electronic: (sku) => {
    const a = productAttributes(sku)
    return [a.powerWatts, a.batteryHours, a.connectivity, a.capacityMah].some((value) => value !== undefined)
  },
}

function holds(
  name: string,
  argument: string | null,
  state: OrderState | null,
  sku: string | null,
  handler: string,
): boolean {
  switch (name) {
    case 'ai':
    case 'human':
      return handler === name
    case 'shipped':
      return state !== null && state !== 'unshipped'
    case 'unshipped':
      return state === 'unshipped'
    case 'transit':
      return state === 'transit' || state === 'late'
    case 'late':
      return state === 'late'
    case 'delivered':
      return state === 'delivered'
    case 'instock':
      return sku !== null && productAttributes(sku).inStock !== false
    case 'soldout':
      return sku !== null && productAttributes(sku).inStock === false
    case 'sku':
      return sku !== null && (argument ?? '').split('|').includes(sku)
    case 'cat':
      return sku !== null && (argument ?? '').split('|').includes(catalogueEntry(sku).category)
    case 'for':
      return sku !== null && (argument ?? '').split('|').some((group) => GROUPS[group]?.(sku) ?? false)
    default:
      throw new Error(`unknown template condition [${name}]`)
  }
}

const ORDER_CONDITIONS = new Set(['shipped', 'unshipped', 'transit', 'late', 'delivered'])

/** Fills `{slot}`s; every slot must have a value (callers only pass templates whose slots are all known). */
export function fill(body: string, values: Readonly<Record<string, string>>): string {
  return body.replace(SLOT, (whole, slot: string) => values[slot] ?? whole)
}

function usable(
  template: string,
  state: OrderState | null,
  context: TextContext,
  values: Readonly<Record<string, string>>,
): boolean {
  const parsed = parse(template)
  return (
    parsed.conditions.every((c) => holds(c.name, c.argument, state, context.sku, context.handler)) &&
    parsed.slots.every((slot) => slot in values)
  )
}

function hasOrderCondition(template: string): boolean {
  return parse(template).conditions.some((c) => ORDER_CONDITIONS.has(c.name))
}

export function stateAt(context: TextContext, at: number): OrderState | null {
  return context.order ? orderState(context.order, at) : null
}

/**
 * Picks a customer message: only templates whose condition holds and whose slots can be filled. After
 * delivery, pre-delivery topics prefer templates written for that state ("says delivered but…").
 */
export function customerMessage(
  context: TextContext,
  templates: SentimentTemplates,
  at: number,
  preferStateful: boolean,
): { text: string; sentiment: DemoSentiment } | null {
  const { random, language } = context
  const state = stateAt(context, at)
  const values = slotValues(context, at)
  const all: { template: string; sentiment: DemoSentiment }[] = []
  for (const sentiment of ['positive', 'neutral', 'negative'] as const) {
    for (const template of templates[sentiment] ?? []) {
      if (usable(template, state, context, values)) all.push({ template, sentiment })
    }
  }
  if (all.length === 0) return null
  const stateful =
    preferStateful && state === 'delivered'
      ? all.filter((t) => parse(t.template).conditions.some((c) => c.name === 'delivered'))
      : []
  const chosen = random.pick(stateful.length > 0 ? stateful : all)
  return {
    text: fill(roughen(random, parse(chosen.template).body, language), values),
    sentiment: chosen.sentiment,
  }
}

/**
 * Picks and fills an agent reply, or null when none of the templates fits. Replies with triggers answer a
 * customer message containing one of their words; otherwise a general reply is used, preferring one written
 * for the order's current state.
 */
export function replyMessage(
  context: TextContext,
  templates: readonly string[],
  at: number,
  options: { prompt?: string; withoutAgentName?: boolean; onlyAnswers?: boolean } = {},
): string | null {
  const { random } = context
  const state = stateAt(context, at)
  const values = slotValues(context, at)
  const fitting = templates.filter(
    (template) =>
      usable(template, state, context, values) &&
      !(options.withoutAgentName && parse(template).slots.includes('agent')),
  )
  if (fitting.length === 0) return null
  const prompt = (options.prompt ?? '').toLowerCase()
  const answers = (template: string) =>
    parse(template).triggers.some((word) =>
      word === '@address' ? prompt.includes(values.address.toLowerCase()) : prompt.includes(word),
    )
  const matched = fitting.filter(answers)
  if (options.onlyAnswers && matched.length === 0) return null
  const general = fitting.filter((template) => parse(template).triggers.length === 0)
  const stateful = general.filter(hasOrderCondition)
  const pool =
    matched.length > 0
      ? matched
      : stateful.length > 0 && random.chance(0.75)
        ? stateful
        : general.length > 0
          ? general
          : fitting
  return fill(parse(random.pick(pool)).body, values)
}

/** Fills a free-standing frame (email opening, subject); null when no template's slots can be filled. */
export function frame(context: TextContext, templates: readonly string[], at: number): string | null {
  return replyMessage(context, templates, at)
}

/** How people actually type: dropped final punctuation, all lower case, spaces for commas. */
function roughen(random: Random, text: string, language: Language): string {
  let out = text
  if (language === 'en') {
    if (!/[A-Z]{4,}/.test(out) && random.chance(0.12)) out = out.toLowerCase()
    if (random.chance(0.1)) out = out.replace(/[.!]+$/u, '')
  } else {
    if (random.chance(0.1)) out = out.replace(/[。！]+$/u, '')
    if (random.chance(0.06)) out = out.replace(/，/g, ' ')
  }
  return out
}

const ZH_SWITCHES: readonly (readonly [string, string])[] = [
  ['订单', 'order'],
  ['退款', 'refund'],
  ['退货', 'return'],
  ['发票', 'invoice'],
  ['优惠券', 'coupon'],
  ['快递单号', 'tracking number'],
  ['地址', 'address'],
  ['账号', 'account'],
  ['密码', 'password'],
  ['取消', 'cancel'],
  ['发货', 'ship'],
  ['谢谢', 'thx'],
]

/** Mixes in the other language the way bilingual customers do: `我的order还没到`, `hi 你好 where is my parcel`. */
export function codeSwitch(
  random: Random,
  text: string,
  language: Language,
  options: { hongKong: boolean; greeting: boolean; negative: boolean },
): string {
  if (language === 'zh') {
    const candidates = ZH_SWITCHES.filter(([zh]) => text.includes(zh))
    if (candidates.length > 0) {
      const [zh, en] = random.pick(candidates)
      return text.replace(zh, en)
    }
    if (options.greeting || random.chance(0.5))
      return `${random.pick(['hi ', 'hello，', 'Hello ', 'hi~'])}${text}`
    return `${text} ${random.pick(options.negative ? ['asap', 'pls', '???'] : ['pls', 'thx', 'thanks'])}`
  }
  if (options.hongKong && random.chance(0.5)) {
    return `${text.replace(/[.!?]+$/u, '')} ${random.pick(['la', 'ar', 'wor', '唔該'])}`
  }
  return random.weighted<string>([
    [`你好，${text}`, 3],
    [`${text} 谢谢`, options.negative ? 0 : 3],
    [`${text} 谢谢!`, options.negative ? 0 : 1],
    [text.replace(/\bthanks\b/i, '谢谢'), /\bthanks\b/i.test(text) ? 4 : 0],
    [`hi 你好 ${text}`, 1],
  ])
}

const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu

/** Final touches: traditional script for Taiwan and Hong Kong, no emoji in phone transcripts. */
export function finish(
  text: string,
  options: { traditional: boolean; spoken: boolean; language: Language },
): string {
  let out = options.traditional ? toTraditional(text) : text
  if (options.spoken)
    out = out
      .replace(EMOJI, '')
      .replace(/\s{2,}/g, ' ')
      .trim()
  if (out.length > 0) return out
  return options.language === 'zh' ? '喂，你好' : 'hello?'
}
