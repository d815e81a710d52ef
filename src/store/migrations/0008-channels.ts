import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * Signed channel webhooks (issue 5, item 7): the signatures seen within the replay window, one row per
 * accepted delivery. A second delivery of the same signature to the same inbox loses the unique index and
 * is refused (409); rows older than twice the window are pruned as new ones arrive. Holds no personal data.
 */
export function channelsMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('webhook_receipts')
        .addColumn('inbox_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('received_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('webhook_receipts_signature')
        .on('webhook_receipts')
        .columns(['inbox_id', 'signature'])
        .unique()
        .execute()
      await db.schema
        .createIndex('webhook_receipts_received')
        .on('webhook_receipts')
        .column('received_at')
        .execute()
    },
    async down() {
      // Forward-only, like every migration (see 0001-core).
    },
  }
}
