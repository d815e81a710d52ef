import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/** The embedded job queue (src/queue/database-queue.ts): due jobs are claimed with a lease. */
export function jobsMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', t.time, (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', t.time)
        .addColumn('last_error', 'text')
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('jobs_queue_idempotency', ['queue', 'idempotency_key'])
        .execute()
      await db.schema.createIndex('jobs_due').on('jobs').columns(['queue', 'status', 'run_at']).execute()
    },
    async down() {},
  }
}
