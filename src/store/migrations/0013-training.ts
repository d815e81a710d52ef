import { sql, type Kysely, type Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * Training jobs started from the API and console (issue 6, item 5): one row per job with its status
 * (`queued` → `running` → `succeeded` | `failed`), progress in [0, 1], a message for people, the owner
 * process and its heartbeat (a job whose owner stopped is marked failed), and the model version it made.
 * At most one queued or running job per task: a partial unique index, so two processes cannot both start one.
 *
 * `model_reports` holds the evaluation report of a model version on its task's frozen test set (per-label
 * metrics, confusion matrix, reliability bins, worst errors), computed when the version is trained — or on
 * first request for versions trained before this table existed. The worst errors quote the frozen test
 * corpus (shipped data), never customers' messages.
 *
 * `result` and `report` are JSON kept as text on both databases: their keys are snake_case (CONTRACTS report
 * shape), and the Postgres driver's camel-casing of result rows would rename the keys inside `jsonb`.
 */
export function trainingMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('training_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', t.float, (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('model_version', 'integer')
        .addColumn('promoted', t.bool)
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('started_at', t.time)
        .addColumn('finished_at', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('training_jobs_task')
        .on('training_jobs')
        .columns(['task', 'created_at'])
        .execute()
      // the same statement on both databases: one active job per task
      await sql`create unique index training_jobs_one_active on training_jobs (task) where status in ('queued', 'running')`.execute(
        db,
      )

      await db.schema
        .createTable('model_reports')
        .addColumn('model_id', 'text', (c) => c.primaryKey().references('models.id').onDelete('cascade'))
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
    },
    async down() {
      // Forward-only, like every migration (restore from `agentcrm db backup`).
    },
  }
}
