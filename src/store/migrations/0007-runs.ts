import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/** Workflow runs and their step history (src/workflow/engine.ts). */
export function runsMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('workflow_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('workflow_key', 'text', (c) => c.notNull())
        .addColumn('workflow_version', 'integer', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('trigger', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_step', 'text')
        .addColumn('facts', t.json, (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('waiting_for', t.json)
        .addColumn('error', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('conversation_id', 'text')
        .addColumn('message_id', 'text')
        .addColumn('trigger_key', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('finished_at', t.time)
        .addUniqueConstraint('workflow_runs_trigger_key', ['workflow_id', 'trigger_key'])
        .execute()
      await db.schema
        .createIndex('workflow_runs_status')
        .on('workflow_runs')
        .columns(['status', 'updated_at'])
        .execute()
      await db.schema
        .createIndex('workflow_runs_customer')
        .on('workflow_runs')
        .column('customer_id')
        .execute()
      await db.schema
        .createIndex('workflow_runs_conversation')
        .on('workflow_runs')
        .column('conversation_id')
        .execute()
      await db.schema
        .createTable('workflow_run_steps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('workflow_runs.id').onDelete('cascade'))
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('step_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('output', t.json)
        .addColumn('error', 'text')
        .addColumn('next_step', 'text')
        .addColumn('started_at', t.time, (c) => c.notNull())
        .addColumn('finished_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('workflow_run_steps_run')
        .on('workflow_run_steps')
        .columns(['run_id', 'finished_at'])
        .execute()
    },
    async down() {},
  }
}
