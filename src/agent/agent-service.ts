/**
 * The agent's reasoning loop for one message (issue 4, item 8): perceive → customer context → retrieve →
 * policies → decide → (optional) LLM draft → decision record. `respond` does it for any text without side
 * effects (anyone can try the agent); `handle` does it for a stored message and stores the record.
 */
import { redact, restore } from '../nlp/index.js'
import type { Clock } from '../core/index.js'
import type { BusinessHours } from '../crm/conditions/index.js'
import type { KnowledgeSearchHit, KnowledgeService } from '../knowledge/knowledge-service.js'
import { decide, replyLanguage } from './decide.js'
import {
  DEFAULT_THRESHOLDS,
  EMPTY_CONTEXT,
  type AgentThresholds,
  type CustomerContext,
  type Decision,
  type KnowledgeHit,
} from './decision.js'
import { draftReply } from './draft.js'
import type { LanguageModel } from './language-model.js'
import type { Perception } from './perceive.js'
import { DEFAULT_POLICY_SET, policySetSchema, type PolicySet } from './policies/index.js'

/** The stored state the agent reads and writes (implemented by `store/agent`). */
export interface AgentStore {
  activePolicySet(): Promise<{ version: number; document: unknown } | null>
  setting<T>(key: string): Promise<T | null>
  saveDecision(input: {
    messageId: string | null
    conversationId: string | null
    customerId: string | null
    action: string
    confidence: number
    intent: string | null
    sentiment: string | null
    handOffReason: string | null
    record: Record<string, unknown>
  }): Promise<{ id: string; createdAt: string }>
  conversationDecisions(
    conversationId: string,
    limit?: number,
  ): Promise<{ action: string; record: Record<string, unknown> }[]>
}

/** A stored message and the customer context around it. */
export interface MessageContext {
  readonly message: {
    readonly id: string
    readonly text: string
    readonly conversationId: string
    readonly customerId: string
    readonly channel: string
    readonly direction: string
  }
  readonly context: CustomerContext
}

export interface ContextSource {
  forMessage(messageId: string): Promise<MessageContext>
  forCustomer(customerId: string | null, channel: string): Promise<CustomerContext>
}

export interface AgentSettings {
  readonly timeZone: string
  readonly businessHours: BusinessHours
  readonly baseCurrency: string
}

export interface DecisionRecord {
  readonly messageId: string | null
  readonly conversationId: string | null
  readonly customerId: string | null
  readonly channel: string
  readonly perception: Perception
  readonly context: Record<string, unknown>
  readonly retrieval: {
    readonly query: string
    readonly queryLanguage: string
    readonly indexVersion: number
    readonly translatedTerms: readonly { readonly source: string; readonly target: string }[]
    readonly hits: readonly Omit<KnowledgeHit, 'passage'>[]
  }
  readonly rulesFired: readonly string[]
  readonly policyVersion: number | null
  readonly thresholds: AgentThresholds
  readonly decision: Decision
  readonly models: Readonly<Record<string, number | null>>
  readonly llm: {
    readonly used: boolean
    readonly provider?: string
    readonly model?: string
    readonly latencyMs?: number
    readonly fallbackReason?: string
  }
  readonly latencyMs: {
    readonly perceive: number
    readonly retrieve: number
    readonly decide: number
    readonly draft: number
    readonly total: number
  }
  readonly decidedAt: string
}

function toKnowledgeHit(hit: KnowledgeSearchHit): KnowledgeHit {
  return {
    articleId: hit.articleId,
    externalId: hit.externalId,
    kind: hit.kind,
    title: hit.title,
    passage: hit.passage,
    language: hit.articleLanguage,
    score: Math.round(hit.score * 1000) / 1000,
    strength: Math.round(hit.strength * 1000) / 1000,
    crossLingual: hit.crossLingual,
    intents: hit.intents,
    products: hit.products,
    matchedTerms: hit.matchedTerms,
    supportedBy: hit.supportedBy,
    linkedArticleId: hit.linkedArticleId,
    titleMatch: Math.round(hit.titleMatch * 1000) / 1000,
  }
}

