import { PRODUCT_WEIGHTS } from './catalogue.js'
import { orderTimes, planConversation, type OrderTimes, type Plan } from './conversation-plan.js'
import {
  codeSwitch,
  customerMessage,
  finish,
  frame,
  replyMessage,
  stateAt,
  type Language,
  type TextContext,
} from './conversation-text.js'
import type { Intent, PhraseBook, ReplyKey, SentimentTemplates } from './phrase-types.js'
import { EN_PHRASES } from './phrases-en.js'
import { ZH_PHRASES } from './phrases-zh.js'
import { createRandom, hashSeed, type Random } from './random.js'
import { DAY, HOUR, MINUTE, iso, nextBusinessMoment } from './timeline.js'
import type {
  DemoChannel,
  DemoConversation,
  DemoCustomer,
  DemoMessage,
  DemoOptions,
  DemoOrder,
  DemoSentiment,
} from './types.js'

const CHANNELS: Record<Language, readonly (readonly [DemoChannel, number])[]> = {
  zh: [
    ['chat', 62],
    ['email', 8],
    ['phone', 10],
    ['sms', 6],
    ['api', 14],
  ],
  en: [
    ['email', 42],
    ['chat', 44],
    ['phone', 5],
    ['sms', 5],
    ['api', 4],
  ],
}
/** Topics asked before delivery: once the parcel has arrived, prefer messages written for that moment. */
const PRE_DELIVERY = new Set<Intent>(['order_status', 'shipping_delay'])
const LIGHT = new Set<Intent>(['greeting', 'thanks_goodbye', 'praise', 'out_of_scope'])
/** Second questions a customer tacks on ("对了，…", "btw …"). */
const SIDE_QUESTIONS: readonly Intent[] = [
  'account_login',
  'payment_issue',
  'invoice_request',
  'price_promotion',
  'product_inquiry',
  'out_of_scope',
]
const SIDE_LEADS: Record<Language, readonly string[]> = {
  zh: ['对了，', '还有个问题，', '另外', '顺便问下，', '哦对了 ', '还有 '],
  en: ['also, ', 'btw ', 'one more thing - ', 'oh and ', 'Also, '],
}

/**
 * Streams a customer's support conversations: about 40% of customers have one to three. Each thread has 1–6
 * messages alternating customer and agent (or AI), starts when the topic makes sense for the customer's
 * orders, writes in the customer's language (traditional script in Taiwan and Hong Kong, ~10% code-mixed),
 * and labels every customer message with its intent and sentiment.
 */
export function* generateConversations(
  options: DemoOptions,
  customer: DemoCustomer,
  orders: readonly DemoOrder[],
): Generator<DemoConversation> {
  const random = createRandom(hashSeed(options.seed, 'conversations', customer.key))
  const now = options.now.getTime()
  const times = orders.map(orderTimes)
  if (!random.chance(times.length > 0 ? 0.45 : 0.28)) return
  const count = random.weighted([
    [1, 50],
    [2, 32],
    [3, 18],
  ] as const)
  const firstSeen = Date.parse(customer.firstSeenAt)
  const pickSku = () => random.weighted(PRODUCT_WEIGHTS).sku
  const plans: Plan[] = []
  for (let n = 0; n < count; n++) plans.push(planConversation(random, times, firstSeen, now, pickSku))
  plans.sort((a, b) => a.at - b.at)
  for (let n = 0; n < plans.length; n++)
    yield buildConversation(random, customer, plans[n], n + 1, times, now)
}

function replyDelay(random: Random, channel: DemoChannel, handler: 'ai' | 'human'): number {
  if (channel === 'phone') return random.int(8, 60) * 1000
  if (handler === 'ai') return channel === 'email' ? random.int(60, 360) * 1000 : random.int(2, 40) * 1000
  if (channel === 'email') return random.float(HOUR, 20 * HOUR)
  if (channel === 'sms') return random.float(2 * MINUTE, 90 * MINUTE)
  return random.float(30_000, 15 * MINUTE)
}

function customerDelay(random: Random, channel: DemoChannel): number {
  if (channel === 'phone') return random.int(5, 40) * 1000
  if (channel === 'email') return random.float(HOUR, 30 * HOUR)
  if (channel === 'sms') return random.float(MINUTE, 40 * MINUTE)
  return random.float(15_000, 8 * MINUTE)
}

function replyKeyFor(intent: Intent, context: TextContext, at: number): ReplyKey {
  if (intent === 'cancel_order' && context.order !== null) {
    const cancelled = context.order.cancelled
    return cancelled !== null && cancelled >= at - HOUR ? 'cancel_order' : 'cancel_order:kept'
  }
  if (intent !== 'order_status' || context.order === null) return intent
  const state = stateAt(context, at)
  if (state === 'unshipped') return 'order_status:unshipped'
  return state === 'delivered' ? 'order_status:delivered' : 'order_status:transit'
}

