import { describe, expect, it } from 'vitest'
import { trainTextClassifier } from '../nlp/index.js'
import { perceive, type PerceiveContext } from './perceive.js'

const intent = trainTextClassifier(
  [
    ...[
      '我的订单到哪了',
      '包裹什么时候到',
      'where is my order',
      'track my package please',
      '快递到哪里了',
      'order status?',
    ].map((text) => ({ text, label: 'order_status' })),
    ...['我要退款', '退钱给我', 'I want a refund', 'refund please', '申请退款', 'give me my money back'].map(
      (text) => ({
        text,
        label: 'refund_request',
      }),
    ),
  ],
  { seed: 1, validation: 0 },
).model
const sentiment = trainTextClassifier(
  [
    ...['太棒了', '非常满意', 'love it', 'great service 👍'].map((text) => ({ text, label: 'positive' })),
    ...['好的', '收到', 'ok', 'noted'].map((text) => ({ text, label: 'neutral' })),
    ...['太差了', '气死我了', 'terrible', 'worst service ever 😡'].map((text) => ({
      text,
      label: 'negative',
    })),
  ],
  { seed: 1, validation: 0 },
).model

const context: PerceiveContext = {
  now: new Date('2026-11-25T02:00:00.000Z'),
  timeZone: 'Asia/Shanghai',
  customerName: '王小明',
  products: [{ id: 'prd_1', names: ['降噪耳机', 'Noise-cancelling earbuds'] }],
  models: { intent, sentiment },
}

describe('perceive', () => {
  it('combines language, intent, sentiment, entities, redaction and urgency', () => {
    const text =
      '我是王小明，订单LM20261024-582130的降噪耳机我要退款，明天给我回电 13912345678，不然投诉12315！'
    const perception = perceive(text, context)
    expect(perception.language).toBe('zh')
    expect(perception.intent?.label).toBe('refund_request')
    expect(perception.intent?.evidence.length).toBeGreaterThan(0)
    const types = perception.entities.map((e) => e.type)
    expect(types).toEqual(expect.arrayContaining(['order_number', 'product', 'date', 'phone']))
    for (const entity of perception.entities) expect(text.slice(entity.start, entity.end)).toBe(entity.value)
    expect(perception.entities.find((e) => e.type === 'date')?.normalized).toBe('2026-11-26')
    expect(perception.redactedText).not.toContain('13912345678')
    expect(perception.redactedText).not.toContain('王小明')
    expect(perception.redactedText).toContain('LM20261024-582130')
    expect(perception.urgency.cues).toEqual(expect.arrayContaining(['12315']))
    expect(perception.sentiment?.score).toBeGreaterThanOrEqual(-1)
    expect(perception.sentiment?.score).toBeLessThanOrEqual(1)
  })

  it('is pure: the same input gives the same output, and the context is not modified', () => {
    const frozen = structuredClone({ ...context, models: null })
    const a = perceive('where is my order??', context)
    const b = perceive('where is my order??', context)
    expect(a).toEqual(b)
    expect(a.intent?.label).toBe('order_status')
    expect({ ...context, models: null }).toEqual(frozen)
  })

  it('gives a defined result for empty, emoji-only and very long messages, and without models', () => {
    expect(perceive('', context).intent).toBeNull()
    const emoji = perceive('😡😡😡', context)
    expect(emoji.intent).toBeNull()
    expect(emoji.sentiment).not.toBeNull()
    const long = perceive(`我要退款 ${'很长的消息 '.repeat(11_000)}`, context)
    expect(long.length).toBeGreaterThan(60_000)
    expect(long.intent).not.toBeNull()
    const bare = perceive('我要退款', { ...context, models: { intent: null, sentiment: null } })
    expect(bare.intent).toBeNull()
    expect(bare.sentiment).toBeNull()
  })
})
