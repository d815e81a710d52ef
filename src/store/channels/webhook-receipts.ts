import type { RepositoryContext } from '../crm/context.js'

/** Receipts are kept for twice the signature window: a timestamp may be up to a window in the future. */
const KEEP_MS = 2 * 5 * 60_000

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/**
 * The replay guard of signed webhooks on the database (`webhook_receipts`): the unique index on
 * (inbox, signature) decides between two concurrent deliveries of the same request, across processes.
 * Each claim also prunes receipts older than the window allows.
 */
export function createWebhookReceipts(context: RepositoryContext) {
  const { store } = context
  return {
    async claim(inboxId: string, signature: string, at: Date): Promise<boolean> {
      await store.db
        .deleteFrom('webhook_receipts')
        .where('receivedAt', '<', new Date(at.getTime() - KEEP_MS).toISOString())
        .execute()
      try {
        await store.db
          .insertInto('webhook_receipts')
          .values({ inboxId, signature, receivedAt: at.toISOString() })
          .execute()
        return true
      } catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },
    async release(inboxId: string, signature: string): Promise<void> {
      await store.db
        .deleteFrom('webhook_receipts')
        .where('inboxId', '=', inboxId)
        .where('signature', '=', signature)
        .execute()
    },
  }
}

export type WebhookReceipts = ReturnType<typeof createWebhookReceipts>
