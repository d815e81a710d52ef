import { describe, expect, it } from 'vitest'
import { weeklyBusinessHours } from './business-hours.js'
import {
  evaluateCondition,
  explainCondition,
  lookupFact,
  type ConditionOptions,
  type Facts,
} from './evaluate.js'
import type { FieldCatalogue } from './fields.js'
import type { Condition, ConditionOperator, FieldCondition } from './schema.js'

const options: ConditionOptions = {
  now: new Date('2026-11-25T02:00:00Z'), // Wednesday 10:00 in Shanghai
  timeZone: 'Asia/Shanghai',
  businessHours: weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '21:00' }),
  baseCurrency: 'CNY',
}

const facts: Facts = {
  intent: 'refund_request',
  'intent.confidence': 0.82,
  text: 'I will call my LAWYER about order LM-1, 我要找律师',
  vip: false,
  amount: { amount: 62000, currency: 'CNY' },
  'entities.types': ['amount', 'order_number'],
  customer: {
    tier: 'vip',
    attributes: { vip_level: 3, region: null },
    first_seen_at: '2025-06-01T08:00:00.000Z',
  },
}

const leaf = (field: string, op: ConditionOperator, value?: FieldCondition['value']): FieldCondition =>
  value === undefined ? { field, op } : { field, op, value }
const holds = (condition: Condition, over: Facts = facts, with_: Partial<ConditionOptions> = {}) =>
  evaluateCondition(condition, over, { ...options, ...with_ })

describe('evaluateCondition on text', () => {
  it('compares with eq, ne, in and not_in', () => {
    expect(holds(leaf('intent', 'eq', 'refund_request'))).toBe(true)
    expect(holds(leaf('intent', 'eq', 'complaint'))).toBe(false)
    expect(holds(leaf('intent', 'ne', 'complaint'))).toBe(true)
    expect(holds(leaf('intent', 'ne', 'refund_request'))).toBe(false)
    expect(holds(leaf('intent', 'in', ['complaint', 'refund_request']))).toBe(true)
    expect(holds(leaf('intent', 'not_in', ['complaint', 'refund_request']))).toBe(false)
    expect(holds(leaf('intent', 'not_in', ['complaint']))).toBe(true)
  })

  it('finds substrings with contains (case-sensitive) and matches (any of, ASCII case folded)', () => {
    expect(holds(leaf('text', 'contains', 'LAWYER'))).toBe(true)
    expect(holds(leaf('text', 'contains', 'lawyer'))).toBe(false)
    expect(holds(leaf('text', 'matches', 'lawyer'))).toBe(true)
    expect(holds(leaf('text', 'matches', ['起诉', '律师']))).toBe(true)
    expect(holds(leaf('text', 'matches', ['12315', 'chargeback']))).toBe(false)
  })
})

describe('evaluateCondition on numbers and booleans', () => {
  it('orders numbers with gt, gte, lt, lte and compares with eq, ne, in, not_in', () => {
    expect(holds(leaf('intent.confidence', 'gt', 0.8))).toBe(true)
    expect(holds(leaf('intent.confidence', 'gt', 0.82))).toBe(false)
    expect(holds(leaf('intent.confidence', 'gte', 0.82))).toBe(true)
    expect(holds(leaf('intent.confidence', 'lt', 0.82))).toBe(false)
    expect(holds(leaf('intent.confidence', 'lte', 0.82))).toBe(true)
    expect(holds(leaf('intent.confidence', 'eq', 0.82))).toBe(true)
    expect(holds(leaf('intent.confidence', 'ne', 0.82))).toBe(false)
    expect(holds(leaf('customer.attributes.vip_level', 'in', [2, 3]))).toBe(true)
    expect(holds(leaf('customer.attributes.vip_level', 'not_in', [2, 3]))).toBe(false)
  })

  it('compares booleans with eq and ne', () => {
    expect(holds(leaf('vip', 'eq', false))).toBe(true)
    expect(holds(leaf('vip', 'ne', false))).toBe(false)
  })

  it('never matches a fact of another type than the operator expects', () => {
    expect(holds(leaf('intent', 'gt', 3))).toBe(false)
    expect(holds(leaf('vip', 'eq', 'false'))).toBe(false)
    expect(holds(leaf('intent.confidence', 'eq', '0.82'))).toBe(false)
  })
})

