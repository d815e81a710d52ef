import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * Live updates and the chat widget (issue 5, item 7 `chat`; issue 6 live console).
 *
 * `live_events`: an append-only announcement of what changed — ids only, never text — written in the same
 * transaction as the row it announces (a message, a conversation change, a notification, an approval). `seq`
 * is the database's own counter, so every API process follows one order with one cursor (see
 * docs/decisions/2026-11-25-live-events.md). Pruned after a day by the sweeper.
 *
 * `chat_visitors`: one browser of a widget inbox. The visitor holds a random token (only its SHA-256 is
 * stored); the customer is set when the visitor's first message is filed. Erasure deletes the rows.
 */
export function liveMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      let events = db.schema.createTable('live_events')
      events =
        dialect === 'sqlite'
          ? events.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
          : events.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      await events
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('message_id', 'text')
        .addColumn('notification_id', 'text')
        .addColumn('approval_id', 'text')
        // the user a notification is addressed to (null: the team)
        .addColumn('user_id', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('live_events_created').on('live_events').column('created_at').execute()
      await db.schema.createIndex('live_events_customer').on('live_events').column('customer_id').execute()

      await db.schema
        .createTable('chat_visitors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('inbox_id', 'text', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('cascade'))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('last_seen_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('chat_visitors_customer')
        .on('chat_visitors')
        .column('customer_id')
        .execute()
    },
    async down() {
      // Forward-only, like every migration (see 0001-core).
    },
  }
}
