/**
 * The reasoner's decision for one message (issue 4, item 4): answer from the knowledge base (and the
 * customer's own orders), draft an answer for approval, ask a clarifying question, hand off to a person,
 * or stay quiet — with a confidence, citations and an explanation. Pure: everything it needs is passed in.
 *
 * Order of precedence:
 * 1. a message with no words → no reply;
 * 2. policy rules (hand off / no reply win outright; approval caps the action), and an explicit request
 *    for a person (the intent or an unambiguous cue such as 转人工 / "talk to a human") → hand off;
 * 3. thanks and goodbyes → no reply; a bare greeting → a greeting that asks how to help;
 * 4. questions about the customer's own orders → facts from their orders (which order? → ask);
 * 5. knowledge: the best passage in the customer's language, else the other language (lead-in plus quote
 *    for approval, or hand off `no_knowledge_in_language`, per `thresholds.crossLingual`); the confidence
 *    is a logistic model over retrieval strength, the margin over the next article, agreement with the
 *    intent read in the message and how much the message says (`confidence.ts`; `agent calibrate` fits
 *    it); `thresholds.answer` / `thresholds.approval` split answer, approval and hand-off;
 * 6. nothing good enough → ask when the message is too vague to search, else hand off.
 */
import { evaluatePolicies, type PolicyEvaluation, type PolicySet } from './policies/index.js'
import type { BusinessHours } from '../crm/conditions/index.js'
import type { Perception } from './perceive.js'
import { DEFAULT_CONFIDENCE_MODEL, answerSignals, confidenceOf, type Signals } from './confidence.js'
import {
  DEFAULT_THRESHOLDS,
  type AgentThresholds,
  type Citation,
  type CustomerContext,
  type Decision,
  type DecisionAction,
  type HandOffReason,
  type KnowledgeHit,
  type OrderSummary,
} from './decision.js'
import {
  CLARIFY,
  HAND_OFF_NOTE,
  closing,
  crossLingualLeadIn,
  orderFacts,
  quotePassage,
  salutation,
  type ReplyLanguage,
} from './reply.js'

export interface DecideOptions {
  readonly now: Date
  readonly timeZone: string
  readonly businessHours: BusinessHours
  readonly baseCurrency: string
  readonly thresholds?: AgentThresholds
}

/** Intents whose answer states facts from the customer's own orders. */
const ORDER_FACT_INTENTS = new Set(['order_status', 'shipping_delay'])
/** Intents where the order in question is worth naming next to the policy passage. */
const ORDER_RELATED_INTENTS = new Set([
  'order_status',
  'shipping_delay',
  'cancel_order',
  'change_address',
  'refund_request',
  'return_exchange',
])
const CLOSING_INTENTS = new Set(['thanks_goodbye', 'praise'])
/** Intents that say nothing about which article answers (they route nowhere). */
const GENERIC_INTENTS = new Set([
  'greeting',
  'thanks_goodbye',
  'praise',
  'complaint',
  'human_agent',
  'out_of_scope',
])
/** Intent confidence from which retrieval is routed to the intent's articles. */
const ROUTING_CONFIDENCE = 0.8
/**
 * How much an article written for the intent read in the message gains in a close call (× the intent's
 * confidence, on the 0–1 strength scale).
 */
const INTENT_PRIOR = 0.25
/**
 * Intent confidence from which an article written for that intent counts as knowledge from half the least
 * strength (`thresholds.minStrength`): the customer's words and the intent agree on it.
 */
const LEANING_CONFIDENCE = 0.5

/** Unambiguous requests for a person, in Chinese and English. */
const PERSON_CUE =
  /转人工|人工客服|人工服务|找人工|要人工|真人客服|真人|活人|客服经理|找你们经理|\b(?:human|real person|live agent|live person|representative|someone real)\b|\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:a |an |some)?(?:person|agent|someone|manager|supervisor|human)/i
