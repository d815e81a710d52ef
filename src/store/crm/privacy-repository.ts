import { AppError } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { Customer } from '../../crm/customers.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { getRow, type EntityTable } from '../entity-table.js'
import { approvalsTable, notificationsTable } from '../actions/tables.js'
import { inTransaction, type RepositoryContext } from './context.js'
import { EMAIL_COLUMNS } from './inbound-repository.js'
import {
  attachmentsTable,
  consentEventsTable,
  conversationsTable,
  customersTable,
  eventsTable,
  identitiesTable,
  messagesTable,
  notesTable,
  ordersTable,
  orderItemsTable,
  tasksTable,
  trainingExamplesTable,
} from './tables.js'

/** The tables that hold a `customer_id`, in the order they are exported and moved on merge. */
const OWNED: readonly EntityTable[] = [
  identitiesTable,
  consentEventsTable,
  ordersTable,
  eventsTable,
  conversationsTable,
  messagesTable,
  notesTable,
  tasksTable,
  attachmentsTable,
  trainingExamplesTable,
]

export const ERASED_TEXT = '[erased]'

/**
 * Data-subject operations: export everything about one person, erase them irreversibly, and merge duplicates.
 */
export function createPrivacyRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  async function loadCustomer(db: Db, id: string): Promise<Customer> {
    return getRow<Customer>(store, customersTable, id, db)
  }

  /** Everything held about one person, including derived rows, as one JSON document. */
  async function exportCustomer(id: string, actor: Actor): Promise<Record<string, unknown>> {
    const customer = await loadCustomer(store.db, id)
    const out: Record<string, unknown> = { exportedAt: clock.now().toISOString(), customer }
    for (const spec of OWNED) {
      const rows = await store.db
        .selectFrom(spec.table)
        .selectAll()
        .where('customerId', '=', id)
        .orderBy('id')
        .execute()
      out[camel(spec.table)] = rows.map((row) => {
        const decoded = codec.decode<Record<string, unknown>>(spec.columns, row)
        if (spec === attachmentsTable && decoded.content instanceof Uint8Array) {
          decoded.content = Buffer.from(decoded.content).toString('base64')
        }
        return decoded
      })
    }
    const conversationIds = ((out.conversations as { id: string }[]) ?? []).map((c) => c.id)
    for (const [key, spec] of [
      ['approvals', approvalsTable],
      ['notifications', notificationsTable],
    ] as const) {
      out[key] =
        conversationIds.length === 0
          ? []
          : (
              await store.db
                .selectFrom(spec.table)
                .selectAll()
                .where('conversationId', 'in', conversationIds)
                .orderBy('id')
                .execute()
            ).map((row) => codec.decode(spec.columns, row))
    }
    // the envelopes and headers of their emails (migration 0010)
    out.emailMessages = (
      await store.db
        .selectFrom('email_messages')
        .selectAll()
        .where('messageId', 'in', store.db.selectFrom('messages').select('id').where('customerId', '=', id))
        .orderBy('messageId')
        .execute()
    ).map((row) => codec.decode(EMAIL_COLUMNS, row))
    const orderIds = ((out.orders as { id: string }[]) ?? []).map((o) => o.id)
    out.orderItems =
      orderIds.length === 0
        ? []
        : (
            await store.db
              .selectFrom('order_items')
              .selectAll()
              .where('orderId', 'in', orderIds)
              .orderBy('id')
              .execute()
          ).map((row) => codec.decode(orderItemsTable.columns, row))
    if (customer.companyId) {
      out.company = await store.db
        .selectFrom('companies')
        .selectAll()
        .where('id', '=', customer.companyId)
        .executeTakeFirst()
    }
    await store.db
      .transaction()
      .execute((db) =>
        writeAudit(
          db,
          codec,
          actor,
          { action: 'customer.export', targetType: 'customer', targetId: id },
          clock.now(),
        ),
      )
    return out
  }

  /**
   * Anonymises a customer irreversibly: personal fields scrubbed in every table (message texts and attachments
   * included), identities and consent removed, a tombstone kept so orders and aggregates stay valid, an audit
   * entry left, and on SQLite the WAL checkpointed so no old page keeps the data.
   */
  async function erase(id: string, actor: Actor): Promise<Customer> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const customer = await loadCustomer(db, id)
      if (customer.mergedIntoId !== null) {
        throw new AppError(
          'CRM_MERGE_INVALID',
          `customer "${id}" was merged into ${customer.mergedIntoId}; erase that customer instead`,
        )
      }
      const conversationIds = (
        await db.selectFrom('conversations').select('id').where('customerId', '=', id).execute()
      ).map((r) => String(r.id))
      await db
        .updateTable('customers')
        .set(
          codec.encode(customersTable.columns, {
            externalId: null,
            name: null,
            email: null,
            phone: null,
            acquisitionSource: null,
            companyId: null,
            ownerId: null,
            tags: [],
            attributes: {},
            erasedAt: now,
            archivedAt: customer.archivedAt ?? now,
            updatedAt: now,
          }),
        )
        .where('id', '=', id)
        .execute()
      await db.deleteFrom('identities').where('customerId', '=', id).execute()
      // chat widget visitors: the token in their browser must open nothing any more (migration 0011)
      await db.deleteFrom('chat_visitors').where('customerId', '=', id).execute()
      // live announcements hold ids only, but go with everything else of theirs
      await db.deleteFrom('live_events').where('customerId', '=', id).execute()
      if (conversationIds.length > 0) {
        await db.deleteFrom('live_events').where('conversationId', 'in', conversationIds).execute()
      }
      // Labelled examples made from their messages go too: models retrained later never see them.
      await db.deleteFrom('training_examples').where('customerId', '=', id).execute()
      // Decision records hold what was perceived in their messages (entities, redaction-free context).
      await db.deleteFrom('agent_decisions').where('customerId', '=', id).execute()
      // survey comments are the customer's own words; the score stays for the statistics
      await db.updateTable('surveys').set({ comment: null }).where('customerId', '=', id).execute()
      // workflow runs keep facts read from the customer's messages
      await db.deleteFrom('workflow_runs').where('customerId', '=', id).execute()
      await db
        .deleteFrom('agent_decisions')
        .where('messageId', 'in', db.selectFrom('messages').select('id').where('customerId', '=', id))
        .execute()
      await db.deleteFrom('consent_events').where('customerId', '=', id).execute()
      await db
        .updateTable('orders')
        .set(
          codec.encode(ordersTable.columns, {
            shippingAddress: null,
            trackingNumber: null,
            couponCode: null,
            attributes: {},
            refunds: [],
            returns: [],
            updatedAt: now,
          }),
        )
        .where('customerId', '=', id)
        .execute()
      await db
        .updateTable('events')
        .set(codec.encode(eventsTable.columns, { properties: {}, anonymousId: null, sessionId: null }))
        .where('customerId', '=', id)
        .execute()
      // their emails' envelopes: addresses, headers, the text with its quoted history (migration 0010)
      await db
        .deleteFrom('email_messages')
        .where('messageId', 'in', db.selectFrom('messages').select('id').where('customerId', '=', id))
        .execute()
      await db
        .updateTable('messages')
        .set({ text: ERASED_TEXT, channelMessageId: null, contentHash: null })
        .where('customerId', '=', id)
        .execute()
      if (conversationIds.length > 0) {
        await db
          .deleteFrom('email_messages')
          .where(
            'messageId',
            'in',
            db.selectFrom('messages').select('id').where('conversationId', 'in', conversationIds),
          )
          .execute()
        await db
          .updateTable('messages')
          .set({ text: ERASED_TEXT, channelMessageId: null, contentHash: null })
          .where('conversationId', 'in', conversationIds)
          .execute()
        await db
          .updateTable('conversations')
          .set(codec.encode(conversationsTable.columns, { subject: null, tags: [], updatedAt: now }))
          .where('id', 'in', conversationIds)
          .execute()
        // Drafts quote the reply to them and notifications the start of their message; the outbox holds
        // ids only, but a provider's delivery error can name their address.
        await db
          .updateTable('approvals')
          .set({ draftText: ERASED_TEXT, citations: codec.json([]) })
          .where('conversationId', 'in', conversationIds)
          .execute()
        await db
          .updateTable('notifications')
          .set({ payload: codec.json({ erased: true }) })
          .where('conversationId', 'in', conversationIds)
          .execute()
        await db
          .updateTable('outbox')
          .set({ lastError: null })
          .where(
            'messageId',
            'in',
            db.selectFrom('messages').select('id').where('conversationId', 'in', conversationIds),
          )
          .execute()
      }
      for (const [column, values] of [
        ['customerId', [id]],
        ['conversationId', conversationIds],
      ] as const) {
        if (values.length === 0) continue
        await db
          .updateTable('attachments')
          .set({ filename: ERASED_TEXT, content: null, sha256: '', size: 0 })
          .where(column, 'in', values)
          .execute()
        await db.updateTable('notes').set({ body: ERASED_TEXT }).where(column, 'in', values).execute()
        await db
          .updateTable('tasks')
          .set({ title: ERASED_TEXT, description: null })
          .where(column, 'in', values)
          .execute()
      }
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'customer.erase', targetType: 'customer', targetId: id },
        now,
      )
    })
    await compact()
    return loadCustomer(store.db, id)
  }

  /** Pushes erased data out of the write-ahead log and free pages. */
  async function compact(): Promise<void> {
    if (store.sqlite) {
      store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    }
  }

  /**
   * Merges `loserId` into `winnerId`: identities, orders, events, conversations, messages, notes, tasks,
   * attachments and consent move to the winner; empty winner fields are filled from the loser; the loser
   * stays as a tombstone pointing at the winner. Audited on both.
   */
  async function merge(winnerId: string, loserId: string, actor: Actor): Promise<Customer> {
    if (winnerId === loserId) {
      throw new AppError('CRM_MERGE_INVALID', 'a customer cannot be merged into itself', {
        details: { winnerId },
      })
    }
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const winner = await loadCustomer(db, winnerId)
      const loser = await loadCustomer(db, loserId)
      for (const c of [winner, loser]) {
        if (c.erasedAt !== null) throw new AppError('CRM_MERGE_INVALID', `customer "${c.id}" was erased`)
        if (c.mergedIntoId !== null) {
          throw new AppError(
            'CRM_MERGE_INVALID',
            `customer "${c.id}" was already merged into ${c.mergedIntoId}`,
          )
        }
      }
      for (const spec of OWNED) {
        await db
          .updateTable(spec.table)
          .set({ customerId: winnerId })
          .where('customerId', '=', loserId)
          .execute()
      }
      // the loser's chat widget visitors continue as the winner (migration 0011)
      await db
        .updateTable('chat_visitors')
        .set({ customerId: winnerId })
        .where('customerId', '=', loserId)
        .execute()
      const filled: Record<string, unknown> = {}
      for (const key of ['name', 'email', 'phone', 'companyId', 'acquisitionSource', 'ownerId'] as const) {
        if (winner[key] === null && loser[key] !== null) filled[key] = loser[key]
      }
      if (
        loser.firstSeenAt !== null &&
        (winner.firstSeenAt === null || loser.firstSeenAt < winner.firstSeenAt)
      ) {
        filled.firstSeenAt = loser.firstSeenAt
      }
      await db
        .updateTable('customers')
        .set(
          codec.encode(customersTable.columns, {
            email: null,
            phone: null,
            mergedIntoId: winnerId,
            archivedAt: now,
            updatedAt: now,
          }),
        )
        .where('id', '=', loserId)
        .execute()
      await db
        .updateTable('customers')
        .set(
          codec.encode(customersTable.columns, {
            ...filled,
            tags: [...new Set([...winner.tags, ...loser.tags])],
            attributes: { ...loser.attributes, ...winner.attributes },
            updatedAt: now,
          }),
        )
        .where('id', '=', winnerId)
        .execute()
      const details = { winnerId, loserId }
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'customer.merge',
          targetType: 'customer',
          targetId: winnerId,
          fields: Object.keys(filled),
          details,
        },
        now,
      )
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'customer.merged_into', targetType: 'customer', targetId: loserId, details },
        now,
      )
    })
    return loadCustomer(store.db, winnerId)
  }

  return { exportCustomer, erase, merge, compact }
}

function camel(table: string): string {
  return table.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
}

export type PrivacyRepository = ReturnType<typeof createPrivacyRepository>
