import type { ChannelKind } from '../../crm/common.js'
import type { RepositoryContext } from '../crm/context.js'
import { inboxesTable } from '../crm/tables.js'

/** Codec columns of `email_mailboxes` (migration 0010). */
const COLUMNS = {
  lastUid: 'int',
  failures: 'int',
  lastPolledAt: 'time',
  lastSuccessAt: 'time',
  nextPollAt: 'time',
  lockedUntil: 'time',
  updatedAt: 'time',
} as const

/** The polling state of one mailbox as the API shows it (`GET …/mailbox`). */
export interface MailboxStatus {
  readonly inboxId: string
  /** `idle` (never polled), `ok`, or `error` with `lastError`. */
  readonly status: 'idle' | 'ok' | 'error'
  readonly lastError: string | null
  readonly failures: number
  readonly uidValidity: string | null
  readonly lastUid: number
  readonly lastPolledAt: string | null
  readonly lastSuccessAt: string | null
  readonly nextPollAt: string | null
  /** Until when a process holds the mailbox (polling it now); null when none does. */
  readonly lockedUntil: string | null
}

/** A held lease: where the last poll stopped. */
export interface MailboxLease {
  readonly inboxId: string
  readonly uidValidity: string | null
  readonly lastUid: number
  readonly failures: number
}

/**
 * The IMAP polling state of email inboxes (`email_mailboxes`) with the lease that keeps one poller per
 * mailbox: `claim` is a compare-and-set on `locked_until` (like the outbox and job claims), so two
 * processes never poll the same mailbox at once, and a poller that died loses its lease when it runs out.
 * Progress (`advance`) is saved after every message filed, so a crash re-reads at most one message — and
 * that one is a duplicate by its Message-ID.
 */
export function createEmailMailboxes(context: RepositoryContext) {
  const { store } = context
  const codec = store.codec

  /** Active email inboxes whose settings have an `imap` section. */
  async function pollable(): Promise<
    { id: string; channel: ChannelKind; address: string | null; settings: Record<string, unknown> }[]
  > {
    const rows = await store.db
      .selectFrom('inboxes')
      .select(['id', 'channel', 'address', 'settings'])
      .where('channel', '=', 'email')
      .where('active', '=', codec.bool(true))
      .orderBy('id')
      .execute()
    return rows
      .map((row) => ({
        id: String(row.id),
        channel: row.channel as ChannelKind,
        address: (row.address as string | null) ?? null,
        settings:
          codec.decode<{ settings: Record<string, unknown> | null }>(inboxesTable.columns, {
            settings: row.settings,
          }).settings ?? {},
      }))
      .filter((inbox) => inbox.settings.imap !== undefined && inbox.settings.imap !== null)
  }

  async function ensureRow(inboxId: string, now: Date): Promise<void> {
    const existing = await store.db
      .selectFrom('email_mailboxes')
      .select('inboxId')
      .where('inboxId', '=', inboxId)
      .executeTakeFirst()
    if (existing !== undefined) return
    try {
      await store.db
        .insertInto('email_mailboxes')
        .values(
          codec.encode(COLUMNS, {
            inboxId,
            uidValidity: null,
            lastUid: 0,
            status: 'idle',
            lastError: null,
            failures: 0,
            lastPolledAt: null,
            lastSuccessAt: null,
            nextPollAt: null,
            lockedBy: null,
            lockedUntil: null,
            updatedAt: now,
          }),
        )
        .execute()
    } catch {
      // another process inserted it first: the row exists, which is all we need
    }
  }

  /**
   * Takes the mailbox for `leaseMs` when nobody holds it and it is due (or `force`: a one-off poll);
   * null otherwise.
   */
  async function claim(
    inboxId: string,
    holder: string,
    now: Date,
    leaseMs: number,
    force: boolean,
  ): Promise<MailboxLease | 'busy' | 'not_due'> {
    await ensureRow(inboxId, now)
    const iso = now.toISOString()
    let query = store.db
      .updateTable('email_mailboxes')
      .set({
        lockedBy: holder,
        lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
        updatedAt: iso,
      })
      .where('inboxId', '=', inboxId)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', iso)]))
    if (!force) {
      query = query.where((eb) => eb.or([eb('nextPollAt', 'is', null), eb('nextPollAt', '<=', iso)]))
    }
    const result = await query.executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) {
      const row = await store.db
        .selectFrom('email_mailboxes')
        .select(['lockedUntil'])
        .where('inboxId', '=', inboxId)
        .executeTakeFirst()
      const held = codec.decode<{ lockedUntil: string | null }>(COLUMNS, row ?? {}).lockedUntil
      return held !== null && held !== undefined && Date.parse(held) >= now.getTime() ? 'busy' : 'not_due'
    }
    const row = await store.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('inboxId', '=', inboxId)
      .executeTakeFirstOrThrow()
    const state = codec.decode<{ uidValidity: string | null; lastUid: number; failures: number }>(
      COLUMNS,
      row,
    )
    return {
      inboxId,
      uidValidity: state.uidValidity ?? null,
      lastUid: Number(state.lastUid),
      failures: Number(state.failures),
    }
  }

  /** Records where the poll got to (while the lease holds). */
  async function advance(
    inboxId: string,
    holder: string,
    position: { uidValidity: string; lastUid: number },
    now: Date,
  ): Promise<void> {
    await store.db
      .updateTable('email_mailboxes')
      .set(codec.encode(COLUMNS, { ...position, updatedAt: now }))
      .where('inboxId', '=', inboxId)
      .where('lockedBy', '=', holder)
      .execute()
  }

  /** Ends a poll: its outcome, when to poll next, and the lease released. */
  async function finish(
    inboxId: string,
    holder: string,
    outcome: { ok: true } | { ok: false; error: string; failures: number },
    now: Date,
    nextPollAt: Date,
  ): Promise<void> {
    await store.db
      .updateTable('email_mailboxes')
      .set(
        codec.encode(COLUMNS, {
          status: outcome.ok ? 'ok' : 'error',
          lastError: outcome.ok ? null : outcome.error.slice(0, 2_000),
          failures: outcome.ok ? 0 : outcome.failures,
          lastPolledAt: now,
          ...(outcome.ok ? { lastSuccessAt: now } : {}),
          nextPollAt,
          lockedBy: null,
          lockedUntil: null,
          updatedAt: now,
        }),
      )
      .where('inboxId', '=', inboxId)
      .where('lockedBy', '=', holder)
      .execute()
  }

  async function status(inboxId: string): Promise<MailboxStatus | null> {
    const row = await store.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('inboxId', '=', inboxId)
      .executeTakeFirst()
    if (row === undefined) return null
    const decoded = codec.decode<Record<string, unknown>>(COLUMNS, row)
    return {
      inboxId,
      status: decoded.status as MailboxStatus['status'],
      lastError: (decoded.lastError as string | null) ?? null,
      failures: Number(decoded.failures),
      uidValidity: (decoded.uidValidity as string | null) ?? null,
      lastUid: Number(decoded.lastUid),
      lastPolledAt: (decoded.lastPolledAt as string | null) ?? null,
      lastSuccessAt: (decoded.lastSuccessAt as string | null) ?? null,
      nextPollAt: (decoded.nextPollAt as string | null) ?? null,
      lockedUntil: (decoded.lockedUntil as string | null) ?? null,
    }
  }

  return { pollable, claim, advance, finish, status }
}

export type EmailMailboxes = ReturnType<typeof createEmailMailboxes>