/** …unless the message asks about the service itself (its hours, how to reach it). */
const ABOUT_THE_SERVICE =
  /几点|什么时候|时间|营业|上班|下班|电话是|号码|\b(?:hours|what time|when does|when do|open|phone number)\b/i

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value))
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/** The language of the reply: the message's, else the customer's locale, else Chinese. */
export function replyLanguage(perception: Perception, context: CustomerContext, text: string): ReplyLanguage {
  if (perception.language === 'zh' || perception.language === 'en') return perception.language
  if (perception.language === 'mixed') return /\p{Script=Han}/u.test(text) ? 'zh' : 'en'
  const locale = context.customer?.locale ?? ''
  return locale.startsWith('en') ? 'en' : 'zh'
}

/** The facts policies are evaluated on (see `policyFieldCatalogue`). */
export function decisionFacts(
  perception: Perception,
  context: CustomerContext,
  text: string,
  order: OrderSummary | null,
) {
  const amounts = perception.entities
    .filter((entity) => entity.type === 'amount' && entity.normalized)
    .map((entity) => entity.normalized as { amount: number; currency: string })
    .sort((a, b) => b.amount - a.amount)
  const customer = context.customer
  return {
    intent: perception.intent?.label,
    'intent.confidence': perception.intent?.confidence,
    sentiment: perception.sentiment?.label,
    'sentiment.score': perception.sentiment?.score,
    urgency: perception.urgency.score,
    'urgency.level': perception.urgency.level,
    'urgency.cues': perception.urgency.cues,
    language: perception.language,
    channel: context.channel,
    'entities.types': [...new Set(perception.entities.map((entity) => entity.type))],
    amount: amounts[0],
    text,
    'customer.tier': customer?.tier,
    'customer.tags': customer?.tags,
    'customer.lifetime_value': customer?.lifetimeValue,
    'customer.open_orders': customer ? context.openOrders.length : undefined,
    'customer.attributes': customer?.attributes,
    'order.status': order?.status,
    'order.total': order?.total,
  }
}

/** The order a message is about: the one it names, else the only open one; `ambiguous` with several. */
export function orderInQuestion(
  perception: Perception,
  context: CustomerContext,
): { order: OrderSummary | null; ambiguous: boolean } {
  const known = [...context.openOrders, ...context.recentOrders]
  const named = perception.entities
    .filter((entity) => entity.type === 'order_number')
    .map((entity) =>
      String(entity.normalized ?? entity.value)
        .toUpperCase()
        .replace(/\s+/g, ''),
    )
  for (const number of named) {
    const order = known.find((o) => o.number.toUpperCase().replace(/\s+/g, '') === number)
    if (order) return { order, ambiguous: false }
  }
  if (named.length > 0) return { order: null, ambiguous: false }
  if (context.openOrders.length === 1) return { order: context.openOrders[0], ambiguous: false }
  if (context.openOrders.length > 1) return { order: null, ambiguous: true }
  return { order: context.recentOrders[0] ?? null, ambiguous: false }
}

/** How much a message says, in Chinese-character equivalents (an English word counts 1.6). */
export function messageSize(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0
  const words = text.match(/[A-Za-z]{2,}/g)?.length ?? 0
  return han + words * 1.6
}

/** Too little to search on: a few words, no order number, no product. */
export function isVague(perception: Perception, text: string): boolean {
  if (perception.entities.some((entity) => entity.type === 'order_number' || entity.type === 'product'))
    return false
  return messageSize(text) <= 5
}

interface Draft {
  signals?: Signals
  action: DecisionAction
  confidence: number
  reply: string | null
  citations: Citation[]
  handOffReason: HandOffReason | null
  why: string[]
  facts: string[]
  orderId: string | null
}

function citation(hit: KnowledgeHit, passage: string): Citation {
  return {
    externalId: hit.externalId,
    articleId: hit.articleId,
    title: hit.title,
    passage,
    score: round(hit.strength),
  }
}

