import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/index.js'
import { policyFieldCatalogue } from './catalogue.js'
import { MAX_POLICY_FILE_CHARS, parsePolicyFile } from './parse.js'

const catalogue = policyFieldCatalogue([
  { entity: 'customer', key: 'vip_level', type: 'number', options: null },
  { entity: 'customer', key: 'region', type: 'select', options: ['north', 'south'] },
])

function refusal(text: string, format: 'json' | 'yaml'): AppError {
  try {
    parsePolicyFile(text, format, catalogue)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected parsePolicyFile to refuse')
}

function issues(text: string, format: 'json' | 'yaml' = 'yaml'): { path: string; message: string }[] {
  return (refusal(text, format).details as { issues: { path: string; message: string }[] }).issues
}

const YAML_SET = `
version: 1
rules:
  - name: big-refund
    description: Refunds over ¥500 need a person's approval
    when:
      all:
        - { field: intent, op: eq, value: refund_request }
        - { field: amount, op: gt, value: 500 }
    then: { action: answer_with_approval, note: check the order first }
    priority: 10
  - name: vip-level-3
    when: { field: customer.attributes.vip_level, op: gte, value: 3 }
    then: { action: hand_off, reason: negative_high_value }
    enabled: false
`

describe('parsePolicyFile', () => {
  it('reads a YAML policy set', () => {
    const set = parsePolicyFile(YAML_SET, 'yaml', catalogue)
    expect(set.rules.map((rule) => [rule.name, rule.then.action, rule.priority, rule.enabled])).toEqual([
      ['big-refund', 'answer_with_approval', 10, undefined],
      ['vip-level-3', 'hand_off', undefined, false],
    ])
    expect(set.rules[0].when).toEqual({
      all: [
        { field: 'intent', op: 'eq', value: 'refund_request' },
        { field: 'amount', op: 'gt', value: 500 },
      ],
    })
  })

  it('reads the same set written as JSON', () => {
    const fromYaml = parsePolicyFile(YAML_SET, 'yaml', catalogue)
    expect(parsePolicyFile(JSON.stringify(fromYaml), 'json', catalogue)).toEqual(fromYaml)
  })

  it('lists every problem of a file at once, each with its path', () => {
    const text = `
version: 1
author: me
rules:
  - name: Refund_Big
    when: { field: intentt, op: eq, value: refund_request }
    then: { action: approve }
  - name: vip
    when:
      any:
        - { field: customer.attributes.vip_levle, op: gt, value: 2 }
        - { field: intent, op: gt, value: complaint }
        - { field: customer.attributes.region, op: eq, value: east }
    then: { action: hand_off, reson: policy }
  - name: vip
    then: { action: no_reply }
`
    const found = issues(text)
    expect(found.map((issue) => issue.path)).toEqual([
      'author',
      'rules[0].name',
      'rules[0].then.action',
      'rules[0].when.field',
      'rules[1].then.reson',
      'rules[1].when.any[0].field',
      'rules[1].when.any[1].op',
      'rules[1].when.any[2].value',
      'rules[2].when',
      'rules[2].name',
    ])
    const byPath = Object.fromEntries(found.map((issue) => [issue.path, issue.message]))
    expect(byPath.author).toBe('unknown key "author"; allowed: version, rules')
    expect(byPath['rules[0].then.action']).toBe(
      '"approve" is not allowed here; use one of: hand_off, block_auto_answer, answer_with_approval, no_reply',
    )
    expect(byPath['rules[0].when.field']).toMatch(
      /^unknown field "intentt"; known: .* \(did you mean "intent"\?\)$/,
    )
    expect(byPath['rules[1].then.reson']).toBe('unknown key "reson"; allowed: action, reason, note')
    expect(byPath['rules[1].when.any[0].field']).toBe(
      'unknown field "customer.attributes.vip_levle"; known under customer.attributes: customer.attributes.region, customer.attributes.vip_level (did you mean "customer.attributes.vip_level"?)',
    )
    expect(byPath['rules[1].when.any[1].op']).toMatch(/^operator "gt" is not valid for string field "intent"/)
    expect(byPath['rules[1].when.any[2].value']).toBe(
      'value "east" is not one of customer.attributes.region\'s values: north, south',
    )
    expect(byPath['rules[2].when']).toMatch(/^a condition is missing; write one of/)
    expect(byPath['rules[2].name']).toBe(
      'duplicate rule name "vip"; rules[1] has it already — names must be unique',
    )
  })

  it('throws AGENT_POLICY_INVALID, a 400 whose message starts with the first problems', () => {
    const error = refusal('{"version": 2, "rules": []}', 'json')
    expect(error.code).toBe('AGENT_POLICY_INVALID')
    expect(error.status).toBe(400)
    expect(error.message).toBe('invalid policy file, 1 problem: version: 2 is not allowed here; use 1')
  })

  it('reports syntax errors with their line', () => {
    expect(issues('version: 1\nrules:\n  - name: a\n   when: x\n')[0].message).toMatch(
      /^not valid YAML: line \d+, column \d+/,
    )
    expect(issues('version: 1\nversion: 1\nrules: []\n')[0].message).toMatch(/^not valid YAML: .*unique/i)
    expect(issues('{"version": 1,', 'json')[0].message).toMatch(/^not valid JSON: /)
  })

  it('refuses a file that is not an object, and one too large to be a policy file', () => {
    expect(issues('- a\n- b\n')).toEqual([
      { path: '', message: 'a policy file is an object {version: 1, rules: [...]}; got a list' },
    ])
    const fractional = {
      name: 'a',
      when: { within_business_hours: true },
      then: { action: 'no_reply' },
      priority: 1.5,
    }
    expect(issues(JSON.stringify({ version: 1, rules: [fractional] }), 'json')).toEqual([
      { path: 'rules[0].priority', message: 'expected an integer; got 1.5' },
    ])
    expect(issues(`# ${'x'.repeat(MAX_POLICY_FILE_CHARS)}\nversion: 1\n`)[0].message).toMatch(
      /at most 262144/,
    )
  })

  it('keeps YAML 1.2 scalars: yes stays text and is not a boolean', () => {
    const found = issues(`
version: 1
rules:
  - name: a
    when: { within_business_hours: yes }
    then: { action: no_reply }
`)
    expect(found).toEqual([
      {
        path: 'rules[0].when.within_business_hours',
        message: 'within_business_hours must be true or false; got "yes"',
      },
    ])
  })
})