describe('evaluateCondition on money', () => {
  it('reads values as major units of the base currency and compares minor units', () => {
    expect(holds(leaf('amount', 'gt', 500))).toBe(true)
    expect(holds(leaf('amount', 'gt', 620))).toBe(false)
    expect(holds(leaf('amount', 'gte', 620))).toBe(true)
    expect(holds(leaf('amount', 'eq', 620))).toBe(true)
    expect(holds(leaf('amount', 'lt', 620.01))).toBe(true)
    expect(holds(leaf('amount', 'lte', 619.99))).toBe(false)
  })

  it('never matches an amount in another currency, though it exists', () => {
    const dollars = { amount: { amount: 62000, currency: 'USD' } }
    expect(holds(leaf('amount', 'gt', 1), dollars)).toBe(false)
    expect(holds(leaf('amount', 'lt', 1e9), dollars)).toBe(false)
    expect(holds(leaf('amount', 'ne', 1), dollars)).toBe(false)
    expect(holds(leaf('amount', 'exists'), dollars)).toBe(true)
    expect(holds(leaf('amount', 'gt', 500), dollars, { baseCurrency: 'USD' })).toBe(true)
  })

  it('uses whole yen for JPY', () => {
    expect(
      holds(leaf('amount', 'eq', 620), { amount: { amount: 620, currency: 'JPY' } }, { baseCurrency: 'JPY' }),
    ).toBe(true)
  })
})

describe('evaluateCondition on dates and lists', () => {
  const catalogue: FieldCatalogue = {
    'customer.first_seen_at': { type: 'datetime', description: 'first seen' },
  }

  it('compares datetimes as instants when the catalogue says the field is a datetime', () => {
    const at = (op: ConditionOperator, value: string) =>
      holds(leaf('customer.first_seen_at', op, value), facts, { catalogue })
    expect(at('eq', '2025-06-01T16:00:00+08:00')).toBe(true)
    expect(at('gt', '2025-06-01')).toBe(true)
    expect(at('lt', '2025-06-01')).toBe(false)
    expect(at('lte', '2025-06-01T08:00:00Z')).toBe(true)
    expect(at('gte', '2025-06-01T08:00:00.001Z')).toBe(false)
    expect(at('ne', '2025-06-01T08:00Z')).toBe(false)
  })

  it('compares Date facts without a catalogue', () => {
    expect(holds(leaf('due', 'lt', '2026-01-01'), { due: new Date('2025-12-31T23:59:59Z') })).toBe(true)
  })

  it('tests list fields with contains, matches, in and not_in', () => {
    expect(holds(leaf('entities.types', 'contains', 'amount'))).toBe(true)
    expect(holds(leaf('entities.types', 'contains', 'phone'))).toBe(false)
    expect(holds(leaf('entities.types', 'matches', 'ORDER'))).toBe(true)
    expect(holds(leaf('entities.types', 'in', ['phone', 'amount']))).toBe(true)
    expect(holds(leaf('entities.types', 'not_in', ['phone', 'amount']))).toBe(false)
    expect(holds(leaf('entities.types', 'not_in', ['phone']))).toBe(true)
    expect(holds(leaf('entities.types', 'not_in', ['phone']), { 'entities.types': [] })).toBe(true)
    expect(holds(leaf('entities.types', 'eq', 'amount'))).toBe(false)
  })
})

describe('evaluateCondition on missing facts', () => {
  it('fails every comparison, ne and not_in included, and satisfies only not_exists', () => {
    for (const field of ['customer.attributes.region', 'customer.attributes.nope', 'order.status']) {
      expect(holds(leaf(field, 'eq', 'x'))).toBe(false)
      expect(holds(leaf(field, 'ne', 'x'))).toBe(false)
      expect(holds(leaf(field, 'not_in', ['x']))).toBe(false)
      expect(holds(leaf(field, 'gt', 1))).toBe(false)
      expect(holds(leaf(field, 'matches', 'x'))).toBe(false)
      expect(holds(leaf(field, 'exists'))).toBe(false)
      expect(holds(leaf(field, 'not_exists'))).toBe(true)
      expect(holds({ not: leaf(field, 'eq', 'x') })).toBe(true)
    }
  })

  it('treats a fact of another type than its catalogue field as present but never equal', () => {
    const catalogue: FieldCatalogue = { level: { type: 'number', description: 'level' } }
    expect(holds(leaf('level', 'eq', 3), { level: '3' }, { catalogue })).toBe(false)
    expect(holds(leaf('level', 'exists'), { level: '3' }, { catalogue })).toBe(true)
  })
})

