import { isAppError, type Clock } from '../core/index.js'
import type { Channel, ChannelInbox, DeliveryReceipt, OutboundMessage } from './channel.js'
import { startPollLoop } from './poll-loop.js'

/** An outbox row claimed for one delivery attempt, with what its channel needs. */
export interface ClaimedDelivery {
  readonly outboxId: string
  /** The attempt this claim is (1 for the first). */
  readonly attempt: number
  readonly inbox: ChannelInbox
  readonly message: OutboundMessage
}

/** What the deliverer needs from the store (`src/store/channels/outbox-deliveries.ts`). */
export interface OutboxPort {
  /**
   * Claims up to `limit` due rows (pending, or `sending` whose lease ran out) for `leaseMs`: each claim is a
   * compare-and-set, so two deliverers never hold the same row at once.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>
  markSent(claim: ClaimedDelivery, at: Date, receipt: DeliveryReceipt): Promise<void>
  markRetry(claim: ClaimedDelivery, at: Date, error: string, nextAttemptAt: Date): Promise<void>
  markFailed(claim: ClaimedDelivery, at: Date, error: string): Promise<void>
}

export interface DelivererOptions {
  readonly outbox: OutboxPort
  readonly channelFor: (inbox: ChannelInbox) => Channel
  readonly clock: Clock
  /** Attempts before a row fails for good. */
  readonly maxAttempts?: number
  /** The first retry's delay; each further one doubles, up to `maxDelayMs`, jittered to 50–100 %. */
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
  /** How long a claim holds a row; a deliverer that dies mid-send loses it after this. */
  readonly leaseMs?: number
  readonly batchSize?: number
  readonly random?: () => number
  readonly log?: (message: string) => void
}

/** One pass: the outbox ids delivered, scheduled for a retry, and failed for good. */
export interface DeliveryReport {
  readonly sent: string[]
  readonly retried: string[]
  readonly failed: string[]
}

/**
 * What a failed delivery attempt becomes: a user error (configuration, a refused recipient) or the last
 * allowed attempt fails for good with its reason; anything else is retried after `retryDelay`.
 */
export function failedAttempt(
  error: unknown,
  attempt: number,
  options: { maxAttempts: number; baseMs: number; maxMs: number; random: () => number; now: Date },
): { readonly retryAt: Date | null; readonly reason: string } {
  const reason = error instanceof Error ? error.message : String(error)
  const permanent = isAppError(error) && error.kind === 'user'
  if (permanent) return { retryAt: null, reason }
  if (attempt >= options.maxAttempts)
    return { retryAt: null, reason: `${reason} (gave up after ${attempt} attempts)` }
  return { retryAt: new Date(options.now.getTime() + retryDelay(attempt, options)), reason }
}

/** The delay before retry number `attempt` (1-based): exponential with jitter, capped. */
export function retryDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number; random: () => number },
) {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling * (0.5 + options.random() * 0.5))
}

/**
 * The outbox deliverer: claims due rows, sends each through the channel of its conversation's inbox and
 * records the outcome on the row and on the message's `deliveryStatus`. An operational error (network,
 * provider 5xx) is retried with jittered exponential backoff up to `maxAttempts`; a user error (missing
 * configuration, a refused recipient) fails at once with its reason in `last_error` — never sent silently.
 * A send that succeeded but whose mark was lost (a crash in between) is sent again once the lease runs out:
 * at most one duplicate, as DESIGN states.
 *
 * @example
 *   const deliverer = createDeliverer({ outbox, channelFor: channels.forInbox, clock })
 *   const loop = deliverer.start({ intervalMs: 1000 })
 *   await loop.stop()
 */
export function createDeliverer(options: DelivererOptions) {
  const maxAttempts = options.maxAttempts ?? 5
  const baseMs = options.baseDelayMs ?? 30_000
  const maxMs = options.maxDelayMs ?? 60 * 60_000
  const leaseMs = options.leaseMs ?? 2 * 60_000
  const batchSize = options.batchSize ?? 20
  const random = options.random ?? Math.random
  const { clock, outbox } = options

  async function deliver(claim: ClaimedDelivery, report: DeliveryReport, signal?: AbortSignal) {
    let receipt: DeliveryReceipt
    try {
      receipt = await options.channelFor(claim.inbox).send(claim.message, signal)
    } catch (error) {
      const now = clock.now()
      const outcome = failedAttempt(error, claim.attempt, { maxAttempts, baseMs, maxMs, random, now })
      if (outcome.retryAt === null) {
        await outbox.markFailed(claim, now, outcome.reason)
        options.log?.(`outbox ${claim.outboxId}: failed: ${outcome.reason}`)
        report.failed.push(claim.outboxId)
      } else {
        await outbox.markRetry(claim, now, outcome.reason, outcome.retryAt)
        report.retried.push(claim.outboxId)
      }
      return
    }
    await outbox.markSent(claim, clock.now(), receipt)
    report.sent.push(claim.outboxId)
  }

  /** Delivers what is due now, one batch; returns what happened to each row. */
  async function runOnce(signal?: AbortSignal): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: [], retried: [], failed: [] }
    const claims = await outbox.claimDue(clock.now(), batchSize, leaseMs)
    // One at a time: a provider's rate limit is per account, and SMTP connections are pooled anyway.
    for (const claim of claims) {
      if (signal?.aborted) break
      await deliver(claim, report, signal)
    }
    return report
  }

  /** Polls every `intervalMs` (at once again while batches come back full) until `stop()`. */
  function start(startOptions: { intervalMs?: number } = {}) {
    return startPollLoop(
      async (signal) => {
        const report = await runOnce(signal)
        return { full: report.sent.length + report.retried.length + report.failed.length >= batchSize }
      },
      { intervalMs: startOptions.intervalMs ?? 1_000, name: 'outbox deliverer', log: options.log },
    )
  }

  return { runOnce, start }
}

export type Deliverer = ReturnType<typeof createDeliverer>