/** What a customer says to the human after being handed over, given where their order stands. */
function issueAfterHandoff(random: Random, context: TextContext, at: number): Intent {
  const state = stateAt(context, at)
  if (state === null) return random.pick(['product_inquiry', 'account_login', 'price_promotion'] as const)
  if (state === 'unshipped') return random.pick(['order_status', 'cancel_order', 'change_address'] as const)
  if (state === 'transit') return 'order_status'
  if (state === 'late') return 'shipping_delay'
  return random.pick(['return_exchange', 'refund_request', 'after_sales_warranty', 'complaint'] as const)
}

function latestOrderBefore(times: readonly OrderTimes[], at: number): OrderTimes | null {
  let latest: OrderTimes | null = null
  for (const o of times) if (o.placed <= at && (latest === null || o.placed > latest.placed)) latest = o
  return latest
}

function buildConversation(
  random: Random,
  customer: DemoCustomer,
  plan: Plan,
  n: number,
  times: readonly OrderTimes[],
  now: number,
): DemoConversation {
  const language: Language = customer.attributes.preferredLanguage === 'en' ? 'en' : 'zh'
  const book: PhraseBook = language === 'zh' ? ZH_PHRASES : EN_PHRASES
  const traditional = language === 'zh' && (customer.locale === 'zh-TW' || customer.locale === 'zh-HK')
  const hongKong = customer.locale === 'zh-HK'
  const canMix = language === 'zh' || customer.address.country === 'CN' || customer.locale.startsWith('zh')
  const intent = plan.intent
  let channel = random.weighted(CHANNELS[language])
  if ((intent === 'human_agent' || intent === 'greeting') && (channel === 'phone' || channel === 'email'))
    channel = 'chat'
  const spoken = channel === 'phone'
  const isEmail = channel === 'email'
  // Phone calls reach people; about half the emails and a quarter of the chats are answered by people too.
  let handler: 'ai' | 'human' = spoken || random.chance(isEmail ? 0.55 : 0.25) ? 'human' : 'ai'
  if (intent === 'complaint' && channel !== 'phone' && random.chance(0.5)) handler = 'human'
  if (intent === 'human_agent') handler = 'ai'
  const order = plan.order ?? (intent === 'human_agent' ? latestOrderBefore(times, plan.at) : null)
  const context: TextContext = {
    random,
    language,
    customer,
    order,
    sku: plan.sku,
    agent: random.pick(book.agentNames),
    memo: {},
    handler,
  }

  const messages: DemoMessage[] = []
  let t = plan.at
  let lastReply: ReplyKey | null = null
  let prompt = ''
  const polish = (text: string) => finish(text, { traditional, spoken, language })

  const sayCustomer = (
    label: Intent,
    templates: SentimentTemplates,
    first: boolean,
    lead = '',
  ): DemoSentiment | null => {
    if (t > now || messages.length >= 6) return null
    const chosen = customerMessage(context, templates, t, PRE_DELIVERY.has(label))
    if (!chosen) return null
    if (lead)
      chosen.text =
        lead +
        (/^I\b/.test(chosen.text) ? chosen.text : chosen.text.charAt(0).toLowerCase() + chosen.text.slice(1))
    prompt = chosen.text
    let text =
      canMix && !spoken && random.chance(0.1)
        ? codeSwitch(random, chosen.text, language, {
            hongKong,
            greeting: label === 'greeting',
            negative: chosen.sentiment === 'negative',
          })
        : chosen.text
    if (isEmail && first) {
      const opening = frame(context, book.email.customerOpenings, t) ?? ''
      if (opening)
        text = text.replace(/^(?:(?:hi|hello|hey)(?: there)?[,!]?\s+|你好[，,]?\s*|您好[，,]?\s*)/iu, '')
      text = `${opening}${text}${frame(context, book.email.customerClosings, t) ?? ''}`
    }
    messages.push({
      direction: 'inbound',
      authorKind: 'customer',
      text: polish(text),
      sentAt: iso(t),
      label: { intent: label, sentiment: chosen.sentiment },
      language,
    })
    return chosen.sentiment
  }
  const sayAgent = (key: ReplyKey, intro: ReplyKey | null = null, topic: ReplyKey | null = null): boolean => {
    const delay = replyDelay(random, channel, handler)
    t =
      handler === 'human' && channel !== 'phone'
        ? nextBusinessMoment(t + delay, random.int(0, 40 * MINUTE))
        : t + delay
    if (t > now || messages.length >= 6) return false
    const options = { prompt, withoutAgentName: intro !== null }
    let text =
      (topic ? replyMessage(context, book.replies[topic], t, { ...options, onlyAnswers: true }) : null) ??
      replyMessage(context, book.replies[key], t, options) ??
      replyMessage(context, book.replies.follow_up, t, options) ??
      ''
    if (intro) text = `${replyMessage(context, book.replies[intro], t) ?? ''}${text}`
    if (isEmail) {
      text = text.replace(/^(亲，|亲～|您好，|您好！|亲亲，)/u, '')
      text = `${frame(context, book.email.agentOpenings, t) ?? ''}${text}${frame(context, book.email.agentClosings, t) ?? ''}`
    }
    messages.push({
      direction: 'outbound',
      authorKind: handler === 'ai' ? 'ai' : 'agent',
      text: polish(text),
      sentAt: iso(t),
      label: null,
      language,
    })
    lastReply = key
    return true
  }
  const customerTurn = () => {
    t += customerDelay(random, channel)
  }

  const chatty = channel === 'chat' || channel === 'sms' || channel === 'api'
  if (chatty && !LIGHT.has(intent) && intent !== 'human_agent' && random.chance(0.12)) {
    t = plan.at - random.int(40, 180) * 1000
    sayCustomer('greeting', book.customer.greeting, false)
    sayAgent('greeting')
    t += random.int(5, 60) * 1000
  }
  const mainSentiment = sayCustomer(intent, book.customer[intent], true) ?? 'neutral'
  let handedOff = false

  if (intent === 'greeting') {
    if (random.chance(0.8)) sayAgent('greeting')
  } else if (spoken || !random.chance(0.07)) {
    if (intent === 'human_agent') {
      handedOff = sayAgent('handoff')
      if (handedOff) handler = context.handler = 'human'
    } else {
      sayAgent(replyKeyFor(intent, context, t + MINUTE))
    }
    if (handedOff && random.chance(0.75)) {
      customerTurn()
      const issue = issueAfterHandoff(random, context, t)
      if (sayCustomer(issue, book.customer[issue], false))
        sayAgent(replyKeyFor(issue, context, t + MINUTE), 'human_intro')
    } else if (!handedOff && intent !== 'thanks_goodbye' && messages.length <= 4 && random.chance(0.5)) {
      const followUps = book.followUps[intent]
      const kind = random.weighted<string>([
        ['thanks', 16],
        ['praise', mainSentiment !== 'negative' && !LIGHT.has(intent) ? 8 : 0],
        ['handoff', handler === 'ai' && !LIGHT.has(intent) ? 12 : 0],
        ['complaint', mainSentiment === 'negative' && intent !== 'complaint' ? 10 : 0],
        ['same', followUps ? 30 : 0],
        ['another', LIGHT.has(intent) && intent !== 'out_of_scope' ? 0 : 25],
      ])
      customerTurn()
      if (kind === 'thanks') {
        if (sayCustomer('thanks_goodbye', book.customer.thanks_goodbye, false) && random.chance(0.6))
          sayAgent('closing')
      } else if (kind === 'praise') {
        if (sayCustomer('praise', book.customer.praise, false)) sayAgent('praise')
      } else if (kind === 'handoff') {
        if (sayCustomer('human_agent', book.customer.human_agent, false) && sayAgent('handoff'))
          handler = context.handler = 'human'
      } else if (kind === 'another') {
        const side = random.pick(SIDE_QUESTIONS.filter((candidate) => candidate !== intent))
        if (sayCustomer(side, book.customer[side], false, random.pick(SIDE_LEADS[language]))) {
          sayAgent(replyKeyFor(side, context, t + MINUTE))
        }
      } else if (kind === 'complaint') {
        if (sayCustomer('complaint', book.customer.complaint, false)) sayAgent('complaint')
      } else if (
        followUps &&
        sayCustomer(intent, followUps, false) &&
        sayAgent('follow_up', null, replyKeyFor(intent, context, t + MINUTE)) &&
        random.chance(0.4)
      ) {
        customerTurn()
        if (sayCustomer('thanks_goodbye', book.customer.thanks_goodbye, false) && random.chance(0.5))
          sayAgent('closing')
      }
    }
  }

  const last = messages[messages.length - 1]
  const age = now - Date.parse(last.sentAt)
  let status: DemoConversation['status']
  const signedOff = last.direction === 'inbound' && last.label?.intent === 'thanks_goodbye'
  if (signedOff) status = age > 3 * DAY ? 'closed' : 'resolved'
  else if (last.direction === 'inbound' || lastReply === 'handoff')
    status = age > 7 * DAY && random.chance(0.7) ? 'closed' : 'open'
  else if (age > 5 * DAY) status = random.chance(0.75) ? 'closed' : 'resolved'
  else status = random.chance(age > DAY ? 0.7 : 0.5) ? 'resolved' : 'pending'

  let priority: DemoConversation['priority'] = LIGHT.has(intent) ? 'low' : 'normal'
  const negativeMoney =
    ['shipping_delay', 'payment_issue', 'refund_request'].includes(intent) && mainSentiment === 'negative'
  if (intent === 'complaint' || (negativeMoney && random.chance(0.5))) priority = 'high'
  if (priority === 'normal' && customer.tier === 'vip') priority = 'high'
  const shouting = /!!!|！！！|[A-Z]{5,}/.test(messages.find((m) => m.direction === 'inbound')?.text ?? '')
  if (
    priority === 'high' &&
    (customer.tier === 'vip' || customer.tier === 'gold' || shouting) &&
    random.chance(0.4)
  )
    priority = 'urgent'

  const subject = isEmail ? frame(context, book.subjects[intent], plan.at) : null
  return {
    key: `${customer.key}-cv${n}`,
    customerKey: customer.key,
    channel,
    status,
    handler,
    priority,
    subject: subject === null ? null : polish(subject),
    createdAt: messages[0].sentAt,
    messages,
    orderKey: order?.order.key ?? null,
  }
}
