import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * What the action executor writes (issue 5, items 3 and 4): the outbox (one row per outbound effect, with the
 * idempotency key a deliverer hands to providers), drafts waiting for a person's approval, notifications
 * (hand-offs, assignments, drafts to review) and the effect of every action run under an idempotency key,
 * so a retried run replays its result instead of acting twice. Rows hold ids; texts that quote a customer
 * (a draft, a notification excerpt) are scrubbed by erasure.
 */
export function actionsMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', t.time)
        .addColumn('last_error', 'text')
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()
      // The deliverer's queue: due rows by status and time.
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute()
      await db.schema.createIndex('outbox_message').on('outbox').column('message_id').execute()

      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        // The inbound message the draft answers.
        .addColumn('message_id', 'text', (c) => c.references('messages.id'))
        // No foreign key: handling a message again replaces its decision record, and erasure deletes it.
        .addColumn('decision_id', 'text')
        .addColumn('draft_text', 'text', (c) => c.notNull())
        .addColumn('citations', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', t.time)
        .addColumn('result_message_id', 'text', (c) => c.references('messages.id'))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('approvals_status')
        .on('approvals')
        .columns(['status', 'created_at'])
        .execute()
      await db.schema
        .createIndex('approvals_conversation')
        .on('approvals')
        .columns(['conversation_id', 'created_at'])
        .execute()

      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.references('conversations.id').onDelete('cascade'))
        // null: the team's unassigned queue.
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('read_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('notifications_user')
        .on('notifications')
        .columns(['user_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('notifications_conversation')
        .on('notifications')
        .column('conversation_id')
        .execute()

      await db.schema
        .createTable('action_effects')
        .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('result', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('action_effects_created')
        .on('action_effects')
        .column('created_at')
        .execute()
    },
    async down() {
      // Forward-only, like every migration (see 0001-core).
    },
  }
}
