import { existsSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import { migrateToLatest, openStore, redactUrl } from '../../store/index.js'
import { configFrom, withApp } from '../context.js'
import { createOutput, reportFailure } from '../output.js'

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance')

  db.command('migrate')
    .description('apply pending migrations')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const config = configFrom()
        const store = await openStore({ url: config.databaseUrl })
        try {
          const result = await migrateToLatest(store)
          if (result.error) throw result.error
          out.result({ applied: result.applied, database: store.dialect }, () =>
            result.applied.length === 0
              ? 'the database is up to date'
              : `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`,
          )
        } finally {
          await store.close()
        }
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })

  db.command('backup')
    .description('write a consistent copy of the database to FILE (online; SQLite backup API or pg_dump)')
    .argument('<file>', 'where to write the backup')
    .option('--json', 'machine-readable output')
    .action(async (file: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const target = resolve(file)
        if (existsSync(target)) {
          throw new AppError('STORE_BACKUP_FAILED', `${file} already exists; choose a new file name`)
        }
        const result = await withApp({}, async (app) => {
          const { store } = app
          if (store.sqlite) {
            await store.sqlite.backup(target)
          } else if (store.target.dialect === 'postgres') {
            await pgDump(store.target.connectionString, target)
          }
          await app.store.db.transaction().execute(async (trx) => {
            const { writeAudit } = await import('../../store/audit.js')
            await writeAudit(
              trx,
              store.codec,
              cliActor,
              { action: 'db.backup', targetType: 'database', targetId: null },
              app.clock.now(),
            )
          })
          return { file: target, database: store.dialect }
        })
        out.result(result, () => `backup written to ${result.file}`)
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })
}

function pgDump(connectionString: string, file: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('pg_dump', ['--format=custom', `--file=${file}`, connectionString], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', (error) =>
      reject(
        new AppError('STORE_BACKUP_FAILED', 'pg_dump is not installed; install the PostgreSQL client tools', {
          cause: error,
        }),
      ),
    )
    child.on('close', (code) =>
      code === 0
        ? resolvePromise()
        : reject(
            new AppError(
              'STORE_BACKUP_FAILED',
              `pg_dump of ${redactUrl(connectionString)} failed: ${stderr.trim()}`,
            ),
          ),
    )
  })
}
