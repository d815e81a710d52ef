import { createHash, randomBytes } from 'node:crypto'
import { newId } from '../../core/index.js'
import type { RepositoryContext } from '../crm/context.js'

/** A browser of a chat widget: its inbox and, once it has written, its customer. */
export interface ChatVisitor {
  readonly id: string
  readonly inboxId: string
  readonly customerId: string | null
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Visitor tokens are `cv_` + 43 base64url characters (256 random bits). */
const TOKEN_PATTERN = /^cv_[A-Za-z0-9_-]{43}$/

/**
 * Chat widget visitors (`chat_visitors`). A visitor is issued a random token, kept in the browser's
 * localStorage; only its SHA-256 is stored, so a database dump does not let anyone write as a visitor.
 */
export function createChatVisitors(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec
  const time = (at: Date) => codec.encode({ at: 'time' }, { at }).at as string

  return {
    /** Issues a new visitor of `inboxId`; the token is returned once. */
    async issue(inboxId: string): Promise<ChatVisitor & { token: string }> {
      const now = clock.now()
      const id = newId('chatVisitor', now.getTime())
      const token = `cv_${randomBytes(32).toString('base64url')}`
      await store.db
        .insertInto('chat_visitors')
        .values({
          id,
          inboxId,
          tokenHash: hashToken(token),
          customerId: null,
          createdAt: time(now),
          lastSeenAt: time(now),
        })
        .execute()
      return { id, inboxId, customerId: null, token }
    },

    /** The visitor holding `token` in `inboxId`, or null (unknown token, another inbox's, malformed). */
    async byToken(inboxId: string, token: string): Promise<ChatVisitor | null> {
      if (!TOKEN_PATTERN.test(token)) return null
      const row = await store.db
        .selectFrom('chat_visitors')
        .select(['id', 'inboxId', 'customerId'])
        .where('tokenHash', '=', hashToken(token))
        .where('inboxId', '=', inboxId)
        .executeTakeFirst()
      if (row === undefined) return null
      return {
        id: String(row.id),
        inboxId: String(row.inboxId),
        customerId: row.customerId === null ? null : String(row.customerId),
      }
    },

    /** The visitor with this id, or null. */
    async byId(visitorId: string): Promise<ChatVisitor | null> {
      const row = await store.db
        .selectFrom('chat_visitors')
        .select(['id', 'inboxId', 'customerId'])
        .where('id', '=', visitorId)
        .executeTakeFirst()
      if (row === undefined) return null
      return {
        id: String(row.id),
        inboxId: String(row.inboxId),
        customerId: row.customerId === null ? null : String(row.customerId),
      }
    },

    /** Records the customer the visitor's messages were filed under, and when the visitor was last seen. */
    async seen(visitorId: string, customerId: string | null): Promise<void> {
      await store.db
        .updateTable('chat_visitors')
        .set({
          lastSeenAt: time(clock.now()),
          ...(customerId === null ? {} : { customerId }),
        })
        .where('id', '=', visitorId)
        .execute()
    },
  }
}

export type ChatVisitors = ReturnType<typeof createChatVisitors>
