import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliRunner, onlyJson, type CliRun } from '../support/cli.js'

describe('agentcrm import / export (CLI)', () => {
  let dir: string
  const run = cliRunner(() => dir, { timeoutMs: 60_000 })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (result: CliRun): any => onlyJson(result)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agentcrm-cli-'))
    writeFileSync(
      join(dir, 'customers.csv'),
      '\uFEFFexternal_id,name,email\nk-1,王小明,wang@example.com\nk-2,"Smith, Alice",alice@example.com\nk-3,Bad,nope\n',
    )
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from('external_id,name\nk-9,Jos\xe9\n', 'latin1'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('dry-runs, imports and reports as one JSON document, exiting 0 even with rejected rows', async () => {
    const dry = await run('import', 'customers', join(dir, 'customers.csv'), '--dry-run', '--json')
    expect(dry.code).toBe(0)
    expect(json(dry)).toMatchObject({ inserted: 2, updated: 0 })

    const result = await run('import', 'customers', join(dir, 'customers.csv'), '--json')
    expect(result.code).toBe(0)
    const report = json(result)
    expect(report).toMatchObject({ inserted: 2, updated: 0, rows: 3 })
    expect(report.rejected).toEqual([{ line: 4, errors: [expect.stringContaining('not an email address')] }])
  })

  it('exports to a file that imports back as updates', async () => {
    const out = join(dir, 'export.csv')
    const exported = await run('export', 'customers', '--out', out)
    expect(exported.code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('"Smith, Alice"')
    const again = await run('import', 'customers', out, '--json')
    expect(json(again)).toMatchObject({ inserted: 0, updated: 2, rejected: [] })
    const stdout = await run('export', 'customers', '--format', 'jsonl')
    expect(stdout.stdout.trim().split('\n')).toHaveLength(2)
  })

  it('fails with exit 1 and the error shape for a file that is not UTF-8 or does not exist', async () => {
    const latin1 = await run('import', 'customers', join(dir, 'latin1.csv'), '--json')
    expect(latin1.code).toBe(1)
    expect(json(latin1).error.code).toBe('CRM_IMPORT_INVALID_FILE')
    expect(latin1.stderr).toContain('UTF-8')
    const missing = await run('import', 'customers', join(dir, 'nope.csv'), '--json')
    expect(missing.code).toBe(1)
    expect(json(missing).error.code).toBe('CRM_IMPORT_INVALID_FILE')
    const unknown = await run('import', 'widgets', join(dir, 'customers.csv'), '--json')
    expect(unknown.code).toBe(2)
  })
})