describe('evaluateCondition on nesting and business hours', () => {
  it('combines with all, any and not, however deep', () => {
    const refundOver500 = { all: [leaf('intent', 'eq', 'refund_request'), leaf('amount', 'gt', 500)] }
    expect(holds(refundOver500)).toBe(true)
    expect(holds({ all: [...refundOver500.all, leaf('vip', 'eq', true)] })).toBe(false)
    expect(holds({ any: [leaf('vip', 'eq', true), refundOver500] })).toBe(true)
    expect(holds({ any: [leaf('vip', 'eq', true), { not: refundOver500 }] })).toBe(false)
    expect(holds({ not: { not: { any: [{ all: [refundOver500, { not: leaf('x', 'exists') }] }] } } })).toBe(
      true,
    )
  })

  it('checks the injected time against the business hours in the workspace zone', () => {
    expect(holds({ within_business_hours: true })).toBe(true)
    expect(holds({ within_business_hours: false })).toBe(false)
    const saturday = new Date('2026-11-28T02:00:00Z')
    expect(holds({ within_business_hours: false }, facts, { now: saturday })).toBe(true)
    // 21:30 in New York on Tuesday is 10:30 on Wednesday in Shanghai.
    const tuesdayEvening = new Date('2026-11-25T02:30:00Z')
    expect(
      holds({ within_business_hours: true }, facts, { now: tuesdayEvening, timeZone: 'America/New_York' }),
    ).toBe(false)
  })
})

describe('lookupFact', () => {
  it('prefers a flat key, then walks nested objects, and reads null as missing', () => {
    expect(lookupFact({ 'customer.tier': 'vip', customer: { tier: 'gold' } }, 'customer.tier')).toBe('vip')
    expect(lookupFact({ customer: { tier: 'gold' } }, 'customer.tier')).toBe('gold')
    expect(lookupFact({ customer: { tier: null } }, 'customer.tier')).toBeUndefined()
    expect(lookupFact({ customer: 'x' }, 'customer.tier')).toBeUndefined()
    expect(lookupFact({}, 'constructor')).toBeUndefined()
    expect(lookupFact({ customer: {} }, 'customer.toString')).toBeUndefined()
  })
})

describe('explainCondition', () => {
  it('reports every leaf with its path, the fact it read and whether it matched', () => {
    const condition: Condition = {
      any: [
        { all: [leaf('intent', 'eq', 'complaint'), leaf('amount', 'gt', 500)] },
        leaf('text', 'matches', ['律师', 'sue']),
        { not: { within_business_hours: true } },
      ],
    }
    const explanation = explainCondition(condition, facts, options)
    expect(explanation.result).toBe(true)
    expect(explanation.leaves).toEqual([
      {
        path: 'any[0].all[0]',
        condition: leaf('intent', 'eq', 'complaint'),
        matched: false,
        actual: 'refund_request',
      },
      {
        path: 'any[0].all[1]',
        condition: leaf('amount', 'gt', 500),
        matched: true,
        actual: { amount: 62000, currency: 'CNY' },
      },
      { path: 'any[1]', condition: leaf('text', 'matches', ['律师', 'sue']), matched: true, hits: ['律师'] },
      { path: 'any[2].not', condition: { within_business_hours: true }, matched: true },
    ])
  })

  it('agrees with evaluateCondition', () => {
    const conditions: Condition[] = [
      leaf('intent', 'eq', 'refund_request'),
      { not: leaf('vip', 'eq', false) },
      { all: [leaf('intent', 'exists'), { any: [leaf('x', 'exists'), leaf('amount', 'lt', 1)] }] },
    ]
    for (const condition of conditions) {
      expect(explainCondition(condition, facts, options).result).toBe(
        evaluateCondition(condition, facts, options),
      )
    }
  })
})
