import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CONDITION_LIMITS, conditionSchema, conditionShapeIssues, formatPath } from './schema.js'

function messages(value: unknown): { path: string; message: string }[] {
  return conditionShapeIssues(value).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }))
}

describe('conditionSchema', () => {
  it('accepts every node shape and operator', () => {
    const condition = {
      all: [
        { field: 'intent', op: 'eq', value: 'refund_request' },
        {
          any: [{ field: 'amount', op: 'gt', value: 500 }, { not: { field: 'customer.tier', op: 'exists' } }],
        },
        { field: 'text', op: 'matches', value: ['lawyer', '律师'] },
        { field: 'customer.tier', op: 'in', value: ['gold', 'vip'] },
        { field: 'created_at', op: 'lte', value: '2026-11-25' },
        { within_business_hours: false },
      ],
    }
    expect(conditionSchema.parse(condition)).toEqual(condition)
  })

  it('reports every problem with its path inside an enclosing object', () => {
    const schema = z.strictObject({ when: conditionSchema })
    const result = schema.safeParse({
      when: {
        all: [{ field: 'intent', op: 'equals', value: 'x' }, { any: [] }, { within_business_hours: 'yes' }],
      },
    })
    expect(result.success).toBe(false)
    const issues = result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])
    expect(issues).toEqual([
      ['when.all.0.op', expect.stringMatching(/^unknown operator "equals"; known: eq, ne, gt/)],
      ['when.all.1.any', expect.stringContaining('"any" needs a non-empty list')],
      ['when.all.2.within_business_hours', 'within_business_hours must be true or false; got "yes"'],
    ])
  })
})

describe('conditionShapeIssues', () => {
  it('names the shapes a condition may take when given something else', () => {
    expect(messages('intent = refund')[0].message).toMatch(/^a condition must be one of \{all: \[\.\.\.\]\}/)
    expect(messages({ foo: 1 })[0].message).toMatch(/got keys foo$/)
    expect(messages({ all: [], any: [] })[0].message).toMatch(/exactly one of .*; got all, any/)
  })

  it('refuses unknown keys on a leaf and lists the allowed ones', () => {
    expect(messages({ field: 'intent', op: 'eq', value: 'x', vaule: 'y' })).toEqual([
      { path: 'vaule', message: 'unknown key "vaule" in a {field} condition; allowed: field, op, value' },
    ])
  })

  it('checks each value against what its operator needs', () => {
    expect(messages({ field: 'customer.tier', op: 'exists', value: true })).toEqual([
      { path: 'value', message: 'operator "exists" takes no value; remove "value"' },
    ])
    expect(messages({ field: 'tier', op: 'in', value: 'gold' })[0].message).toMatch(
      /operator "in" needs a list of 1 to 500 values, such as \["gold", "vip"\]; got "gold"/,
    )
    expect(messages({ field: 'tier', op: 'in', value: ['gold', true] })).toEqual([
      { path: 'value[1]', message: 'operator "in" needs text or numbers; got true' },
    ])
    expect(messages({ field: 'text', op: 'contains', value: '' })[0].path).toBe('value')
    expect(messages({ field: 'text', op: 'matches', value: ['a', ''] })[0].path).toBe('value[1]')
    expect(messages({ field: 'amount', op: 'gt', value: true })[0].message).toBe(
      'operator "gt" needs a number or a date; got true',
    )
    expect(messages({ field: 'amount', op: 'gt', value: Infinity })[0].message).toMatch(/got Infinity/)
    expect(messages({ field: 'Customer Tier', op: 'exists' })[0]).toEqual({
      path: 'field',
      message: 'field must be a dotted name such as customer.tier or intent.confidence; got "Customer Tier"',
    })
  })

  it('bounds the depth and size of a tree', () => {
    let deep: unknown = { field: 'intent', op: 'exists' }
    for (let level = 0; level < CONDITION_LIMITS.depth + 2; level += 1) deep = { not: deep }
    expect(messages(deep)).toEqual([
      {
        path: 'not.not.not.not.not.not.not.not.not.not.not.not',
        message: expect.stringMatching(/at most 12 levels/),
      },
    ])
    const wide = {
      any: Array.from({ length: CONDITION_LIMITS.nodes + 10 }, () => ({ within_business_hours: true })),
    }
    expect(messages(wide)).toEqual([
      { path: `any[${CONDITION_LIMITS.nodes - 1}]`, message: expect.stringMatching(/at most 500 nodes/) },
    ])
  })
})

describe('formatPath', () => {
  it('writes indices in brackets and quotes keys that are not names', () => {
    expect(formatPath(['all', 1, 'field'], 'rules[2].when')).toBe('rules[2].when.all[1].field')
    expect(formatPath(['rules', 0, 'a b'])).toBe('rules[0]["a b"]')
    expect(formatPath([])).toBe('')
  })
})
