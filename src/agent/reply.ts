/**
 * The agent's own replies, without an LLM: a greeting that addresses the customer properly, facts from
 * their own orders, the most relevant sentences of the cited passage (quoted, Markdown removed), and a
 * closing — in Chinese or English. Pure.
 */
import type { OrderSummary } from './decision.js'

export type ReplyLanguage = 'zh' | 'en'

const ORDER_STATUS_TEXT: Record<string, { zh: string; en: string }> = {
  pending: { zh: '待付款', en: 'awaiting payment' },
  paid: { zh: '已付款，等待发货', en: 'paid and waiting to ship' },
  shipped: { zh: '已发货', en: 'shipped' },
  delivered: { zh: '已签收', en: 'delivered' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  refunded: { zh: '已退款', en: 'refunded' },
  returned: { zh: '已退货', en: 'returned' },
}

/** How to address the customer: `张伟您好，` / `Hi Emily,` — or a neutral greeting without a name. */
export function salutation(language: ReplyLanguage, name: string | null | undefined): string {
  const clean = name?.trim()
  if (language === 'zh') {
    if (!clean) return '您好，'
    // A Chinese name is addressed in full; a Latin name by its first part.
    return /\p{Script=Han}/u.test(clean) ? `${clean}您好，` : `${clean.split(/\s+/)[0]}，您好，`
  }
  if (!clean) return 'Hi,'
  const first = /\p{Script=Han}/u.test(clean) ? clean : clean.split(/\s+/)[0]
  return `Hi ${first},`
}

export function closing(language: ReplyLanguage): string {
  return language === 'zh'
    ? '如还有其他问题，随时联系我们。'
    : 'Let me know if there is anything else I can help with.'
}

function formatDate(iso: string, language: ReplyLanguage, timeZone: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    month: language === 'zh' ? 'numeric' : 'short',
    day: 'numeric',
  }).format(date)
}

/** One sentence of facts about an order, from the customer's own records. */
export function orderFacts(order: OrderSummary, language: ReplyLanguage, timeZone: string): string {
  const status = ORDER_STATUS_TEXT[order.status] ?? { zh: order.status, en: order.status }
  const items = order.items
    .slice(0, 2)
    .map((item) => (item.quantity > 1 ? `${item.name} ×${item.quantity}` : item.name))
    .join(language === 'zh' ? '、' : ', ')
  if (language === 'zh') {
    const parts = [`您的订单 ${order.number}${items ? `（${items}）` : ''}当前状态：${status.zh}`]
    if (order.carrier) parts.push(`承运商 ${order.carrier}`)
    if (order.trackingNumber) parts.push(`运单号 ${order.trackingNumber}`)
    if (order.deliveredAt) parts.push(`已于 ${formatDate(order.deliveredAt, language, timeZone)} 签收`)
    else if (order.expectedAt) parts.push(`预计 ${formatDate(order.expectedAt, language, timeZone)} 送达`)
    return `${parts.join('，')}。`
  }
  const parts = [`Your order ${order.number}${items ? ` (${items})` : ''} is ${status.en}`]
  if (order.carrier) parts.push(`carrier ${order.carrier}`)
  if (order.trackingNumber) parts.push(`tracking number ${order.trackingNumber}`)
  if (order.deliveredAt) parts.push(`delivered on ${formatDate(order.deliveredAt, language, timeZone)}`)
  else if (order.expectedAt) parts.push(`expected on ${formatDate(order.expectedAt, language, timeZone)}`)
  return `${parts.join(', ')}.`
}

/** Markdown to plain text for quoting: headings, emphasis, links and list markers removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '')
    .replace(/^\s*\d+[.)]\s+/gm, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)/g, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/\|/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim()
}

/** Sentences of plain text, in order (Chinese and English punctuation, line breaks). */
export function sentences(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\n+/)) {
    const parts = line.match(/[^。！？!?]+[。！？!?]?|[^.]+\.?/g) ?? []
    let buffer = ''
    for (const part of parts) {
      buffer += part
      // keep "e.g." and decimals together: a split after a very short piece is merged into the next one
      if (buffer.trim().length < 6) continue
      out.push(buffer.trim())
      buffer = ''
    }
    if (buffer.trim()) out.push(buffer.trim())
  }
  return out.filter((sentence) => /[\p{L}\p{N}]/u.test(sentence))
}

/**
 * The sentences of a passage that answer the question best, in the passage's order: those holding the most
 * matched terms, up to `maxChars`; the passage's first sentence when none matches.
 */
export function quotePassage(passage: string, matchedTerms: readonly string[], maxChars = 320): string {
  const all = sentences(plainText(passage))
  if (all.length === 0) return ''
  const terms = matchedTerms
    .map((term) => term.replace(/^[a-z]+:/, '').toLowerCase())
    .filter((term) => term.length > 0)
  const scored = all.map((sentence, index) => {
    const lower = sentence.toLowerCase()
    let score = 0
    for (const term of terms) if (lower.includes(term)) score += term.length > 1 ? 1 : 0.3
    return { sentence, index, score }
  })
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.index - b.index)
  const chosen: typeof scored = []
  let length = 0
  for (const candidate of ranked) {
    if (chosen.length > 0 && candidate.score === 0) break
    if (chosen.length > 0 && length + candidate.sentence.length > maxChars) continue
    chosen.push(candidate)
    length += candidate.sentence.length
    if (length >= maxChars * 0.6 || chosen.length >= 3) break
  }
  const text = chosen
    .sort((a, b) => a.index - b.index)
    .map((c) => c.sentence)
    .join(' ')
  return text.length > maxChars + 80 ? `${text.slice(0, maxChars)}…` : text
}

/** Lead-in for a passage in the other language (no LLM to translate it). */
export function crossLingualLeadIn(language: ReplyLanguage): string {
  return language === 'zh'
    ? '以下是我们帮助中心的相关说明（英文原文）：'
    : 'Here is what our help centre says (in Chinese):'
}

export const CLARIFY = {
  whichOrder: {
    zh: '请问您咨询的是哪一个订单？麻烦提供一下订单号，我马上为您查询。',
    en: 'Which order is this about? Please send me the order number and I will look it up right away.',
  },
  orderNumber: {
    zh: '麻烦提供一下您的订单号（或下单时使用的手机号），我来帮您查询。',
    en: 'Could you send me your order number (or the phone number you ordered with)? I will check it for you.',
  },
  vague: {
    zh: '请问具体是遇到了什么问题呢？可以描述一下商品、订单或具体情况，我好为您处理。',
    en: 'Could you tell me a bit more — which product or order, and what happened? Then I can help.',
  },
  greeting: {
    zh: '请问有什么可以帮您？',
    en: 'How can I help you today?',
  },
} as const

export const HAND_OFF_NOTE = {
  zh: '已为您转接人工客服，请稍候，同事会尽快回复您。',
  en: 'I have passed this to a colleague, who will get back to you shortly.',
} as const
