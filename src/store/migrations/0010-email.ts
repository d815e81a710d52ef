import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * The email channel (issue 5, items 3 and 7): what an inbound mail carried besides its text, and the IMAP
 * polling state of each email inbox.
 *
 * - `email_messages`: one row per inbound email message — its Message-ID (the natural key; also
 *   `messages.channel_message_id`), In-Reply-To and References (threading), the addresses and headers,
 *   the text before quoted history was stripped, why a program sent it (`automatic`), and attachments that
 *   were not stored (too large). Personal data: erasure scrubs it with the message.
 * - `email_mailboxes`: per inbox, the UIDVALIDITY and the last UID filed, the poll's status and backoff,
 *   and a lease (`locked_by`, `locked_until`) so two processes never poll one mailbox at once.
 */
export function emailMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('email_messages')
        .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
        .addColumn('inbox_id', 'text', (c) => c.notNull().references('inboxes.id'))
        .addColumn('internet_message_id', 'text', (c) => c.notNull())
        .addColumn('in_reply_to', 'text')
        .addColumn('reference_ids', t.json, (c) => c.notNull())
        .addColumn('from_header', 'text')
        .addColumn('to_addresses', t.json, (c) => c.notNull())
        .addColumn('cc_addresses', t.json, (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('headers', t.json, (c) => c.notNull())
        .addColumn('original_text', 'text')
        .addColumn('automatic', 'text')
        .addColumn('skipped_attachments', t.json, (c) => c.notNull())
        .addColumn('received_via', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('email_messages_internet_id')
        .on('email_messages')
        .columns(['inbox_id', 'internet_message_id'])
        .execute()

      await db.schema
        .createTable('email_mailboxes')
        .addColumn('inbox_id', 'text', (c) => c.primaryKey().references('inboxes.id').onDelete('cascade'))
        .addColumn('uid_validity', 'text')
        .addColumn('last_uid', t.int, (c) => c.notNull().defaultTo(0))
        // idle (never polled) | ok | error
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_polled_at', t.time)
        .addColumn('last_success_at', t.time)
        .addColumn('next_poll_at', t.time)
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()
    },
    async down() {
      // Forward-only, like every migration (see 0001-core).
    },
  }
}
