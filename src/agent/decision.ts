/**
 * What the reasoner decides about one message, and what it decides from: the customer context, the
 * knowledge-base hits and the thresholds. Shapes of `Decision` and `Citation` are in CONTRACTS
 * (`POST /api/v1/agent/respond`).
 */
import type { Money } from '../core/index.js'

export const DECISION_ACTIONS = [
  'answer',
  'answer_with_approval',
  'ask_clarifying',
  'hand_off',
  'no_reply',
] as const
export type DecisionAction = (typeof DECISION_ACTIONS)[number]

export const HAND_OFF_REASONS = [
  'low_confidence',
  'no_knowledge',
  'no_knowledge_in_language',
  'customer_asked_for_person',
  'negative_high_value',
  'policy',
  'sensitive_topic',
  'outside_business_hours',
] as const
export type HandOffReason = (typeof HAND_OFF_REASONS)[number]

export interface Citation {
  readonly externalId: string | null
  readonly articleId: string
  readonly title: string
  /** The passage the reply quotes or paraphrases. */
  readonly passage: string
  /** Retrieval match strength in [0, 1]. */
  readonly score: number
}

export interface Decision {
  readonly action: DecisionAction
  /** Calibrated-ish confidence in [0, 1] that the action is right (see `decide`). */
  readonly confidence: number
  /** The reply in the customer's language (a draft for `answer_with_approval`, a note for `hand_off`). */
  readonly reply: string | null
  /** Ordered; the first is the primary one; only passages the reply uses. */
  readonly citations: readonly Citation[]
  readonly handOffReason: HandOffReason | null
  /** Names of the policy rules that fired. */
  readonly rulesFired: readonly string[]
  /** A sentence a supervisor can read: why the agent did this. */
  readonly explanation: string
  /** The language the reply is in. */
  readonly language: 'zh' | 'en'
  /** Facts from the customer's own records the reply states. */
  readonly facts: readonly string[]
  /** The order the reply is about, when one. */
  readonly orderId: string | null
  /** What the answer confidence was computed from (answers only). */
  readonly signals?: Readonly<Record<string, number>>
}

/** One knowledge-base hit as the reasoner sees it: the best chunk of an article, with its record. */
export interface KnowledgeHit {
  readonly articleId: string
  readonly externalId: string | null
  readonly kind: 'article' | 'faq'
  readonly title: string
  readonly passage: string
  readonly language: 'zh' | 'en'
  readonly score: number
  /** In [0, 1]: the share of the query's weight the chunk matched. */
  readonly strength: number
  /** True when the article is in the other language and was found through the glossary. */
  readonly crossLingual: boolean
  readonly intents: readonly string[]
  readonly products: readonly string[]
  readonly matchedTerms: readonly string[]
  /** For an article: the FAQ entry whose match it carries (see the knowledge service); else null. */
  readonly supportedBy?: string | null
  /** For an FAQ entry: the article it summarises (internal id); such an FAQ stands behind that article. */
  readonly linkedArticleId?: string | null
  /** In [0, 1]: how much of the query the record's title and tags cover (0 when unknown). */
  readonly titleMatch?: number
}

export interface OrderSummary {
  readonly id: string
  readonly number: string
  readonly status: string
  readonly paymentStatus: string | null
  readonly carrier: string | null
  readonly trackingNumber: string | null
  readonly placedAt: string
  readonly shippedAt: string | null
  readonly expectedAt: string | null
  readonly deliveredAt: string | null
  readonly total: Money
  readonly items: readonly { readonly name: string; readonly quantity: number }[]
}

export interface ContextMessage {
  readonly direction: 'inbound' | 'outbound'
  readonly authorKind: string
  readonly text: string
  readonly at: string
}

/** The compact snapshot of a customer the reasoner works from (issue 4, item 3). */
export interface CustomerContext {
  readonly customer: {
    readonly id: string
    readonly name: string | null
    readonly locale: string
    readonly tier: string
    readonly tags: readonly string[]
    readonly attributes: Readonly<Record<string, unknown>>
    readonly lifetimeValue: Money
  } | null
  readonly openOrders: readonly OrderSummary[]
  readonly recentOrders: readonly OrderSummary[]
  readonly conversation: {
    readonly id: string
    readonly status: string
    readonly handler: string
    /** The messages before this one, oldest first (at most a handful). */
    readonly previousMessages: readonly ContextMessage[]
  } | null
  /** Sentiment of the customer's previous messages, most recent first. */
  readonly recentSentiment: readonly { readonly label: string; readonly score: number }[]
  readonly consent: Readonly<Record<string, boolean>>
  readonly channel: string
}

export const EMPTY_CONTEXT: CustomerContext = Object.freeze({
  customer: null,
  openOrders: [],
  recentOrders: [],
  conversation: null,
  recentSentiment: [],
  consent: {},
  channel: 'api',
})

/** A logistic model of the answer confidence over named signals (see `confidence.ts`). */
export interface ConfidenceModel {
  readonly bias: number
  readonly weights: Readonly<Record<string, number>>
}

/** Thresholds of the decision, tuned by `agent calibrate`. */
export interface AgentThresholds {
  /** Confidence at or above which an answer is sent without approval. */
  readonly answer: number
  /** Confidence at or above which an answer is drafted for approval (below: hand off, low confidence). */
  readonly approval: number
  /** Least retrieval strength for a passage to count as knowledge at all. */
  readonly minStrength: number
  /** What to do when the only good passage is in the other language. */
  readonly crossLingual: 'answer_with_approval' | 'hand_off'
  /** The answer-confidence model (`agent calibrate` fits it); the built-in one when absent. */
  readonly confidenceModel?: ConfidenceModel
}

export const DEFAULT_THRESHOLDS: AgentThresholds = Object.freeze({
  answer: 0.62,
  approval: 0.45,
  minStrength: 0.35,
  crossLingual: 'answer_with_approval',
})
