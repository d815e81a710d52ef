import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachDatabase } from '../../../test/support/databases.js'
import { cliActor } from '../../crm/actor.js'
import type { Store } from '../database.js'
import type { ImportProgress } from './run-import.js'
import { importInWorker } from './worker-import.js'

describeEachDatabase('import in worker threads', (database) => {
  let store: Store & { dispose(): Promise<void> }
  let dir: string
  beforeEach(async () => {
    store = await database.open()
    dir = mkdtempSync(join(tmpdir(), 'agentcrm-worker-'))
  })
  afterEach(async () => {
    await store?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  const request = (path: string, chunkSize = 7) => ({
    entity: 'customers' as const,
    format: 'csv' as const,
    path,
    dryRun: false,
    actor: cliActor,
    defaultRegion: 'CN',
    chunkSize,
  })

  it('streams many chunks from the reader thread to the writer thread and reports progress', async () => {
    const lines = ['external_id,name,email']
    for (let i = 0; i < 100; i++) lines.push(`w-${i},客户 ${i},w${i}@example.com`)
    lines.push('w-bad,Bad,not-an-email')
    const path = join(dir, 'customers.csv')
    writeFileSync(path, lines.join('\n'))
    const progress: ImportProgress[] = []
    const report = await importInWorker(store, request(path), (step) => progress.push(step)).done
    expect(report).toMatchObject({ inserted: 100, updated: 0, rows: 101 })
    expect(report.rejected).toEqual([{ line: 102, errors: [expect.stringContaining('not-an-email')] }])
    expect(progress.length).toBeGreaterThanOrEqual(14)
    expect(progress.at(-1)).toMatchObject({ rows: 101, inserted: 100, rejected: 1 })
    const audit = await store.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'customer.import')
      .execute()
    expect(audit).toHaveLength(Math.ceil(100 / 7))
  })

  it('fails with the file error and what was committed before it when the file goes bad midway', async () => {
    const head = ['external_id,name']
    for (let i = 0; i < 50_000; i++) head.push(`m-${i},ok`)
    const path = join(dir, 'broken.csv')
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(`${head.join('\n')}\nm-x,`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    )
    const failure = await importInWorker(store, request(path, 500)).done.catch((error: unknown) => error)
    expect(failure).toMatchObject({ code: 'CRM_IMPORT_INVALID_FILE' })
    const details = (failure as { details: { inserted: number } }).details
    const row = await store.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    // The reader met the bad bytes after the first read of the file (256 KiB) was parsed and committed.
    expect(details.inserted).toBeGreaterThan(0)
    expect(Number(row.n)).toBe(details.inserted)
  })
})
