import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * Satisfaction surveys (issue 5: the CSAT survey of the built-in inquiry workflow). One row per survey sent
 * by a run's `send_survey` step; the customer answers once through the public
 * `POST /api/v1/surveys/{token}`. The token is the only credential of that endpoint: long, random, unique.
 */
export function surveysMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('surveys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        // The survey message sent to the customer.
        .addColumn('message_id', 'text', (c) => c.references('messages.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull().unique())
        .addColumn('score', 'integer')
        .addColumn('comment', 'text')
        .addColumn('sent_at', t.time, (c) => c.notNull())
        .addColumn('answered_at', t.time)
        .execute()
      await db.schema.createIndex('surveys_conversation').on('surveys').column('conversation_id').execute()
      await db.schema.createIndex('surveys_customer').on('surveys').column('customer_id').execute()
    },
    async down() {
      // Forward-only, like every migration (see 0001-core).
    },
  }
}
