import { randomBytes } from 'node:crypto'
import { ImapFlow } from 'imapflow'
import { AppError, isAppError, type Clock } from '../../core/index.js'
import { imapSettingsOf, type ImapSettings } from '../../crm/index.js'
import type { ChannelInbox } from '../channel.js'
import { retryDelay } from '../deliverer.js'

/** At most this many messages are read per poll. */
const BATCH = 200

/** Where the last poll of a mailbox stopped (the lease's view of `email_mailboxes`). */
export interface MailboxPosition {
  readonly uidValidity: string | null
  readonly lastUid: number
  readonly failures: number
}

/** What the poller needs from the store (`src/store/channels/email-mailboxes.ts`). */
export interface MailboxPort {
  /** Active email inboxes with `settings.imap`. */
  pollable(): Promise<ChannelInbox[]>
  /** Takes the mailbox's lease when free and due (or `force`); `busy` / `not_due` otherwise. */
  claim(
    inboxId: string,
    holder: string,
    now: Date,
    leaseMs: number,
    force: boolean,
  ): Promise<MailboxPosition | 'busy' | 'not_due'>
  advance(
    inboxId: string,
    holder: string,
    position: { uidValidity: string; lastUid: number },
    now: Date,
  ): Promise<void>
  finish(
    inboxId: string,
    holder: string,
    outcome: { ok: true } | { ok: false; error: string; failures: number },
    now: Date,
    nextPollAt: Date,
  ): Promise<void>
}

/** Files one raw message; throws an `AppError` of kind `user` when the message itself is unusable. */
export type RawMailIngest = (inbox: ChannelInbox, raw: Uint8Array) => Promise<{ duplicate: boolean }>

export interface ImapPollerOptions {
  readonly mailboxes: MailboxPort
  readonly ingest: RawMailIngest
  readonly clock: Clock
  /** `AGENTCRM_IMAP_PASSWORD_*` values by variable name. */
  readonly passwords: Readonly<Record<string, string>>
  /** The poll interval of inboxes without `settings.imap.pollSeconds`. */
  readonly defaultPollSeconds: number
  /** The largest message fetched (`AGENTCRM_EMAIL_MAX_BYTES`); larger ones are rejected unread. */
  readonly maxBytes: number
  /** How long a poll holds its mailbox; a poller that dies loses it after this. */
  readonly leaseMs?: number
  /** Network timeouts (connect, greeting, socket), each. */
  readonly timeoutMs?: number
  readonly random?: () => number
  readonly log?: (message: string) => void
}

/** One poll of one mailbox. */
export interface PollReport {
  readonly inboxId: string
  /** `ok`; `error` (reported on the inbox, retried with backoff); `busy` (another process polls it); `not_due`. */
  readonly status: 'ok' | 'error' | 'busy' | 'not_due'
  /** New messages seen (UID above the last filed). */
  readonly fetched: number
  readonly filed: number
  readonly duplicates: number
  /** Messages that cannot be filed (malformed, no sender, too large): skipped, left unread in the mailbox. */
  readonly rejected: readonly { uid: number; code: string; message: string }[]
  readonly error: string | null
  readonly nextPollAt: string | null
}

/**
 * IMAP polling in (imapflow): for each email inbox with `settings.imap`, on its interval, one process at a
 * time (a lease in the database) connects, opens the mailbox, and fetches the raw source of every message
 * whose UID is above the last one filed (reset when UIDVALIDITY changes), oldest first, with `BODY.PEEK`.
 * Each goes through the same ingest as the webhook; only once its row is committed (or it proved to be a
 * duplicate) is it flagged `\Seen` and the position saved. A message that can never be filed (malformed,
 * no sender, over the size cap) is skipped and left unread for a person. A failed poll (authentication,
 * network) is recorded on the inbox's status and retried with jittered exponential backoff; it never
 * throws out of the loop.
 *
 * @example
 *   const poller = createImapPoller({ mailboxes, ingest, clock, passwords, defaultPollSeconds: 60, maxBytes })
 *   const loop = poller.start({ intervalMs: 5_000 })
 *   await poller.pollInbox(inbox, { force: true }) // a one-off poll (`agentcrm channel poll`)
 *   await loop.stop()
 */
