import { describe, expect, it } from 'vitest'
import { closest, operatorsFor, validateCondition, type FieldCatalogue } from './fields.js'

const catalogue: FieldCatalogue = {
  intent: { type: 'string', values: ['refund_request', 'complaint', 'human_agent'], description: 'intent' },
  'intent.confidence': { type: 'number', description: 'confidence' },
  text: { type: 'string', description: 'the message' },
  amount: { type: 'money', description: 'largest amount' },
  vip: { type: 'boolean', description: 'is VIP' },
  'entities.types': { type: 'string[]', values: ['amount', 'order_number'], description: 'entity types' },
  'customer.tier': { type: 'string', values: ['standard', 'vip'], description: 'tier' },
  'customer.first_seen_at': { type: 'datetime', description: 'first seen' },
  'customer.attributes.vip_level': { type: 'number', description: 'VIP level' },
  'customer.attributes.region': { type: 'string', description: 'region' },
}

function issuesOf(condition: unknown, path = 'rules[2].when') {
  const result = validateCondition(condition, catalogue, { path })
  return result.ok ? [] : result.issues
}

describe('validateCondition', () => {
  it('accepts a condition whose fields, operators and values all fit the catalogue', () => {
    const condition = {
      all: [
        { field: 'intent', op: 'in', value: ['refund_request', 'complaint'] },
        { field: 'intent.confidence', op: 'gte', value: 0.6 },
        { field: 'amount', op: 'gt', value: 500 },
        { field: 'text', op: 'matches', value: ['lawyer', '律师'] },
        { field: 'entities.types', op: 'contains', value: 'amount' },
        { field: 'vip', op: 'eq', value: true },
        { field: 'customer.first_seen_at', op: 'lt', value: '2026-01-01T00:00:00+08:00' },
        { not: { field: 'customer.attributes.region', op: 'exists' } },
        { within_business_hours: true },
      ],
    }
    expect(validateCondition(condition, catalogue)).toEqual({ ok: true })
  })

  it('names an unknown field, lists the known ones and suggests the closest', () => {
    expect(
      issuesOf({ all: [{ within_business_hours: true }, { field: 'tierr', op: 'eq', value: 'vip' }] }),
    ).toEqual([
      {
        path: 'rules[2].when.all[1].field',
        message:
          'unknown field "tierr"; known: amount, customer.attributes.region, customer.attributes.vip_level, customer.first_seen_at, customer.tier, entities.types, intent, intent.confidence, text, vip (did you mean "customer.tier"?)',
      },
    ])
    expect(issuesOf({ field: 'customer.tierr', op: 'exists' })[0].message).toBe(
      'unknown field "customer.tierr"; known under customer: customer.attributes.region, customer.attributes.vip_level, customer.first_seen_at, customer.tier (did you mean "customer.tier"?)',
    )
  })

  it('lists only the defined attributes for an unknown attribute name', () => {
    expect(issuesOf({ field: 'customer.attributes.vip_levle', op: 'gt', value: 2 })).toEqual([
      {
        path: 'rules[2].when.field',
        message:
          'unknown field "customer.attributes.vip_levle"; known under customer.attributes: customer.attributes.region, customer.attributes.vip_level (did you mean "customer.attributes.vip_level"?)',
      },
    ])
  })

  it('refuses an operator that does not suit the field type and lists the ones that do', () => {
    expect(issuesOf({ field: 'intent', op: 'gt', value: 'complaint' })).toEqual([
      {
        path: 'rules[2].when.op',
        message:
          'operator "gt" is not valid for string field "intent"; use one of: eq, ne, in, not_in, exists, not_exists',
      },
    ])
    expect(issuesOf({ field: 'vip', op: 'contains', value: 'x' })[0].message).toMatch(
      /not valid for boolean field "vip"; use one of: eq, ne, exists, not_exists$/,
    )
    expect(issuesOf({ field: 'entities.types', op: 'eq', value: 'amount' })[0].path).toBe('rules[2].when.op')
  })

  it('refuses a value outside the field values, lists them and suggests one', () => {
    expect(issuesOf({ field: 'intent', op: 'eq', value: 'refund' })).toEqual([
      {
        path: 'rules[2].when.value',
        message:
          'value "refund" is not one of intent\'s values: refund_request, complaint, human_agent (did you mean "refund_request"?)',
      },
    ])
    expect(issuesOf({ field: 'customer.tier', op: 'not_in', value: ['vip', 'gold'] })).toEqual([
      {
        path: 'rules[2].when.value[1]',
        message: 'value "gold" is not one of customer.tier\'s values: standard, vip',
      },
    ])
    expect(issuesOf({ field: 'entities.types', op: 'contains', value: 'phone' })[0].message).toMatch(
      /^value "phone" is not one of entities.types's values: amount, order_number/,
    )
  })

  it('refuses values of the wrong type with a hint on how to write them', () => {
    expect(issuesOf({ field: 'intent.confidence', op: 'gt', value: 'high' })[0].message).toBe(
      'value "high" is not a number; "intent.confidence" is a number field',
    )
    expect(issuesOf({ field: 'amount', op: 'gt', value: '¥500' })[0].message).toMatch(
      /^value "¥500" is not a number; money field "amount" compares against a number in major units/,
    )
    expect(issuesOf({ field: 'vip', op: 'eq', value: 'yes' })[0].message).toBe(
      'value "yes" is not true or false; "vip" is a boolean field',
    )
    expect(
      issuesOf({ field: 'customer.first_seen_at', op: 'gt', value: '2026-01-01 08:00' })[0].message,
    ).toMatch(/^value "2026-01-01 08:00" is not a date; .* such as 2026-11-25 or a date-time with its offset/)
    expect(issuesOf({ field: 'text', op: 'eq', value: 3 })[0].message).toBe(
      'value 3 is not text; "text" is a string field',
    )
  })

  it('reports shape and catalogue problems together, each once', () => {
    const issues = issuesOf({
      any: [{ field: 'tierr', op: 'exists' }, { field: 'intent', op: 'is' }, { not: 'vip' }],
    })
    expect(issues.map((issue) => issue.path)).toEqual([
      'rules[2].when.any[0].field',
      'rules[2].when.any[1].op',
      'rules[2].when.any[2].not',
    ])
  })
})

describe('operatorsFor', () => {
  it('drops substring operators for enumerated strings', () => {
    expect(operatorsFor({ type: 'string', description: '' })).toContain('matches')
    expect(operatorsFor({ type: 'string', values: ['a'], description: '' })).not.toContain('contains')
  })
})

describe('closest', () => {
  it('suggests near misses and unique fragments, and nothing for unrelated words', () => {
    expect(closest('complant', ['complaint', 'praise'])).toBe('complaint')
    expect(closest('refund', ['refund_request', 'return_exchange'])).toBe('refund_request')
    expect(closest('weather', ['complaint', 'praise'])).toBeUndefined()
  })
})
