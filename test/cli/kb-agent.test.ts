import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliRunner, onlyJson, type CliRun } from '../support/cli.js'

describe('agentcrm kb / agent (CLI)', () => {
  let dir: string
  const run = cliRunner(() => dir)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (result: CliRun): any => onlyJson(result)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentcrm-kb-cli-'))
    mkdirSync(join(dir, 'kb'))
    writeFileSync(
      join(dir, 'kb', 'gift-wrap-en.md'),
      '---\nid: gift-wrap-en\nlanguage: en\ntags: [gifts]\n---\n# Gift wrapping\n\nAdd gift wrapping at checkout for 5 yuan.',
    )
    writeFileSync(
      join(dir, 'kb', 'gift-wrap-zh.md'),
      '---\nid: gift-wrap-zh\nlanguage: zh\n---\n# 礼品包装\n\n结算时可以加购礼品包装，每件 5 元。',
    )
    writeFileSync(join(dir, 'no-expected.csv'), 'question,answer\n怎么包装礼物,gift-wrap-zh\n')
    writeFileSync(
      join(dir, 'questions.csv'),
      'question,expected,note\nCan you gift wrap my order?,gift-wrap-en,extra columns are ignored\nWhat is the weather?,none,\n',
    )
    writeFileSync(
      join(dir, 'scenarios.jsonl'),
      [
        {
          id: 'p1',
          text: 'I want to talk to a real person',
          expected_action: 'hand_off',
          handoff_reason: 'customer_asked_for_person',
        },
        { id: 'r1', text: '退款多久到账', expected_action: 'answer', expected_article: 'refunds-zh' },
        { id: 'e1', text: '😀', expected_action: 'no_reply' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    )
    writeFileSync(
      join(dir, 'bad-policies.yaml'),
      'version: 1\nrules:\n  - name: refunds\n    when: { field: intent, op: eq, value: refund_request\n    then: { action: hand_off }\n',
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('demo seed installs the demo knowledge base with the catalogue', async () => {
    const result = await run('demo', 'seed', '--customers', '10', '--events', '0', '--json')
    expect(result.code, result.stderr).toBe(0)
    expect(json(result).knowledge).toEqual({ inserted: 83, updated: 0, rejected: 0 })
  })

  it('kb import reports one JSON document, and fails with the error shape on a missing path', async () => {
    const result = await run('kb', 'import', join(dir, 'kb'), '--json')
    expect(result.code, result.stderr).toBe(0)
    expect(json(result)).toEqual({ inserted: 2, updated: 0, unchanged: 0, rejected: [] })

    const missing = await run('kb', 'import', join(dir, 'nope'), '--json')
    expect(missing.code).toBe(1)
    expect(json(missing).error).toMatchObject({
      code: 'KB_IMPORT_FAILED',
      message: expect.stringContaining('does not exist'),
    })
  })

  it('kb evaluate prints the metrics, and fails when a column is missing', async () => {
    const result = await run('kb', 'evaluate', '--data', join(dir, 'questions.csv'), '--json')
    expect(result.code, result.stderr).toBe(0)
    expect(json(result)).toEqual({
      n: 1,
      recall_at_1: 1,
      recall_at_3: 1,
      recall_at_5: 1,
      mrr: 1,
      excluded: 1,
    })

    const bad = await run('kb', 'evaluate', '--data', join(dir, 'no-expected.csv'), '--json')
    expect(bad.code).toBe(1)
    expect(json(bad).error.message).toContain('lacks the column(s) expected')
  })

  it('agent evaluate scores the agent on a scenario file', async () => {
    const result = await run(
      'agent',
      'evaluate',
      '--data',
      join(dir, 'scenarios.jsonl'),
      '--split',
      'all',
      '--json',
    )
    expect(result.code, result.stderr).toBe(0)
    const report = json(result)
    expect(report).toMatchObject({
      n: 3,
      auto_resolution: 2 / 3,
      answer_precision: 1,
      handoff_recall: 1,
      actions: { answer: 1, answer_with_approval: 0, ask_clarifying: 0, hand_off: 1, no_reply: 1 },
    })
    expect(report.errors).toEqual([])
  }, 120_000)

  it('agent policies import refuses a file that is not valid YAML', async () => {
    const result = await run('agent', 'policies', 'import', join(dir, 'bad-policies.yaml'), '--json')
    expect(result.code).toBe(1)
    const error = json(result).error
    expect(error.code).toBe('AGENT_POLICY_INVALID')
    expect(error.details.issues[0].message).toMatch(/^not valid YAML: line \d+, column \d+/)
  })
})
