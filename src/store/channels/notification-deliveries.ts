import { newId } from '../../core/index.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import type { Db } from '../database.js'
import { claimDueRows } from './leased-claims.js'

/** Where a notification goes besides the console. */
export type NotificationTarget = 'email' | 'webhook'

/** A claimed delivery as the notifier sees it: ids and addresses, never a customer's words. */
export interface NotificationClaim {
  readonly deliveryId: string
  readonly attempt: number
  readonly target: NotificationTarget
  readonly address: string
  readonly notification: {
    readonly id: string
    readonly kind: string
    readonly conversationId: string | null
    /** The addressee's name when it is a person; null: the team. */
    readonly recipientName: string | null
    /** The reason a hand-off or an approval gives (a category such as `low_confidence`), if any. */
    readonly reason: string | null
    /** A workflow notice's own words (written by the workflow's author, not the customer). */
    readonly message: string | null
    readonly createdAt: Date
  }
}

/**
 * Fans a new notification out into one delivery row per target, inside the caller's transaction: an email
 * to the person it is for (or to the workspace's `notify_email` for the team) and a post to the workspace's
 * `notify_webhook_url`. Nothing configured: the console is the only place it shows, as before.
 */
export async function fanOutNotification(
  db: Db,
  input: { readonly notificationId: string; readonly userId: string | null; readonly at: Date },
): Promise<number> {
  const workspace = await db
    .selectFrom('workspace')
    .select(['notifyEmail', 'notifyWebhookUrl'])
    .executeTakeFirst()
  const user =
    input.userId === null
      ? undefined
      : await db.selectFrom('users').select(['email']).where('id', '=', input.userId).executeTakeFirst()
  const email = (user?.email as string | undefined) ?? (workspace?.notifyEmail as string | null) ?? null
  const webhook = (workspace?.notifyWebhookUrl as string | null | undefined) ?? null
  const targets: [NotificationTarget, string][] = []
  if (email !== null) targets.push(['email', email])
  if (webhook !== null) targets.push(['webhook', webhook])
  const at = input.at.toISOString()
  for (const [target, address] of targets) {
    await db
      .insertInto('notification_deliveries')
      .values({
        id: newId('notificationDelivery', input.at.getTime()),
        notificationId: input.notificationId,
        target,
        address,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      })
      .execute()
  }
  return targets.length
}

/**
 * The notification deliveries as the notifier works them — the same lease-and-compare-and-set protocol as
 * the outbox (`outbox-deliveries.ts`): a claim moves a due row to `sending` and counts the attempt; marks
 * apply only while the claim still holds.
 */
export function createNotificationDeliveries(context: RepositoryContext) {
  const { store } = context
  const codec = store.codec

  async function load(db: Db, deliveryId: string, attempt: number): Promise<NotificationClaim | null> {
    const row = await db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notificationId')
      .leftJoin('users as u', 'u.id', 'n.userId')
      .select([
        'd.target as target',
        'd.address as address',
        'n.id as notificationId',
        'n.kind as kind',
        'n.conversationId as conversationId',
        'n.payload as payload',
        'n.createdAt as createdAt',
        'u.name as userName',
      ])
      .where('d.id', '=', deliveryId)
      .executeTakeFirst()
    if (row === undefined) return null
    const payload =
      codec.decode<{ payload: Record<string, unknown> | null }>({ payload: 'json' }, { payload: row.payload })
        .payload ?? {}
    const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null)
    return {
      deliveryId,
      attempt,
      target: row.target as NotificationTarget,
      address: row.address as string,
      notification: {
        id: row.notificationId as string,
        kind: row.kind as string,
        conversationId: (row.conversationId as string | null) ?? null,
        recipientName: (row.userName as string | null | undefined) ?? null,
        reason: text(payload.reason),
        message:
          row.kind === 'workflow_failed'
            ? `${text(payload.workflow) ?? 'a workflow'} failed at step ${text(payload.step) ?? '?'}`
            : row.kind === 'hand_off'
              ? null
              : text(payload.message),
        createdAt: new Date(codec.decode<{ at: string }>({ at: 'time' }, { at: row.createdAt }).at),
      },
    }
  }

  async function claimDue(now: Date, limit: number, leaseMs: number): Promise<NotificationClaim[]> {
    const claims: NotificationClaim[] = []
    for (const { id, attempt } of await claimDueRows(
      store.db,
      'notification_deliveries',
      now,
      limit,
      leaseMs,
    )) {
      const claim = await load(store.db, id, attempt)
      if (claim !== null) claims.push(claim)
    }
    return claims
  }

  async function mark(
    claim: NotificationClaim,
    at: Date,
    outcome: { status: 'sent' | 'pending' | 'failed'; lastError: string | null; nextAttemptAt: Date | null },
  ): Promise<void> {
    await inTransaction(store, async (db) => {
      await db
        .updateTable('notification_deliveries')
        .set({
          status: outcome.status,
          lastError: outcome.lastError === null ? null : outcome.lastError.slice(0, 2_000),
          nextAttemptAt: outcome.nextAttemptAt?.toISOString() ?? null,
          updatedAt: at.toISOString(),
        })
        .where('id', '=', claim.deliveryId)
        .where('status', '=', 'sending')
        .where('attempts', '=', claim.attempt)
        .execute()
    })
  }

  /** The delivery rows of one notification (for the API and tests). */
  async function forNotification(notificationId: string) {
    const rows = await store.db
      .selectFrom('notification_deliveries')
      .select(['id', 'target', 'address', 'status', 'attempts', 'lastError'])
      .where('notificationId', '=', notificationId)
      .orderBy('id')
      .execute()
    return rows.map((row) => ({
      id: row.id as string,
      target: row.target as NotificationTarget,
      address: row.address as string,
      status: row.status as 'pending' | 'sending' | 'sent' | 'failed',
      attempts: Number(row.attempts),
      lastError: (row.lastError as string | null) ?? null,
    }))
  }

  return {
    claimDue,
    forNotification,
    markSent: (claim: NotificationClaim, at: Date) =>
      mark(claim, at, { status: 'sent', lastError: null, nextAttemptAt: null }),
    markRetry: (claim: NotificationClaim, at: Date, error: string, nextAttemptAt: Date) =>
      mark(claim, at, { status: 'pending', lastError: error, nextAttemptAt }),
    markFailed: (claim: NotificationClaim, at: Date, error: string) =>
      mark(claim, at, { status: 'failed', lastError: error, nextAttemptAt: null }),
  }
}

export type NotificationDeliveries = ReturnType<typeof createNotificationDeliveries>
