import { describe, expect, it } from 'vitest'
import { DEFAULT_WORKSPACE } from '../crm/index.js'
import { chooseAssignee, parseAssignmentRules, type AssignmentContext } from './assignment.js'

const context = (load: Record<string, number>): AssignmentContext => ({
  now: new Date('2026-11-25T02:00:00Z'),
  timeZone: 'Asia/Shanghai',
  businessHours: DEFAULT_WORKSPACE.businessHours,
  baseCurrency: 'CNY',
  load: new Map(Object.entries(load)),
})

const rules = parseAssignmentRules({
  rules: [
    {
      name: 'vip-to-seniors',
      when: { field: 'customer.tier', op: 'eq', value: 'vip' },
      assignTo: ['usr_senior_a', 'usr_senior_b'],
    },
    {
      name: 'english-speakers',
      when: { field: 'customer.locale', op: 'in', value: ['en', 'en-US', 'en-GB'] },
      assignTo: ['usr_en'],
    },
    { name: 'paused', enabled: false, assignTo: ['usr_paused'] },
    { name: 'everyone-else', assignTo: ['usr_a', 'usr_b', 'usr_c'] },
  ],
})

const facts = (customer: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  channel: 'chat',
  reason: 'low_confidence',
  tags: [],
  customer: { tier: 'standard', tags: [], locale: 'zh-CN', ...customer },
  ...more,
})

describe('assignment rules', () => {
  it('gives the conversation to the least-loaded active person of the first matching rule', () => {
    const load = { usr_senior_a: 4, usr_senior_b: 1, usr_en: 0, usr_a: 2, usr_b: 0, usr_c: 0 }
    expect(chooseAssignee(rules, facts({ tier: 'vip' }), context(load))).toEqual({
      rule: 'vip-to-seniors',
      assigneeId: 'usr_senior_b',
    })
    expect(chooseAssignee(rules, facts({ locale: 'en-GB' }), context(load))).toEqual({
      rule: 'english-speakers',
      assigneeId: 'usr_en',
    })
    // ties go to the earlier person in assignTo
    expect(chooseAssignee(rules, facts({}), context(load))).toEqual({
      rule: 'everyone-else',
      assigneeId: 'usr_b',
    })
  })

  it('passes over inactive people, disabled rules, and returns null when nobody is left', () => {
    // the seniors are not active (absent from the load): the VIP falls through to the catch-all
    expect(chooseAssignee(rules, facts({ tier: 'vip' }), context({ usr_c: 3 }))).toEqual({
      rule: 'everyone-else',
      assigneeId: 'usr_c',
    })
    expect(chooseAssignee(rules, facts({}), context({ usr_paused: 0 }))).toBeNull()
    expect(chooseAssignee(parseAssignmentRules({ rules: [] }), facts({}), context({ usr_a: 0 }))).toBeNull()
  })

  it('reports every problem with its path: unknown fields, bad operators, duplicate names, empty lists', () => {
    let issues: { path: string; message: string }[] = []
    try {
      parseAssignmentRules({
        rules: [
          { name: 'a', when: { field: 'customer.shoe_size', op: 'eq', value: 42 }, assignTo: ['usr_1'] },
          { name: 'a', when: { field: 'channel', op: 'eq', value: 'fax' }, assignTo: [] },
          { name: 'Not Kebab', assignTo: ['usr_2'], colour: 'red' },
        ],
      })
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ACTION_ASSIGNMENT_INVALID')
      issues = (error as { details: { issues: typeof issues } }).details.issues
    }
    const paths = issues.map((issue) => issue.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'rules[0].when.field',
        'rules[1].name',
        'rules[1].when.value',
        'rules[1].assignTo',
        'rules[2].name',
        'rules[2]',
      ]),
    )
    expect(issues.find((issue) => issue.path === 'rules[1].name')?.message).toContain('rules[0]')
  })
})
