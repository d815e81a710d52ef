/**
 * One ingest path for every channel (issue 5, item 7): a message in our standard shape, whether a signed
 * webhook or the IMAP poller brought it, is filed with its identity, email envelope and attachments in one
 * transaction (`crm.inbound.receive`), then its workflow runs start — unless it asked to stop marketing
 * (`opt_out`) or a program sent it (`automatic: …`), which is stored but never answered. Part of the
 * composition root, like app.ts.
 */
import type { ChannelInbox, InboundMessage, MimeLimits } from '../channels/index.js'
import { parseRawEmail } from '../channels/index.js'
import type { Clock } from '../core/index.js'
import type { Actor } from '../crm/actor.js'
import type { InboundReceipt } from '../crm/messages.js'
import type { ChannelInboundMessage } from '../store/index.js'

/** What a filed message answers (the webhook's 202 body). */
export interface IngestReceipt extends InboundReceipt {
  /** `started`, or `skipped` with the reason: an opt-out (`退订`) or mail a program sent. */
  readonly workflow: 'started' | 'skipped'
  readonly skippedReason: string | null
}

export interface ChannelIngestDeps {
  readonly receive: (input: ChannelInboundMessage, actor: Actor) => Promise<InboundReceipt>
  /** Starts the `message.received` runs of a filed message (idempotent on the message). */
  readonly trigger: (receipt: InboundReceipt) => Promise<void>
  readonly clock: Clock
  readonly emailLimits: MimeLimits
}

export function createChannelIngest(deps: ChannelIngestDeps) {
  /** Files one message that arrived in `inbox` and starts its workflow when it should be answered. */
  async function file(inbox: ChannelInbox, message: InboundMessage, actor: Actor): Promise<IngestReceipt> {
    const now = deps.clock.now()
    // a sender's clock ahead of ours would put the message after our reply to it
    const sentAt =
      message.sentAt !== undefined && Date.parse(message.sentAt) <= now.getTime() ? message.sentAt : undefined
    const receipt = await deps.receive(
      {
        inboxId: inbox.id,
        channel: inbox.channel,
        from: message.from,
        text: message.text,
        messageId: message.messageId,
        subject: message.subject,
        ...(sentAt ? { sentAt } : {}),
        ...(message.optOut
          ? { consentWithdrawal: { purpose: 'marketing', channel: 'sms', source: `${inbox.channel} reply` } }
          : {}),
        ...(message.email ? { email: message.email } : {}),
        ...(message.attachments ? { attachments: message.attachments } : {}),
        // the chat widget's visitor is the identity; what it typed never finds an existing customer
        ...(message.from.visitorId ? { chatVisitorId: message.from.visitorId } : {}),
      },
      actor,
    )
    // An opt-out is not a question, and an auto-reply must never be answered (loops).
    const skippedReason = message.optOut
      ? 'opt_out'
      : message.automatic !== null
        ? `automatic: ${message.automatic}`
        : null
    if (skippedReason === null) await deps.trigger(receipt)
    return {
      ...receipt,
      workflow: skippedReason === null ? 'started' : 'skipped',
      skippedReason,
    }
  }

  /** Parses a raw RFC 5322 message (IMAP) and files it like the webhook does. */
  async function fileRawEmail(inbox: ChannelInbox, raw: Uint8Array, actor: Actor): Promise<IngestReceipt> {
    const message = await parseRawEmail(raw, { limits: deps.emailLimits, receivedVia: 'imap' })
    return file(inbox, message, actor)
  }

  return { file, fileRawEmail }
}

export type ChannelIngest = ReturnType<typeof createChannelIngest>
