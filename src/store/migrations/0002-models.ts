import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/** The model registry (artefacts stored in the database so every worker loads the same model) and
 * labelled training examples made from corrections. */
export function modelsMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('labels', t.json, (c) => c.notNull())
        .addColumn('metrics', t.json, (c) => c.notNull())
        .addColumn('data_fingerprint', 'text', (c) => c.notNull())
        .addColumn('artefact', 'text', (c) => c.notNull())
        .addColumn('artefact_bytes', t.int, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('promoted_at', t.time)
        .addUniqueConstraint('models_task_version', ['task', 'version'])
        .execute()
      await db.schema.createIndex('models_task_status').on('models').columns(['task', 'status']).execute()

      await db.schema
        .createTable('training_examples')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.references('messages.id'))
        .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('training_examples_task')
        .on('training_examples')
        .columns(['task', 'created_at'])
        .execute()
      await db.schema
        .createIndex('training_examples_customer')
        .on('training_examples')
        .column('customer_id')
        .execute()
    },
    async down() {},
  }
}