export function createImapPoller(options: ImapPollerOptions) {
  const { mailboxes, clock } = options
  const holder = `imap_${randomBytes(6).toString('hex')}`
  const leaseMs = options.leaseMs ?? 5 * 60_000
  const timeoutMs = options.timeoutMs ?? 30_000
  const random = options.random ?? Math.random

  function passwordOf(inbox: ChannelInbox, settings: ImapSettings): string {
    const password = options.passwords[settings.passwordEnv]
    if (password === undefined) {
      throw new AppError(
        'CHANNEL_NOT_CONFIGURED',
        `the IMAP password of inbox ${inbox.id} is not set: set the environment variable ${settings.passwordEnv}`,
        { details: { inboxId: inbox.id, setting: settings.passwordEnv } },
      )
    }
    return password
  }

  function pollSeconds(settings: ImapSettings | null): number {
    return settings?.pollSeconds ?? options.defaultPollSeconds
  }

  /** Polls what is new in one mailbox while holding its lease; the caller records the outcome. */
  async function pollHeld(
    inbox: ChannelInbox,
    settings: ImapSettings,
    position: MailboxPosition,
    counts: {
      fetched: number
      filed: number
      duplicates: number
      rejected: PollReport['rejected'][number][]
    },
  ): Promise<void> {
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.tls,
      auth: { user: settings.user, pass: passwordOf(inbox, settings) },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    })
    // a dropped connection emits 'error'; the awaited command fails too, which is where it is handled
    client.on('error', () => {})
    try {
      await client.connect()
      const mailbox = await client.mailboxOpen(settings.mailbox)
      const uidValidity = String(mailbox.uidValidity)
      // a new UIDVALIDITY renumbers the mailbox: start over (what was filed comes back as duplicates)
      let lastUid = position.uidValidity === uidValidity ? position.lastUid : 0
      const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })
      // `n:*` always matches the highest UID, even below n
      // a bounded batch per poll keeps it well inside the lease; the next poll goes on from here
      const uids = (found || [])
        .filter((uid) => uid > lastUid)
        .sort((a, b) => a - b)
        .slice(0, BATCH)
      for (const uid of uids) {
        counts.fetched++
        const meta = await client.fetchOne(String(uid), { size: true }, { uid: true })
        let rejection: AppError | null = null
        let seen = false
        if (meta && typeof meta.size === 'number' && meta.size > options.maxBytes) {
          rejection = new AppError(
            'CHANNEL_EMAIL_TOO_LARGE',
            `the email is ${meta.size} bytes; at most ${options.maxBytes} are accepted (AGENTCRM_EMAIL_MAX_BYTES)`,
          )
        } else {
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true })
          if (message && message.source) {
            try {
              const result = await options.ingest(inbox, message.source)
              if (result.duplicate) counts.duplicates++
              else counts.filed++
              seen = true
            } catch (error) {
              // a message that can never be filed is skipped; anything else (the database) ends the poll
              if (!isAppError(error) || error.kind !== 'user') throw error
              rejection = error
            }
          }
        }
        if (rejection !== null) {
          counts.rejected.push({ uid, code: rejection.code, message: rejection.message })
          options.log?.(`imap ${inbox.id}: skipped UID ${uid}: ${rejection.message}`)
        }
        // \Seen only after the message row is committed: a crash before this re-reads it as a duplicate
        if (seen) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
        lastUid = uid
        await mailboxes.advance(inbox.id, holder, { uidValidity, lastUid }, clock.now())
      }
      if (uids.length === 0 && position.uidValidity !== uidValidity) {
        await mailboxes.advance(inbox.id, holder, { uidValidity, lastUid }, clock.now())
      }
      await client.logout()
    } catch (error) {
      client.close()
      throw error
    }
  }

  function describe(error: unknown): string {
    const imap = error as { authenticationFailed?: boolean; responseText?: string; code?: string }
    if (imap.authenticationFailed) {
      return `authentication failed${imap.responseText ? `: ${imap.responseText}` : ''}; check settings.imap.user and the password in its environment variable`
    }
    const text = error instanceof Error ? error.message : String(error)
    return imap.code && !text.includes(imap.code) ? `${text} (${imap.code})` : text
  }

  /**
   * Polls one inbox now if it is due and nobody else polls it (`force`: even when not due — a one-off poll).
   * Never throws for a failed poll: the report (and the inbox's status) carries the error.
   */
  async function pollInbox(inbox: ChannelInbox, pollOptions: { force?: boolean } = {}): Promise<PollReport> {
    const counts = { fetched: 0, filed: 0, duplicates: 0, rejected: [] as PollReport['rejected'][number][] }
    const empty = (status: 'busy' | 'not_due'): PollReport => ({
      inboxId: inbox.id,
      status,
      ...counts,
      error: null,
      nextPollAt: null,
    })
    const claimed = await mailboxes.claim(inbox.id, holder, clock.now(), leaseMs, pollOptions.force ?? false)
    if (claimed === 'busy' || claimed === 'not_due') return empty(claimed)
    let settings: ImapSettings | null = null
    let failure: string | null = null
    try {
      settings = imapSettingsOf(inbox.settings)
      if (settings === null) {
        throw new AppError('CHANNEL_NOT_CONFIGURED', `inbox ${inbox.id} has no settings.imap to poll`, {
          details: { inboxId: inbox.id },
        })
      }
      await pollHeld(inbox, settings, claimed, counts)
    } catch (error) {
      failure = describe(error)
    }
    const now = clock.now()
    const failures = failure === null ? 0 : claimed.failures + 1
    const baseMs = pollSeconds(settings) * 1000
    const delay =
      failure === null
        ? baseMs
        : Math.max(baseMs, retryDelay(failures, { baseMs: 30_000, maxMs: 60 * 60_000, random }))
    const nextPollAt = new Date(now.getTime() + delay)
    await mailboxes.finish(
      inbox.id,
      holder,
      failure === null ? { ok: true } : { ok: false, error: failure, failures },
      now,
      nextPollAt,
    )
    if (failure !== null) options.log?.(`imap ${inbox.id}: poll failed (attempt ${failures}): ${failure}`)
    return {
      inboxId: inbox.id,
      status: failure === null ? 'ok' : 'error',
      ...counts,
      error: failure,
      nextPollAt: nextPollAt.toISOString(),
    }
  }

  /** Polls every pollable inbox that is due, one after the other. */
  async function runOnce(): Promise<PollReport[]> {
    const reports: PollReport[] = []
    for (const inbox of await mailboxes.pollable()) reports.push(await pollInbox(inbox))
    return reports
  }

  /** Checks for due mailboxes every `intervalMs` until `stop()`; a failing pass is logged, never thrown. */
  function start(startOptions: { intervalMs?: number } = {}) {
    const intervalMs = startOptions.intervalMs ?? 5_000
    let stopped = false
    let timer: NodeJS.Timeout | null = null
    let running: Promise<void> = Promise.resolve()
    const tick = () => {
      running = (async () => {
        try {
          await runOnce()
        } catch (error) {
          options.log?.(`imap poller: ${error instanceof Error ? error.message : String(error)}`)
        }
        if (!stopped) timer = setTimeout(tick, intervalMs)
      })()
    }
    tick()
    return {
      async stop(): Promise<void> {
        stopped = true
        if (timer !== null) clearTimeout(timer)
        await running
      },
    }
  }

  return { pollInbox, runOnce, start }
}

export type ImapPoller = ReturnType<typeof createImapPoller>