function contextSummary(context: CustomerContext, decision: Decision): Record<string, unknown> {
  return {
    customer: context.customer
      ? {
          id: context.customer.id,
          tier: context.customer.tier,
          locale: context.customer.locale,
          lifetimeValue: context.customer.lifetimeValue,
        }
      : null,
    openOrders: context.openOrders.map((order) => ({
      id: order.id,
      number: order.number,
      status: order.status,
    })),
    orderInQuestion: decision.orderId,
    previousMessages: context.conversation?.previousMessages.length ?? 0,
    recentSentiment: context.recentSentiment,
    handler: context.conversation?.handler ?? null,
    consent: context.consent,
  }
}

export function createAgent(options: {
  perceive: (text: string, context: { customerName?: string }) => Promise<Perception>
  modelVersions: () => Readonly<Record<string, number | null>>
  knowledge: KnowledgeService
  store: AgentStore
  contexts: ContextSource
  settings: () => Promise<AgentSettings>
  clock: Clock
  llm?: LanguageModel | null
}) {
  const { knowledge, store, contexts, clock } = options

  async function policies(): Promise<{ set: PolicySet; version: number | null }> {
    const active = await store.activePolicySet()
    if (!active) return { set: DEFAULT_POLICY_SET, version: null }
    const parsed = policySetSchema.safeParse(active.document)
    return parsed.success
      ? { set: parsed.data, version: active.version }
      : { set: DEFAULT_POLICY_SET, version: null }
  }

  async function thresholds(): Promise<AgentThresholds> {
    const stored = await store.setting<Partial<AgentThresholds>>('thresholds')
    return { ...DEFAULT_THRESHOLDS, ...(stored ?? {}) }
  }

  /** Perceive, retrieve, decide and draft one text; pure of side effects. */
  async function reason(
    text: string,
    context: CustomerContext,
    ids: { messageId: string | null; conversationId: string | null; customerId: string | null },
    overrides: { thresholds?: AgentThresholds } = {},
  ): Promise<{ decision: Decision; record: DecisionRecord }> {
    const started = performance.now()
    const customerName = context.customer?.name ?? undefined
    const perception = await options.perceive(text, { customerName })
    const perceived = performance.now()

    // The answer to a clarifying question is read together with the question before it.
    const previous = context.conversation?.previousMessages ?? []
    const lastOutbound = [...previous].reverse().find((m) => m.direction === 'outbound')
    const lastInbound = [...previous].reverse().find((m) => m.direction === 'inbound')
    const clarifying = lastOutbound !== undefined && lastInbound !== undefined && ids.conversationId !== null
    let readAs = perception
    let query = perception.redactedText
    let answersOurQuestion = false
    if (clarifying && ids.conversationId) {
      const decisions = await store.conversationDecisions(ids.conversationId, 1)
      if (decisions[0]?.action === 'ask_clarifying' && lastInbound) {
        answersOurQuestion = true
        const combined = `${lastInbound.text}\n${text}`
        const combinedPerception = await options.perceive(combined, { customerName })
        query = combinedPerception.redactedText
        if ((perception.intent?.confidence ?? 0) < (combinedPerception.intent?.confidence ?? 0)) {
          readAs = {
            ...combinedPerception,
            entities: perception.entities,
            redactedText: perception.redactedText,
          }
        }
      }
    }

    // Passages in the customer's language first (the glossary can rank a translated match above them),
    // then the best of either language for topics the knowledge base has only in the other one.
    const language = replyLanguage(readAs, context, text)
    const [own, any] = await Promise.all([
      knowledge.search(query, { limit: 5, language }),
      knowledge.search(query, { limit: 5 }),
    ])
    const search = any
    const seen = new Set<string>()
    const hits = [...own.hits, ...any.hits]
      .filter((hit) => !seen.has(hit.articleId) && seen.add(hit.articleId))
      .map(toKnowledgeHit)
    const retrieved = performance.now()
    const [{ set, version: policyVersion }, tuned, settings] = await Promise.all([
      policies(),
      thresholds(),
      options.settings(),
    ])
    const useThresholds = overrides.thresholds ?? tuned
    let decision = decide(readAs, context, hits, set, {
      now: clock.now(),
      timeZone: settings.timeZone,
      businessHours: settings.businessHours,
      baseCurrency: settings.baseCurrency,
      thresholds: useThresholds,
    })
    if (answersOurQuestion && decision.action === 'ask_clarifying') {
      // never the same question twice: a person takes it from here
      decision = {
        ...decision,
        action: 'hand_off',
        handOffReason: 'low_confidence',
        explanation: `${decision.explanation}; the customer already answered a clarifying question, so a person takes over`,
      }
    }
    const decided = performance.now()

    let llm: DecisionRecord['llm'] = { used: false }
    if (
      options.llm &&
      (decision.action === 'answer' || decision.action === 'answer_with_approval') &&
      decision.reply
    ) {
      const passages = hits
        .filter((hit) => hit.strength >= useThresholds.minStrength)
        .slice(0, 3)
        .map((hit, index) => ({
          index: index + 1,
          externalId: hit.externalId,
          articleId: hit.articleId,
          title: hit.title,
          passage: hit.passage,
          score: hit.strength,
        }))
      const outcome = await draftReply(
        {
          language: decision.language,
          customerName,
          customerText: text,
          intent: readAs.intent?.label ?? 'unknown',
          fallbackReply: decision.reply,
          passages,
          facts: decision.facts,
        },
        { model: options.llm, redact, restore },
      )
      llm = outcome.llm
      if (outcome.llm.used && outcome.citedIndexes.length > 0) {
        decision = {
          ...decision,
          reply: outcome.reply,
          citations: outcome.citedIndexes
            .map((index) => passages.find((passage) => passage.index === index))
            .filter((passage) => passage !== undefined)
            .map((passage) => ({
              externalId: passage.externalId,
              articleId: passage.articleId,
              title: passage.title,
              passage: passage.passage,
              score: passage.score,
            })),
          explanation: `${decision.explanation}; reply drafted by ${outcome.llm.model ?? 'the LLM'} from the cited passages`,
        }
      } else if (!outcome.llm.used) {
        decision = {
          ...decision,
          explanation: `${decision.explanation}; LLM not used (${outcome.llm.fallbackReason ?? 'fallback'})`,
        }
      }
    }
    const drafted = performance.now()
    const round = (value: number) => Math.round(value * 1000) / 1000
    const record: DecisionRecord = {
      ...ids,
      channel: context.channel,
      perception,
      context: contextSummary(context, decision),
      retrieval: {
        query,
        queryLanguage: search.queryLanguage,
        indexVersion: search.indexVersion,
        translatedTerms: search.translatedTerms,
        hits: hits.map(({ passage: _passage, ...hit }) => hit),
      },
      rulesFired: decision.rulesFired,
      policyVersion,
      thresholds: useThresholds,
      decision,
      models: options.modelVersions(),
      llm,
      latencyMs: {
        perceive: round(perceived - started),
        retrieve: round(retrieved - perceived),
        decide: round(decided - retrieved),
        draft: round(drafted - decided),
        total: round(drafted - started),
      },
      decidedAt: clock.now().toISOString(),
    }
    return { decision, record }
  }

  /** A decision for any text, without side effects (`POST /api/v1/agent/respond`). */
  async function respond(
    input: { text: string; customerId?: string | null; channel?: string },
    overrides: { thresholds?: AgentThresholds } = {},
  ) {
    const channel = input.channel ?? 'api'
    const context = input.customerId
      ? await contexts.forCustomer(input.customerId, channel)
      : { ...EMPTY_CONTEXT, channel }
    return reason(
      input.text,
      context,
      { messageId: null, conversationId: null, customerId: input.customerId ?? null },
      overrides,
    )
  }

  /** Handles a stored inbound message: decides and stores its decision record. */
  async function handle(messageId: string) {
    const { message, context } = await contexts.forMessage(messageId)
    const result = await reason(message.text, context, {
      messageId: message.id,
      conversationId: message.conversationId,
      customerId: message.customerId,
    })
    const stored = await store.saveDecision({
      messageId: message.id,
      conversationId: message.conversationId,
      customerId: message.customerId,
      action: result.decision.action,
      confidence: result.decision.confidence,
      intent: result.record.perception.intent?.label ?? null,
      sentiment: result.record.perception.sentiment?.label ?? null,
      handOffReason: result.decision.handOffReason,
      record: result.record as unknown as Record<string, unknown>,
    })
    return { ...result, id: stored.id }
  }

  return { respond, handle, policies, thresholds }
}

export type Agent = ReturnType<typeof createAgent>
