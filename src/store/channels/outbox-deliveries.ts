import type { ChannelKind } from '../../crm/common.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { inboxesTable } from '../crm/tables.js'
import type { Db } from '../database.js'
import { claimDueRows } from './leased-claims.js'

/** A claimed outbox row as the deliverer sees it (the shape of `ClaimedDelivery` in src/channels). */
export interface OutboxClaim {
  readonly outboxId: string
  readonly attempt: number
  readonly inbox: {
    id: string
    channel: ChannelKind
    address: string | null
    settings: Record<string, unknown>
  }
  readonly message: {
    id: string
    idempotencyKey: string
    conversationId: string
    authorKind: 'customer' | 'agent' | 'ai' | 'system'
    text: string
    to: { email: string | null; phone: string | null; name: string | null }
    subject: string | null
    inReplyTo: string | null
    references: string[]
  }
}

/**
 * The outbox as the deliverer works it (`OutboxPort` in src/channels/deliverer.ts). A claim is a
 * compare-and-set on (status, attempts): it moves the row to `sending`, counts the attempt and leases it
 * until `next_attempt_at`; a row whose lease ran out is due again. Marks apply only while the claim still
 * holds, and copy the outcome to `messages.delivery_status` in the same transaction.
 */
export function createOutboxDeliveries(context: RepositoryContext) {
  const { store } = context
  const codec = store.codec

  async function load(db: Db, outboxId: string, attempt: number): Promise<OutboxClaim | null> {
    const row = await db
      .selectFrom('outbox as o')
      .innerJoin('messages as m', 'm.id', 'o.messageId')
      .innerJoin('conversations as c', 'c.id', 'm.conversationId')
      .innerJoin('inboxes as i', 'i.id', 'm.inboxId')
      .innerJoin('customers as cu', 'cu.id', 'm.customerId')
      .select([
        'o.idempotencyKey as idempotencyKey',
        'm.id as messageId',
        'm.conversationId as conversationId',
        'm.authorKind as authorKind',
        'm.text as text',
        'm.sentAt as sentAt',
        'c.subject as subject',
        'i.id as inboxId',
        'i.channel as channel',
        'i.address as address',
        'i.settings as settings',
        'cu.email as email',
        'cu.phone as phone',
        'cu.name as name',
      ])
      .where('o.id', '=', outboxId)
      .executeTakeFirst()
    if (row === undefined) return null
    const answered = await db
      .selectFrom('messages')
      .select(['id', 'channelMessageId'])
      .where('conversationId', '=', row.conversationId as string)
      .where('direction', '=', 'inbound')
      .where('channelMessageId', 'is not', null)
      .where('sentAt', '<=', row.sentAt as string)
      .orderBy('sentAt', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst()
    // email threads: the reply's References are the answered mail's References plus its Message-ID
    const envelope =
      answered === undefined || row.channel !== 'email'
        ? undefined
        : await db
            .selectFrom('email_messages')
            .select(['referenceIds'])
            .where('messageId', '=', answered.id as string)
            .executeTakeFirst()
    const references =
      envelope === undefined
        ? []
        : (codec.decode<{ referenceIds: string[] | null }>({ referenceIds: 'json' }, envelope).referenceIds ??
          [])
    const settings = codec.decode<{ settings: Record<string, unknown> }>(inboxesTable.columns, {
      settings: row.settings,
    }).settings
    return {
      outboxId,
      attempt,
      inbox: {
        id: row.inboxId as string,
        channel: row.channel as ChannelKind,
        address: (row.address as string | null) ?? null,
        settings: settings ?? {},
      },
      message: {
        id: row.messageId as string,
        idempotencyKey: row.idempotencyKey as string,
        conversationId: row.conversationId as string,
        authorKind: row.authorKind as OutboxClaim['message']['authorKind'],
        text: row.text as string,
        to: {
          email: (row.email as string | null) ?? null,
          phone: (row.phone as string | null) ?? null,
          name: (row.name as string | null) ?? null,
        },
        subject: (row.subject as string | null) ?? null,
        inReplyTo: (answered?.channelMessageId as string | undefined) ?? null,
        references,
      },
    }
  }

  async function claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxClaim[]> {
    const claims: OutboxClaim[] = []
    for (const { id, attempt } of await claimDueRows(store.db, 'outbox', now, limit, leaseMs)) {
      const claim = await load(store.db, id, attempt)
      if (claim !== null) claims.push(claim)
    }
    return claims
  }

  /** Applies an outcome while the claim holds; a claim lost to another deliverer changes nothing. */
  async function mark(
    claim: OutboxClaim,
    at: Date,
    outbox: { status: 'sent' | 'pending' | 'failed'; lastError: string | null; nextAttemptAt: Date | null },
  ): Promise<void> {
    await inTransaction(store, async (db) => {
      const result = await db
        .updateTable('outbox')
        .set({
          status: outbox.status,
          lastError: outbox.lastError === null ? null : outbox.lastError.slice(0, 2_000),
          nextAttemptAt: outbox.nextAttemptAt?.toISOString() ?? null,
          updatedAt: at.toISOString(),
        })
        .where('id', '=', claim.outboxId)
        .where('status', '=', 'sending')
        .where('attempts', '=', claim.attempt)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1 || outbox.status === 'pending') return
      await db
        .updateTable('messages')
        .set({ deliveryStatus: outbox.status })
        .where('id', '=', claim.message.id)
        .execute()
    })
  }

  return {
    claimDue,
    markSent: (claim: OutboxClaim, at: Date) =>
      mark(claim, at, { status: 'sent', lastError: null, nextAttemptAt: null }),
    markRetry: (claim: OutboxClaim, at: Date, error: string, nextAttemptAt: Date) =>
      mark(claim, at, { status: 'pending', lastError: error, nextAttemptAt }),
    markFailed: (claim: OutboxClaim, at: Date, error: string) =>
      mark(claim, at, { status: 'failed', lastError: error, nextAttemptAt: null }),
  }
}

export type OutboxDeliveries = ReturnType<typeof createOutboxDeliveries>
