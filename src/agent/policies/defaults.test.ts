import { describe, expect, it } from 'vitest'
import { weeklyBusinessHours, type ConditionOptions, type Facts } from '../../crm/conditions/index.js'
import { scoreUrgency } from '../../nlp/index.js'
import { policyFieldCatalogue } from './catalogue.js'
import { DEFAULT_POLICY_SET } from './defaults.js'
import { evaluatePolicies } from './evaluate-policies.js'
import { parsePolicyFile } from './parse.js'

const catalogue = policyFieldCatalogue([])
const options: ConditionOptions = {
  now: new Date('2026-11-25T02:00:00Z'),
  timeZone: 'Asia/Shanghai',
  businessHours: weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '21:00' }),
  baseCurrency: 'CNY',
  catalogue,
}

interface Message {
  text: string
  intent: string
  sentiment?: 'positive' | 'neutral' | 'negative'
  tier?: string
  amount?: { amount: number; currency: string }
  orderTotal?: { amount: number; currency: string }
}

/** The facts the agent would hand the policies for a message (urgency from the real scorer). */
function factsOf(message: Message): Facts {
  const sentiment = message.sentiment ?? 'neutral'
  const score = sentiment === 'negative' ? -0.8 : sentiment === 'positive' ? 0.8 : 0
  const urgency = scoreUrgency({
    intent: message.intent,
    sentiment: { label: sentiment, score },
    text: message.text,
  })
  return {
    text: message.text,
    intent: message.intent,
    'intent.confidence': 0.9,
    sentiment,
    'sentiment.score': score,
    urgency: urgency.score,
    'urgency.level': urgency.level,
    'urgency.cues': urgency.cues,
    amount: message.amount,
    customer: { tier: message.tier ?? 'standard' },
    order: { total: message.orderTotal },
  }
}

const decide = (message: Message) => evaluatePolicies(DEFAULT_POLICY_SET, factsOf(message), options)

describe('DEFAULT_POLICY_SET', () => {
  it('is a valid policy file against the built-in catalogue', () => {
    expect(parsePolicyFile(JSON.stringify(DEFAULT_POLICY_SET), 'json', catalogue)).toEqual(DEFAULT_POLICY_SET)
  })

  it('hands legal and regulator threats to a person, in Chinese and English', () => {
    for (const text of [
      '再不退款我就找律师',
      '我要打12315投诉你们',
      '我要去法院起诉你们',
      'I will sue you',
      'my lawyer will call',
      'I filed a chargeback',
    ]) {
      const result = decide({ text, intent: 'refund_request' })
      expect(result.effect, text).toBe('hand_off')
      expect(result.decidedBy?.reason, text).toBe('sensitive_topic')
    }
  })

  it('does not read "issue" or "pursue" as a lawsuit', () => {
    for (const text of ['I have an issue with my order', 'we will pursue the delivery']) {
      expect(decide({ text, intent: 'order_status' }).effect, text).toBeNull()
    }
  })

  it('hands off a customer who asks for a person', () => {
    expect(decide({ text: '转人工', intent: 'human_agent' }).decidedBy).toMatchObject({
      name: 'customer-asked-for-person',
      action: 'hand_off',
      reason: 'customer_asked_for_person',
    })
  })

  it('lets the contact article answer questions about the service hours, unless a transfer is asked for', () => {
    for (const text of ['人工客服几点上班啊', 'What time does live support open?', '客服电话多少']) {
      expect(decide({ text, intent: 'human_agent' }).effect, text).toBeNull()
    }
    for (const text of [
      '转人工 你们几点下班',
      'talk to a human, what time do you close',
      '人工客服',
      'HUMAN',
    ]) {
      expect(decide({ text, intent: 'human_agent' }).decidedBy?.name, text).toBe('customer-asked-for-person')
    }
  })

  it('hands off an unhappy VIP, but not an unhappy gold customer asking about shipping', () => {
    const vip = decide({ text: '又晚了', intent: 'shipping_delay', sentiment: 'negative', tier: 'vip' })
    expect(vip.decidedBy).toMatchObject({ name: 'unhappy-vip', reason: 'negative_high_value' })
    expect(
      decide({ text: '又晚了', intent: 'shipping_delay', sentiment: 'negative', tier: 'gold' }).effect,
    ).toBeNull()
  })

  it('hands off a complaint written in anger, not a calm one', () => {
    expect(decide({ text: '太差了', intent: 'complaint', sentiment: 'negative' }).decidedBy?.name).toBe(
      'unhappy-complaint',
    )
    expect(decide({ text: '包装有点问题', intent: 'complaint', sentiment: 'neutral' }).effect).toBeNull()
  })

  it('asks for approval of refunds over ¥500, by the amount in the message or the order total', () => {
    const cny = (yuan: number) => ({ amount: yuan * 100, currency: 'CNY' })
    expect(decide({ text: '退我620元', intent: 'refund_request', amount: cny(620) }).effect).toBe(
      'answer_with_approval',
    )
    expect(decide({ text: '退我500元', intent: 'refund_request', amount: cny(500) }).effect).toBeNull()
    expect(decide({ text: '退款', intent: 'refund_request', orderTotal: cny(899) }).effect).toBe(
      'answer_with_approval',
    )
    expect(
      decide({ text: '退我$620', intent: 'refund_request', amount: { amount: 62000, currency: 'USD' } })
        .effect,
    ).toBeNull()
    expect(decide({ text: '退我620元', intent: 'product_inquiry', amount: cny(620) }).effect).toBeNull()
  })

  it('lets the hand-off win when a big refund comes with a lawyer', () => {
    const result = decide({
      text: '不退620我就找律师',
      intent: 'refund_request',
      amount: { amount: 62000, currency: 'CNY' },
    })
    expect(result.fired.map((fired) => fired.name)).toEqual(['legal-or-regulator-threat', 'refund-over-500'])
    expect(result.effect).toBe('hand_off')
  })
})
