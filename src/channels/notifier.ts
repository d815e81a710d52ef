import type { Transporter } from 'nodemailer'
import { AppError, type Clock } from '../core/index.js'
import { failedAttempt } from './deliverer.js'
import { startPollLoop } from './poll-loop.js'
import { signedHeaders } from './signature.js'

const TIMEOUT_MS = 10_000

/** A notification delivery claimed for one attempt (the store's `NotificationClaim`). */
export interface NotificationDelivery {
  readonly deliveryId: string
  readonly attempt: number
  readonly target: 'email' | 'webhook'
  readonly address: string
  readonly notification: {
    readonly id: string
    readonly kind: string
    readonly conversationId: string | null
    readonly recipientName: string | null
    readonly reason: string | null
    readonly message: string | null
    readonly createdAt: Date
  }
}

/** What the notifier needs from the store (`src/store/channels/notification-deliveries.ts`). */
export interface NotificationPort {
  claimDue(now: Date, limit: number, leaseMs: number): Promise<NotificationDelivery[]>
  markSent(claim: NotificationDelivery, at: Date): Promise<void>
  markRetry(claim: NotificationDelivery, at: Date, error: string, nextAttemptAt: Date): Promise<void>
  markFailed(claim: NotificationDelivery, at: Date, error: string): Promise<void>
}

export interface NotifierOptions {
  readonly deliveries: NotificationPort
  /** The shared SMTP transport, or null when `AGENTCRM_SMTP_URL` is not set. */
  readonly smtp: () => Transporter | null
  /** `AGENTCRM_NOTIFY_FROM`. */
  readonly from: string
  /** `AGENTCRM_PUBLIC_URL`: links point into the console there. */
  readonly consoleUrl: string
  /** The workspace secret: chat-ops posts are signed like our other outbound webhooks. */
  readonly secret: string
  readonly clock: Clock
  readonly fetch?: typeof fetch
  readonly maxAttempts?: number
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
  readonly leaseMs?: number
  readonly batchSize?: number
  readonly random?: () => number
  readonly log?: (message: string) => void
}

const TITLES: Record<string, { en: string; zh: string }> = {
  hand_off: { en: 'A conversation was handed off', zh: '会话已转人工' },
  assigned: { en: 'A conversation was assigned', zh: '会话已分配' },
  approval_requested: { en: 'A drafted reply waits for approval', zh: '有一条草稿回复待审批' },
  workflow_failed: { en: 'A workflow run failed', zh: '工作流运行失败' },
  workflow_notice: { en: 'Workflow notice', zh: '工作流通知' },
}

/**
 * The words of a notification, in English and Chinese (a team may read either): a title, who it is for,
 * the reason category, and a link into the console. Never the customer's words — the link is where a
 * person reads those, signed in.
 */
export function notificationText(claim: NotificationDelivery, consoleUrl: string) {
  const { notification } = claim
  const title = TITLES[notification.kind] ?? { en: notification.kind, zh: notification.kind }
  const link =
    notification.conversationId === null
      ? `${consoleUrl}/workflows`
      : `${consoleUrl}/inbox/${encodeURIComponent(notification.conversationId)}`
  const lines = [
    `${title.en} / ${title.zh}`,
    notification.recipientName === null
      ? 'For: the team (unassigned) / 给：团队（未分配）'
      : `For / 给: ${notification.recipientName}`,
    ...(notification.reason === null ? [] : [`Reason / 原因: ${notification.reason}`]),
    ...(notification.message === null ? [] : [notification.message]),
    `Open / 打开: ${link}`,
  ]
  return { subject: `[AgentCRM] ${title.en} / ${title.zh}`, text: lines.join('\n'), link }
}

/**
 * Delivers notifications beyond the console: email to the assignee (or the workspace's team address)
 * through SMTP, and a chat-ops post (`{ text, kind, conversationId, url }`, signed) to the workspace's
 * webhook. Same discipline as the outbox deliverer: leased claims, jittered exponential retries for
 * network and 5xx/429 failures, an immediate visible failure for a configuration problem.
 *
 * @example
 *   const notifier = createNotifier({ deliveries, smtp, from, consoleUrl, secret, clock })
 *   const loop = notifier.start()
 */
