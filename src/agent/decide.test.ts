import { describe, expect, it } from 'vitest'
import { weeklyBusinessHours } from '../crm/conditions/index.js'
import { scoreUrgency } from '../nlp/index.js'
import { decide, type DecideOptions } from './decide.js'
import { DEFAULT_THRESHOLDS, EMPTY_CONTEXT, type KnowledgeHit } from './decision.js'
import type { Perception } from './perceive.js'
import { DEFAULT_POLICY_SET } from './policies/index.js'

const options: DecideOptions = {
  now: new Date('2026-11-25T04:00:00Z'),
  timeZone: 'Asia/Shanghai',
  businessHours: weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '21:00' }),
  baseCurrency: 'CNY',
  // every answer clears the answer threshold: what is tested here is which passage, and whether it may be sent
  thresholds: { ...DEFAULT_THRESHOLDS, answer: 0, approval: 0 },
}

/** A perception as `perceive` would give it, with the intent chosen by the test. */
function perception(text: string, language: 'zh' | 'en', intent: string, confidence: number): Perception {
  return {
    language,
    languageConfidence: 1,
    intent: { label: intent, confidence, alternatives: [{ label: intent, confidence }], evidence: [] },
    sentiment: { label: 'neutral', confidence: 0.9, score: 0, alternatives: [], evidence: [] },
    entities: [],
    redactedText: text,
    urgency: scoreUrgency({ intent, text }),
    length: text.length,
  }
}

function hit(externalId: string, overrides: Partial<KnowledgeHit> = {}): KnowledgeHit {
  return {
    articleId: `kb_${externalId}`,
    externalId,
    kind: 'article',
    title: externalId,
    passage: `What ${externalId} says. It says more about it.`,
    language: 'en',
    score: 10,
    strength: 0.8,
    crossLingual: false,
    intents: [],
    products: [],
    matchedTerms: [],
    supportedBy: null,
    linkedArticleId: null,
    titleMatch: 0,
    ...overrides,
  }
}

describe('decide', () => {
  it('cites the article an FAQ entry summarises, and does not count that FAQ as the runner-up', () => {
    const text = 'What time does live support open on weekends?'
    const hits = [
      hit('contact-us-en', { strength: 0.83, supportedBy: 'faq-human-en', titleMatch: 0.2 }),
      hit('faq-human-en', { kind: 'faq', strength: 0.83, linkedArticleId: 'kb_contact-us-en' }),
      hit('delivery-times-en', { strength: 0.4 }),
    ]
    const decision = decide(
      perception(text, 'en', 'product_inquiry', 0.4),
      EMPTY_CONTEXT,
      hits,
      DEFAULT_POLICY_SET,
      options,
      text,
    )
    expect(decision.action).toBe('answer')
    expect(decision.citations.map((citation) => citation.externalId)).toEqual(['contact-us-en'])
    // the margin is over the next article (0.83 − 0.4), not over the FAQ standing behind the primary
    expect(decision.signals?.margin).toBeCloseTo(0.43, 2)
    expect(decision.signals?.title).toBe(0.2)
  })

  it('still cites an FAQ entry that no article covers', () => {
    const text = 'is gift wrapping available for my order'
    const hits = [
      hit('faq-gift-wrap-en', { kind: 'faq', strength: 0.7 }),
      hit('payment-methods-en', { strength: 0.36 }),
    ]
    const decision = decide(
      perception(text, 'en', 'product_inquiry', 0.5),
      EMPTY_CONTEXT,
      hits,
      DEFAULT_POLICY_SET,
      options,
      text,
    )
    expect(decision.citations[0]?.externalId).toBe('faq-gift-wrap-en')
  })

  it('drafts for approval, never sends, an answer from a passage the intent alone made good enough', () => {
    const text = 'faulty kettle arrived 5 days ago, can i just get a new one'
    const hits = [
      hit('account-login-en', { strength: 0.46 }),
      hit('exchanges-en', { strength: 0.3, intents: ['return_exchange'] }),
    ]
    const decision = decide(
      perception(text, 'en', 'return_exchange', 0.67),
      EMPTY_CONTEXT,
      hits,
      DEFAULT_POLICY_SET,
      options,
      text,
    )
    expect(decision.citations[0]?.externalId).toBe('exchanges-en')
    expect(decision.action).toBe('answer_with_approval')
    expect(decision.explanation).toMatch(/weak/)
    // with a strong enough passage of its own the same answer is sent
    const strong = [hits[0], { ...hits[1], strength: 0.5 }]
    expect(
      decide(
        perception(text, 'en', 'return_exchange', 0.67),
        EMPTY_CONTEXT,
        strong,
        DEFAULT_POLICY_SET,
        options,
        text,
      ).action,
    ).toBe('answer')
  })

  it('greets back and asks how to help when a sure greeting asks nothing the knowledge base knows', () => {
    const text = '你好 请问有人吗'
    const hits = [
      hit('contact-us-zh', { language: 'zh', strength: 0.3 }),
      hit('coupons-en', { strength: 0.4 }),
    ]
    const decision = decide(
      perception(text, 'zh', 'greeting', 0.99),
      EMPTY_CONTEXT,
      hits,
      DEFAULT_POLICY_SET,
      options,
      text,
    )
    expect(decision.action).toBe('ask_clarifying')
    // a greeting followed by a question the knowledge base answers is answered
    const answered = decide(
      perception('你好 请问退款多久到账', 'zh', 'greeting', 0.99),
      EMPTY_CONTEXT,
      [hit('refunds-zh', { language: 'zh', strength: 0.9 })],
      DEFAULT_POLICY_SET,
      options,
      '你好 请问退款多久到账',
    )
    expect(answered.action).toBe('answer')
  })

  it('answers a question about the service hours from the contact article, and hands off a request for a person', () => {
    const contact = [hit('contact-us-zh', { language: 'zh', strength: 1, intents: ['human_agent'] })]
    const hours = decide(
      perception('人工客服几点上班啊', 'zh', 'human_agent', 1),
      EMPTY_CONTEXT,
      contact,
      DEFAULT_POLICY_SET,
      options,
      '人工客服几点上班啊',
    )
    expect(hours.action).toBe('answer')
    expect(hours.citations[0]?.externalId).toBe('contact-us-zh')
    const person = decide(
      perception('人工客服', 'zh', 'human_agent', 1),
      EMPTY_CONTEXT,
      contact,
      DEFAULT_POLICY_SET,
      options,
      '人工客服',
    )
    expect(person).toMatchObject({ action: 'hand_off', handOffReason: 'customer_asked_for_person' })
  })
})
