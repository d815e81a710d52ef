import type { Codec } from '../codec.js'
import type { Db } from '../database.js'
import type { RepositoryContext } from '../crm/context.js'

/** What a live event announces (CONTRACTS-style names; the SSE `event:` field). */
export const LIVE_EVENT_KINDS = [
  'message.created',
  'conversation.updated',
  'notification.created',
  'approval.created',
] as const
export type LiveEventKind = (typeof LIVE_EVENT_KINDS)[number]

/** One announcement: ids only, never text. `seq` is the database's order of writes. */
export interface LiveEvent {
  readonly seq: number
  readonly kind: LiveEventKind
  readonly conversationId: string | null
  readonly customerId: string | null
  readonly messageId: string | null
  readonly notificationId: string | null
  readonly approvalId: string | null
  /** For a notification: the user it is addressed to; null for the team (and for other kinds). */
  readonly userId: string | null
}

export type NewLiveEvent = Omit<Partial<LiveEvent>, 'seq' | 'kind'> & { readonly kind: LiveEventKind }

/** How long announcements are kept: `Last-Event-ID` resumes within a day; after that a client reloads. */
export const LIVE_EVENT_RETENTION_MS = 24 * 3_600_000

/**
 * Appends an announcement in the caller's transaction, so it commits (or rolls back) with the row it
 * announces. Call it from the writers of messages, conversations, notifications and approvals.
 */
export async function recordLiveEvent(db: Db, codec: Codec, event: NewLiveEvent, at: Date): Promise<void> {
  await db
    .insertInto('live_events')
    .values({
      kind: event.kind,
      conversationId: event.conversationId ?? null,
      customerId: event.customerId ?? null,
      messageId: event.messageId ?? null,
      notificationId: event.notificationId ?? null,
      approvalId: event.approvalId ?? null,
      userId: event.userId ?? null,
      createdAt: codec.encode({ createdAt: 'time' }, { createdAt: at }).createdAt,
    })
    .execute()
}

function toEvent(row: Record<string, unknown>): LiveEvent {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value))
  return {
    seq: Number(row.seq),
    kind: String(row.kind) as LiveEventKind,
    conversationId: text(row.conversationId),
    customerId: text(row.customerId),
    messageId: text(row.messageId),
    notificationId: text(row.notificationId),
    approvalId: text(row.approvalId),
    userId: text(row.userId),
  }
}

/**
 * Reads announcements for the live hub (`src/channels/live`): those after a sequence number, the newest
 * number, and pruning by age.
 */
export function createLiveEventsRepository(context: RepositoryContext) {
  const { store } = context
  return {
    /** Up to `limit` events with `seq > after`, in order. */
    async after(after: number, limit: number): Promise<LiveEvent[]> {
      const rows = await store.db
        .selectFrom('live_events')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit)
        .execute()
      return rows.map(toEvent)
    },
    /** The highest sequence number written so far (0 for none). */
    async latest(): Promise<number> {
      const row = await store.db
        .selectFrom('live_events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst()
      return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq)
    },
    /** Deletes announcements written before `before`; returns how many. */
    async prune(before: Date): Promise<number> {
      const result = await store.db
        .deleteFrom('live_events')
        .where('createdAt', '<', store.codec.encode({ at: 'time' }, { at: before }).at as string)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}

export type LiveEventsRepository = ReturnType<typeof createLiveEventsRepository>
