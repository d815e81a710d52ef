import { describe, expect, it } from 'vitest'
import { POLICY_ACTIONS, actionStrength, policySetSchema, strongestAction } from './policy.js'

const rule = (name: string) => ({
  name,
  when: { field: 'intent', op: 'eq', value: 'human_agent' },
  then: { action: 'hand_off' },
})

describe('policySetSchema', () => {
  it('accepts a minimal set and keeps optional parts optional', () => {
    expect(policySetSchema.parse({ version: 1, rules: [rule('asked-for-person')] }).rules[0]).toEqual(
      rule('asked-for-person'),
    )
  })

  it('refuses unknown keys with their path', () => {
    const result = policySetSchema.safeParse({
      version: 1,
      rules: [{ ...rule('a'), then: { action: 'hand_off', reasn: 'policy' } }],
    })
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['rules.0.then', 'unrecognized_keys'],
    ])
  })

  it('refuses names that are not kebab-case and names used twice', () => {
    expect(
      policySetSchema.safeParse({ version: 1, rules: [rule('Refund_Over')] }).error?.issues[0].path,
    ).toEqual(['rules', 0, 'name'])
    const duplicate = policySetSchema.safeParse({ version: 1, rules: [rule('a'), rule('b'), rule('a')] })
    expect(duplicate.error?.issues).toEqual([
      expect.objectContaining({
        path: ['rules', 2, 'name'],
        message: 'duplicate rule name "a"; rules[0] has it already — names must be unique',
      }),
    ])
  })

  it('checks the condition inside a rule', () => {
    const result = policySetSchema.safeParse({
      version: 1,
      rules: [{ ...rule('a'), when: { field: 'intent', op: 'like', value: 'x' } }],
    })
    expect(result.error?.issues[0].path).toEqual(['rules', 0, 'when', 'op'])
  })
})

describe('strongestAction', () => {
  it('ranks hand_off > block_auto_answer > answer_with_approval > no_reply', () => {
    expect([...POLICY_ACTIONS].sort((a, b) => actionStrength(b) - actionStrength(a))).toEqual([
      'hand_off',
      'block_auto_answer',
      'answer_with_approval',
      'no_reply',
    ])
    expect(strongestAction(['no_reply', 'answer_with_approval'])).toBe('answer_with_approval')
    expect(strongestAction(['answer_with_approval', 'block_auto_answer'])).toBe('block_auto_answer')
    expect(strongestAction(['block_auto_answer', 'hand_off', 'no_reply'])).toBe('hand_off')
    expect(strongestAction([])).toBeNull()
  })
})
