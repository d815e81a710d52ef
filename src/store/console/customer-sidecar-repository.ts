import { sql } from 'kysely'
import type { Customer } from '../../crm/customers.js'
import { notificationsTable } from '../actions/tables.js'
import type { RepositoryContext } from '../crm/context.js'
import { getRow } from '../entity-table.js'
import { customersTable } from '../crm/tables.js'

/** A survey sent to a customer and its answer, without the token (the answer link's credential). */
export interface CustomerSurvey {
  readonly id: string
  readonly conversationId: string
  readonly kind: string
  readonly language: string
  readonly score: number | null
  readonly comment: string | null
  readonly sentAt: string
  readonly answeredAt: string | null
}

/** "These two may be the same person": one open duplicate suggestion, seen from one customer. */
export interface DuplicateSuggestion {
  /** The notification that raised it (ingest or the customer-information workflow). */
  readonly notificationId: string
  /** Which identity the two share (`email`, `phone`). */
  readonly kind: string | null
  readonly source: string | null
  readonly conversationId: string | null
  readonly suggestedAt: string
  readonly other: Pick<Customer, 'id' | 'name' | 'email' | 'phone' | 'tier' | 'createdAt'>
}

/**
 * Reads the customer 360 shows beside `insights.customer360`: the customer's surveys and the duplicate
 * suggestions that involve them. Suggestions are `duplicate_suggestion` notifications (payload
 * `{customerId, otherCustomerId, kind}`); one whose other customer was merged, erased or archived since is
 * settled and not shown.
 */
export function createCustomerSidecarRepository(context: RepositoryContext) {
  const { store } = context
  const { db, codec, dialect } = store

  async function surveys(customerId: string): Promise<CustomerSurvey[]> {
    await getRow<Customer>(store, customersTable, customerId)
    const rows = await db
      .selectFrom('surveys')
      .select(['id', 'conversationId', 'kind', 'language', 'score', 'comment', 'sentAt', 'answeredAt'])
      .where('customerId', '=', customerId)
      .orderBy('sentAt', 'desc')
      .orderBy('id', 'desc')
      .limit(50)
      .execute()
    return rows.map((row) => {
      const decoded = codec.decode<CustomerSurvey>({ sentAt: 'time', answeredAt: 'time' }, row)
      return { ...decoded, score: decoded.score === null ? null : Number(decoded.score) }
    })
  }

  async function duplicates(customerId: string): Promise<DuplicateSuggestion[]> {
    await getRow<Customer>(store, customersTable, customerId)
    // Ids are unique strings, so a text match narrows the rows before the payload is decoded.
    const payloadText = dialect === 'sqlite' ? sql<string>`payload` : sql<string>`payload::text`
    const rows = await db
      .selectFrom('notifications')
      .select(['id', 'conversationId', 'payload', 'createdAt'])
      .where('kind', '=', 'duplicate_suggestion')
      .where(payloadText, 'like', `%${customerId}%`)
      .orderBy('createdAt', 'desc')
      .limit(200)
      .execute()
    const suggestions = new Map<string, Omit<DuplicateSuggestion, 'other'>>()
    for (const row of rows) {
      const notification = codec.decode<{
        id: string
        conversationId: string | null
        payload: Record<string, unknown>
        createdAt: string
      }>(notificationsTable.columns, row)
      const payload = notification.payload ?? {}
      const otherId =
        payload.customerId === customerId
          ? payload.otherCustomerId
          : payload.otherCustomerId === customerId
            ? payload.customerId
            : undefined
      if (typeof otherId !== 'string' || otherId === customerId || suggestions.has(otherId)) continue
      suggestions.set(otherId, {
        notificationId: notification.id,
        kind: typeof payload.kind === 'string' ? payload.kind : null,
        source: typeof payload.source === 'string' ? payload.source : 'workflow',
        conversationId: notification.conversationId,
        suggestedAt: notification.createdAt,
      })
    }
    if (suggestions.size === 0) return []
    const others = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', 'in', [...suggestions.keys()])
      .where('mergedIntoId', 'is', null)
      .where('erasedAt', 'is', null)
      .where('archivedAt', 'is', null)
      .execute()
    const live = new Map(
      others.map((row) => {
        const customer = codec.decode<Customer>(customersTable.columns, row)
        return [customer.id, customer] as const
      }),
    )
    return [...suggestions]
      .filter(([otherId]) => live.has(otherId))
      .map(([otherId, suggestion]) => {
        const other = live.get(otherId)!
        return {
          ...suggestion,
          other: {
            id: other.id,
            name: other.name,
            email: other.email,
            phone: other.phone,
            tier: other.tier,
            createdAt: other.createdAt,
          },
        }
      })
  }

  return { surveys, duplicates }
}

export type CustomerSidecarRepository = ReturnType<typeof createCustomerSidecarRepository>
