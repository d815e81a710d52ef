import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * Notifications beyond the console (issue 5, item 3: a hand-off notifies in the console, by email to the
 * assignee or team, and by an optional chat-ops webhook). Where the team is reached is workspace data —
 * `notify_email` and `notify_webhook_url` — so the console's settings can change it without a restart.
 * Each notification fans out, in the transaction that creates it, into one delivery row per target, worked
 * like the outbox: claimed with a lease, retried with backoff, failed visibly. Rows hold addresses and ids,
 * never a customer's words; erasure needs nothing here beyond the notification cascade.
 */
export function notifyMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema.alterTable('workspace').addColumn('notify_email', 'text').execute()
      await db.schema.alterTable('workspace').addColumn('notify_webhook_url', 'text').execute()
      await db.schema
        .createTable('notification_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('notification_id', 'text', (c) =>
          c.notNull().references('notifications.id').onDelete('cascade'),
        )
        // 'email' or 'webhook'
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', t.time)
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('notification_deliveries_due')
        .on('notification_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute()
      await db.schema
        .createIndex('notification_deliveries_notification')
        .on('notification_deliveries')
        .column('notification_id')
        .execute()
    },
    async down() {
      // Forward-only, like every migration (see 0001-core).
    },
  }
}
