import { describe, expect, it } from 'vitest'
import { weeklyBusinessHours, type ConditionOptions } from '../../crm/conditions/index.js'
import { evaluatePolicies } from './evaluate-policies.js'
import type { PolicyAction, PolicyRule, PolicySet } from './policy.js'

const options: ConditionOptions = {
  now: new Date('2026-11-25T14:00:00Z'), // Wednesday 22:00 in Shanghai: after hours
  timeZone: 'Asia/Shanghai',
  businessHours: weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '21:00' }),
  baseCurrency: 'CNY',
}

const always = { field: 'intent', op: 'exists' } as const
const rule = (name: string, action: PolicyAction, extra: Partial<PolicyRule> = {}): PolicyRule => ({
  name,
  when: always,
  then: { action },
  ...extra,
})
const set = (...rules: PolicyRule[]): PolicySet => ({ version: 1, rules })
const facts = { intent: 'refund_request' }

describe('evaluatePolicies', () => {
  it('takes the strongest fired action as the effect', () => {
    const result = evaluatePolicies(
      set(
        rule('quiet', 'no_reply'),
        rule('approve', 'answer_with_approval'),
        rule('block', 'block_auto_answer'),
        rule('never', 'hand_off', { when: { field: 'intent', op: 'eq', value: 'human_agent' } }),
      ),
      facts,
      options,
    )
    expect(result.effect).toBe('block_auto_answer')
    expect(result.decidedBy?.name).toBe('block')
    expect(result.fired.map((fired) => fired.name)).toEqual(['quiet', 'approve', 'block'])
  })

  it('orders fired rules by priority and lets the highest-priority rule with the effect decide', () => {
    const result = evaluatePolicies(
      set(
        rule('low', 'hand_off', { priority: -5, then: { action: 'hand_off', reason: 'policy' } }),
        rule('plain', 'answer_with_approval'),
        rule('high', 'hand_off', {
          priority: 50,
          then: { action: 'hand_off', reason: 'outside_business_hours', note: 'after 21:00' },
        }),
      ),
      facts,
      options,
    )
    expect(result.fired.map((fired) => [fired.name, fired.priority])).toEqual([
      ['high', 50],
      ['plain', 0],
      ['low', -5],
    ])
    expect(result.effect).toBe('hand_off')
    expect(result.decidedBy).toMatchObject({
      name: 'high',
      reason: 'outside_business_hours',
      note: 'after 21:00',
    })
  })

  it('skips disabled rules and defaults the reason to policy and the note to null', () => {
    const result = evaluatePolicies(
      set(rule('off', 'hand_off', { enabled: false }), rule('on', 'no_reply', { enabled: true })),
      facts,
      options,
    )
    expect(result.fired).toEqual([
      {
        name: 'on',
        action: 'no_reply',
        reason: 'policy',
        note: null,
        priority: 0,
        leaves: [{ path: '', condition: always, matched: true, actual: 'refund_request' }],
      },
    ])
  })

  it('has no effect when no rule fires', () => {
    const result = evaluatePolicies(
      set(rule('after-hours', 'block_auto_answer', { when: { within_business_hours: true } })),
      facts,
      options,
    )
    expect(result).toEqual({ fired: [], effect: null, decidedBy: null })
    expect(evaluatePolicies(set(), facts, options).effect).toBeNull()
  })

  it('records which leaves of a fired rule matched', () => {
    const result = evaluatePolicies(
      set(
        rule('after-hours-refund', 'block_auto_answer', {
          when: {
            all: [
              { not: { within_business_hours: true } },
              { field: 'intent', op: 'in', value: ['refund_request'] },
            ],
          },
        }),
      ),
      facts,
      options,
    )
    expect(result.fired[0].leaves.map((leaf) => [leaf.path, leaf.matched])).toEqual([
      ['all[0].not', false],
      ['all[1]', true],
    ])
  })
})