export function createNotifier(options: NotifierOptions) {
  const maxAttempts = options.maxAttempts ?? 5
  const baseMs = options.baseDelayMs ?? 30_000
  const maxMs = options.maxDelayMs ?? 60 * 60_000
  const leaseMs = options.leaseMs ?? 2 * 60_000
  const batchSize = options.batchSize ?? 20
  const random = options.random ?? Math.random
  const fetcher = options.fetch ?? fetch
  const { clock, deliveries } = options

  async function sendEmail(claim: NotificationDelivery) {
    const transport = options.smtp()
    if (transport === null) {
      throw new AppError(
        'CHANNEL_NOT_CONFIGURED',
        'notification email cannot be sent: set AGENTCRM_SMTP_URL (smtp://user:pass@host:587 or smtps://…)',
        { details: { setting: 'AGENTCRM_SMTP_URL' } },
      )
    }
    const { subject, text } = notificationText(claim, options.consoleUrl)
    try {
      await transport.sendMail({
        from: options.from,
        to: claim.address,
        subject,
        text,
        messageId: `<${claim.deliveryId}@agentcrm.notifications>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-AgentCRM-Notification': claim.notification.id },
      })
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode
      // 5xx SMTP replies refuse the mail for good; the rest (connection, 4xx) are worth another try.
      throw new AppError(
        code !== undefined && code >= 500 ? 'CHANNEL_DELIVERY_REFUSED' : 'CHANNEL_DELIVERY_FAILED',
        `notification email to ${claim.address} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
  }

  async function postWebhook(claim: NotificationDelivery, signal?: AbortSignal) {
    const { text, link } = notificationText(claim, options.consoleUrl)
    const body = JSON.stringify({
      text,
      kind: claim.notification.kind,
      notificationId: claim.notification.id,
      conversationId: claim.notification.conversationId,
      url: link,
      at: claim.notification.createdAt.toISOString(),
    })
    let response: Response
    try {
      response = await fetcher(claim.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': claim.deliveryId,
          ...signedHeaders(options.secret, body, clock.now()),
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), ...(signal ? [signal] : [])]),
      })
    } catch (error) {
      throw new AppError(
        'CHANNEL_DELIVERY_FAILED',
        `notification webhook ${new URL(claim.address).host} did not answer: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
    await response.body?.cancel()
    if (response.ok) return
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500
    throw new AppError(
      retryable ? 'CHANNEL_DELIVERY_FAILED' : 'CHANNEL_DELIVERY_REFUSED',
      `notification webhook ${new URL(claim.address).host} answered ${response.status}`,
      { details: { status: response.status } },
    )
  }

  async function runOnce(signal?: AbortSignal) {
    const report = { sent: [] as string[], retried: [] as string[], failed: [] as string[] }
    const claims = await deliveries.claimDue(clock.now(), batchSize, leaseMs)
    for (const claim of claims) {
      if (signal?.aborted) break
      try {
        if (claim.target === 'email') await sendEmail(claim)
        else await postWebhook(claim, signal)
      } catch (error) {
        const now = clock.now()
        const outcome = failedAttempt(error, claim.attempt, { maxAttempts, baseMs, maxMs, random, now })
        if (outcome.retryAt === null) {
          await deliveries.markFailed(claim, now, outcome.reason)
          options.log?.(`notification ${claim.notification.id} (${claim.target}): failed: ${outcome.reason}`)
          report.failed.push(claim.deliveryId)
        } else {
          await deliveries.markRetry(claim, now, outcome.reason, outcome.retryAt)
          report.retried.push(claim.deliveryId)
        }
        continue
      }
      await deliveries.markSent(claim, clock.now())
      report.sent.push(claim.deliveryId)
    }
    return report
  }

  function start(startOptions: { intervalMs?: number } = {}) {
    return startPollLoop(
      async (signal) => {
        const report = await runOnce(signal)
        return { full: report.sent.length + report.retried.length + report.failed.length >= batchSize }
      },
      { intervalMs: startOptions.intervalMs ?? 1_000, name: 'notifier', log: options.log },
    )
  }

  return { runOnce, start }
}

export type Notifier = ReturnType<typeof createNotifier>
