import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliRunner, onlyJson, type CliRun } from '../support/cli.js'

const GOOD = `key: resolved-note
name: Note on resolve
trigger: { type: conversation.resolved }
steps:
  - id: wait
    type: wait
    duration: PT2H
    next: note
  - id: note
    type: action
    action: add_note
    input: { body: "Resolved ({{conversation.status}})" }
`

const BAD = `key: broken
name: Broken
trigger: { type: conversation.resolved }
steps:
  - { id: wait, type: wait, duration: 2h, next: nope }
  - { id: reply, type: action, action: reply }
`

describe('agentcrm workflow (CLI)', () => {
  let dir: string
  const run = cliRunner(() => dir)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (result: CliRun): any => onlyJson(result)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentcrm-workflow-cli-'))
    writeFileSync(join(dir, 'good.yaml'), GOOD)
    writeFileSync(join(dir, 'bad.yaml'), BAD)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('validates a bad file without a database: exit 1, every issue with its path', async () => {
    const result = await run('workflow', 'validate', 'bad.yaml', '--json')
    expect(result.code).toBe(1)
    const { error } = json(result)
    expect(error.code).toBe('WORKFLOW_INVALID')
    expect(error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'steps[0].duration',
      'steps[0].next',
      'steps[1].id',
    ])
    expect(error.details.issues[0].message).toMatch(/duration "2h" is not an ISO-8601 duration/)
    expect(existsSync(join(dir, 'crm.db'))).toBe(false)

    const human = await run('workflow', 'validate', 'bad.yaml')
    expect(human.code).toBe(1)
    expect(human.stdout).toBe('')
    expect(human.stderr).toMatch(/^error: invalid workflow bad\.yaml, 3 problems/)
    expect(human.stderr).toContain('  steps[1].id: nothing leads to step "reply"')

    const good = await run('workflow', 'validate', 'good.yaml', '--json')
    expect(good.code, good.stderr).toBe(0)
    expect(json(good)).toEqual({
      valid: true,
      key: 'resolved-note',
      name: 'Note on resolve',
      trigger: { type: 'conversation.resolved' },
      steps: 2,
    })
  }, 120_000)

  it('lists the built-in workflows in the CONTRACTS shape, imports, enables and shows one', async () => {
    const list = await run('workflow', 'list', '--json')
    expect(list.code, list.stderr).toBe(0)
    const rows = json(list) as Record<string, unknown>[]
    expect(rows.map((row) => row.key)).toEqual([
      'csat-survey',
      'customer-enrichment',
      'inbound-inquiry',
      'service-hygiene',
    ])
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['enabled', 'id', 'key', 'name', 'trigger', 'version'])
      expect(row).toMatchObject({ id: expect.stringMatching(/^wfl_/), version: 1, enabled: true })
    }
    expect(rows[3].trigger).toMatchObject({ type: 'schedule', cron: '*/15 * * * *' })

    const imported = await run('workflow', 'import', 'good.yaml', '--json')
    expect(imported.code, imported.stderr).toBe(0)
    expect(json(imported)).toMatchObject({
      key: 'resolved-note',
      version: 1,
      enabled: false,
      outcome: 'inserted',
    })
    const enabled = await run('workflow', 'enable', 'resolved-note', '--json')
    expect(json(enabled)).toMatchObject({ key: 'resolved-note', enabled: true })

    const shown = await run('workflow', 'show', 'resolved-note', '--json')
    expect(shown.code, shown.stderr).toBe(0)
    expect(json(shown)).toMatchObject({
      key: 'resolved-note',
      enabled: true,
      source: 'file',
      edges: [{ from: 'wait', to: 'note', via: 'next' }],
    })
    const missing = await run('workflow', 'disable', 'no-such-flow', '--json')
    expect(missing.code).toBe(1)
    expect(json(missing).error.code).toBe('WORKFLOW_NOT_FOUND')
  }, 180_000)
})