/**
 * Decide what to do with one message. `hits` are the knowledge-base hits, best first (any language).
 *
 * @example
 *   decide(perception, context, hits, DEFAULT_POLICY_SET, { now, timeZone: 'Asia/Shanghai', businessHours, baseCurrency: 'CNY' })
 *   // → { action: 'answer', confidence: 0.81, reply: '您好，…', citations: [{ externalId: 'refunds-zh', … }], … }
 */
export function decide(
  perception: Perception,
  context: CustomerContext,
  hits: readonly KnowledgeHit[],
  policies: PolicySet,
  options: DecideOptions,
  text: string = perception.redactedText,
): Decision {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS
  const language = replyLanguage(perception, context, text)
  const name = context.customer?.name ?? null
  const intent = perception.intent
  const intentText = intent ? `intent ${intent.label} (${intent.confidence.toFixed(2)})` : 'no intent'
  const { order, ambiguous } = orderInQuestion(perception, context)
  const evaluation: PolicyEvaluation = evaluatePolicies(
    policies,
    decisionFacts(perception, context, text, order),
    {
      now: options.now,
      timeZone: options.timeZone,
      businessHours: options.businessHours,
      baseCurrency: options.baseCurrency,
    },
  )
  const rulesFired = evaluation.fired.map((rule) => rule.name)

  const finish = (draft: Draft): Decision => ({
    action: draft.action,
    confidence: round(clamp(draft.confidence)),
    reply: draft.reply,
    citations: draft.citations,
    handOffReason: draft.handOffReason,
    rulesFired,
    explanation: draft.why.join('; '),
    language,
    facts: draft.facts,
    orderId: draft.orderId,
    ...(draft.signals ? { signals: draft.signals } : {}),
  })
  const handOff = (reason: HandOffReason, confidence: number, why: string[]): Decision =>
    finish({
      action: 'hand_off',
      confidence,
      reply: `${salutation(language, name)}${language === 'zh' ? '' : ' '}${HAND_OFF_NOTE[language]}`,
      citations: [],
      handOffReason: reason,
      why,
      facts: [],
      orderId: order?.id ?? null,
    })
  const ask = (question: string, confidence: number, why: string[]): Decision =>
    finish({
      action: 'ask_clarifying',
      confidence,
      reply: `${salutation(language, name)}${language === 'zh' ? '' : ' '}${question}`,
      citations: [],
      handOffReason: null,
      why,
      facts: [],
      orderId: null,
    })

  // 1. nothing to read
  if (
    !/[\p{L}\p{N}]/u.test(text) ||
    (intent === null && perception.entities.length === 0 && text.trim().length === 0)
  ) {
    return finish({
      action: 'no_reply',
      confidence: 1,
      reply: null,
      citations: [],
      handOffReason: null,
      why: ['the message has no words to answer (empty, or only emoji and punctuation)'],
      facts: [],
      orderId: null,
    })
  }

  // 2. policies and explicit requests for a person
  const decidedBy = evaluation.decidedBy
  if (evaluation.effect === 'hand_off' && decidedBy) {
    return handOff(decidedBy.reason as HandOffReason, 1, [
      `policy "${decidedBy.name}" hands off (${decidedBy.reason})${decidedBy.note ? `: ${decidedBy.note}` : ''}`,
      intentText,
    ])
  }
  if (PERSON_CUE.test(text) && !ABOUT_THE_SERVICE.test(text)) {
    return handOff('customer_asked_for_person', 1, ['the customer asked for a person', intentText])
  }
  if (evaluation.effect === 'no_reply' && decidedBy) {
    return finish({
      action: 'no_reply',
      confidence: 1,
      reply: null,
      citations: [],
      handOffReason: null,
      why: [`policy "${decidedBy.name}" says not to reply`],
      facts: [],
      orderId: null,
    })
  }
  const capped = evaluation.effect === 'answer_with_approval' || evaluation.effect === 'block_auto_answer'

  // 3. closings and greetings
  // An FAQ entry that summarises an article among the hits stands behind that article (the article carries
  // its match): it is neither a candidate of its own nor the runner-up.
  const present = new Set(hits.map((hit) => hit.articleId))
  const candidates = hits.filter((hit) => !(hit.linkedArticleId && present.has(hit.linkedArticleId)))
  const usable = candidates.filter((hit) => hit.strength >= thresholds.minStrength)
  const strong = hits.some((hit) => hit.strength >= 0.6)
  if (
    intent &&
    CLOSING_INTENTS.has(intent.label) &&
    intent.confidence >= 0.5 &&
    (!strong || messageSize(text) <= 8)
  ) {
    return finish({
      action: 'no_reply',
      confidence: intent.confidence,
      reply: null,
      citations: [],
      handOffReason: null,
      why: [`${intentText}: the customer is closing the conversation, nothing to answer`],
      facts: [],
      orderId: null,
    })
  }
  // a greeting, or a sure one that asks nothing the knowledge base knows ("你好 请问有人吗")
  const greeting =
    intent?.label === 'greeting' &&
    ((intent.confidence >= 0.55 && isVague(perception, text)) ||
      (intent.confidence >= 0.9 &&
        !candidates.some((hit) => hit.language === language && hit.strength >= 0.5)))
  if (greeting) {
    return ask(CLARIFY.greeting[language], intent.confidence, [
      `${intentText}: a greeting without a question`,
    ])
  }

  // A few words and no clear intent ("it doesn't work", "连不上"): ask before guessing.
  if (isVague(perception, text) && (intent === null || intent.confidence < 0.5)) {
    return ask(CLARIFY.vague[language], 0.5, [intentText, 'the message is too short and unclear to answer'])
  }

  // 4. the customer's own orders
  const facts: string[] = []
  let factOrder: OrderSummary | null = null
  const aboutOrders = intent !== null && intent.confidence >= 0.5 && ORDER_RELATED_INTENTS.has(intent.label)
  if (aboutOrders && context.customer) {
    if (ambiguous && ORDER_FACT_INTENTS.has(intent.label)) {
      return ask(CLARIFY.whichOrder[language], intent.confidence, [
        `${intentText}: the customer has ${context.openOrders.length} open orders and named none`,
      ])
    }
    if (order) {
      factOrder = order
      facts.push(orderFacts(order, language, options.timeZone))
    }
  }

  // 5. knowledge
  // Intent-routed retrieval: when the intent model is sure, the best passage of an article written for
  // that intent is the answer (an FAQ entry or another article that merely shares words is not); else the
  // strongest passage, an article winning a close call.
  const prior = (hit: KnowledgeHit) =>
    hit.strength + (intent && hit.intents.includes(intent.label) ? INTENT_PRIOR * intent.confidence : 0)
  const ranked = (list: readonly KnowledgeHit[]) => [...list].sort((a, b) => prior(b) - prior(a))
  const routed =
    intent && intent.confidence >= ROUTING_CONFIDENCE && !GENERIC_INTENTS.has(intent.label)
      ? candidates.filter(
          (hit) => hit.intents.includes(intent.label) && hit.strength >= thresholds.minStrength * 0.5,
        )
      : []
  // an article written for the intent read in the message counts from half the usual strength
  const leaning =
    intent && intent.confidence >= LEANING_CONFIDENCE && !GENERIC_INTENTS.has(intent.label)
      ? candidates.filter(
          (hit) =>
            hit.intents.includes(intent.label) &&
            hit.strength >= thresholds.minStrength * 0.5 &&
            hit.strength < thresholds.minStrength,
        )
      : []
  const pool = [...usable, ...leaning]
  const sameLanguage = ranked(pool.filter((hit) => hit.language === language))
  const routedSameLanguage = ranked(routed.filter((hit) => hit.language === language))
  const primary = routedSameLanguage[0] ?? sameLanguage[0] ?? ranked(routed)[0] ?? ranked(pool)[0] ?? null
  const why: string[] = [intentText]
  if (rulesFired.length > 0) why.push(`rules fired: ${rulesFired.join(', ')}`)

  if (!primary) {
    if (factOrder && ORDER_FACT_INTENTS.has(intent?.label ?? '')) {
      const confidence = (intent?.confidence ?? 0) * 0.9
      const action: DecisionAction =
        capped || confidence < thresholds.answer ? 'answer_with_approval' : 'answer'
      return finish({
        action: confidence < thresholds.approval ? 'answer_with_approval' : action,
        confidence,
        reply: `${salutation(language, name)}${language === 'zh' ? '' : ' '}${facts.join(' ')} ${closing(language)}`,
        citations: [],
        handOffReason: null,
        why: [...why, `answered from order ${factOrder.number}; no knowledge passage needed`],
        facts,
        orderId: factOrder.id,
      })
    }
    if (aboutOrders && !context.customer && ORDER_FACT_INTENTS.has(intent?.label ?? '')) {
      return ask(CLARIFY.orderNumber[language], intent?.confidence ?? 0, [
        ...why,
        'about an order, but the customer and the order are unknown',
      ])
    }
    const best = hits[0]
    const weak = best
      ? `best passage "${best.title}" is too weak (strength ${best.strength.toFixed(2)})`
      : 'no passage matched'
    if (isVague(perception, text))
      return ask(CLARIFY.vague[language], 0.5, [...why, weak, 'the message is too vague to search'])
    return handOff('no_knowledge', 0.5, [...why, weak])
  }

  const runnerUp = usable.find((hit) => hit.articleId !== primary.articleId) ?? null
  const signals = answerSignals(primary, runnerUp, perception, messageSize(text), routed.includes(primary))
  const confidence = confidenceOf(signals, thresholds.confidenceModel ?? DEFAULT_CONFIDENCE_MODEL)
  why.push(
    `primary passage "${primary.title}"${primary.externalId ? ` [${primary.externalId}]` : ''} (strength ${primary.strength.toFixed(2)}${primary.crossLingual ? ', other language' : ''})`,
  )
  if (primary.language !== language && thresholds.crossLingual === 'hand_off') {
    return handOff('no_knowledge_in_language', confidence, [
      ...why,
      'the only good passage is in the other language',
    ])
  }
  if (intent && intent.label === 'out_of_scope' && intent.confidence >= 0.7 && primary.strength < 0.6) {
    return handOff('no_knowledge', confidence, [
      ...why,
      'the message reads as out of scope and the passage is weak',
    ])
  }
  if (confidence < thresholds.approval) {
    if (isVague(perception, text))
      return ask(CLARIFY.vague[language], confidence, [
        ...why,
        `confidence ${confidence.toFixed(2)} is low and the message is vague`,
      ])
    return handOff('low_confidence', confidence, [
      ...why,
      `confidence ${confidence.toFixed(2)} < approval threshold ${thresholds.approval}`,
    ])
  }
  let action: DecisionAction = confidence >= thresholds.answer ? 'answer' : 'answer_with_approval'
  if (capped) action = 'answer_with_approval'
  if (primary.language !== language) action = 'answer_with_approval'
  // a passage admitted only because the intent points to its article is never sent unreviewed
  const weak = primary.strength < thresholds.minStrength
  if (weak) action = 'answer_with_approval'
  if (action === 'answer_with_approval')
    why.push(
      capped
        ? `a policy asks for approval`
        : primary.language !== language
          ? 'the passage is in the other language: drafted for approval'
          : weak
            ? `the passage is weak (strength ${primary.strength.toFixed(2)} < ${thresholds.minStrength}): drafted for approval`
            : `confidence ${confidence.toFixed(2)} < answer threshold ${thresholds.answer}: drafted for approval`,
    )

  const quote = quotePassage(primary.passage, primary.matchedTerms)
  const body = primary.language === language ? quote : `${crossLingualLeadIn(language)}\n“${quote}”`
  const parts = [salutation(language, name), ...facts, body, closing(language)]
  const reply = language === 'zh' ? parts.join('') : parts.join(' ')
  return finish({
    action,
    confidence,
    signals,
    reply,
    citations: [citation(primary, quote)],
    handOffReason: null,
    why,
    facts,
    orderId: factOrder?.id ?? null,
  })
}
