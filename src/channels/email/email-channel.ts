import type { Transporter } from 'nodemailer'
import { z } from 'zod'
import { detectAutomaticMessage } from '../../actions/index.js'
import { AppError, type Clock } from '../../core/index.js'
import { messageTextSchema } from '../../crm/index.js'
import type { Channel, ChannelInbox, InboundMessage } from '../channel.js'
import { parsePayload } from '../payload.js'
import { verifyWebhook, type WebhookHeaders } from '../signature.js'
import { parseRawEmail, type MimeLimits } from './mime.js'
import { stripQuotedHistory } from './quoted-history.js'

/** The inbound email webhook body as JSON: a provider's parsed mail (raw MIME: `message/rfc822`). */
export const emailPayloadSchema = z.strictObject({
  from: z.string().trim().min(3).max(254),
  fromName: z.string().trim().max(200).optional(),
  subject: z.string().max(998).optional(),
  text: messageTextSchema,
  messageId: z.string().trim().min(1).max(998),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  sentAt: z.iso.datetime({ offset: true }).optional(),
})

export interface EmailChannelOptions {
  readonly inbox: ChannelInbox
  readonly secret: string
  readonly clock: Clock
  /** An SMTP transport (nodemailer), or null when `AGENTCRM_SMTP_URL` is not set. */
  readonly transport: Transporter | null
  /** Caps on raw MIME (`AGENTCRM_EMAIL_MAX_BYTES`, `AGENTCRM_EMAIL_ATTACHMENT_MAX_BYTES`). */
  readonly limits: MimeLimits
}

/** The media types a raw RFC 5322 message is posted as. */
const RAW_MIME_TYPES = new Set(['message/rfc822', 'text/plain', 'application/octet-stream'])

function mediaType(headers: WebhookHeaders): string {
  const value = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1]
  const text = typeof value === 'string' ? value : (value?.[0] ?? '')
  return text.split(';')[0].trim().toLowerCase()
}

/** The `<…>` ids in a header value given as a string or a list. */
function headerIds(value: string | readonly string[] | undefined): string[] {
  const text = value === undefined ? '' : typeof value === 'string' ? value : value.join(' ')
  return text.match(/<[^<>\s]+>/g) ?? []
}

/**
 * Email: a signed inbound webhook taking the raw message (`Content-Type: message/rfc822`, parsed by
 * mailparser: see `parseRawEmail`) or a provider's parsed mail as JSON (quoted history stripped for
 * perception; automatic mail flagged by its headers), and SMTP out through nodemailer, threaded with
 * `In-Reply-To` and `References`. Message-IDs are derived from our message id, so a resend after a crash
 * carries the same one, and a customer's answer to it finds its conversation again.
 */
export function createEmailChannel(options: EmailChannelOptions): Channel {
  const { inbox, secret, clock } = options
  return {
    kind: 'email',
    async receive({ headers, rawBody }) {
      verifyWebhook({ secret, headers, rawBody, clock })
      const type = mediaType(headers)
      if (RAW_MIME_TYPES.has(type)) {
        return [await parseRawEmail(rawBody, { limits: options.limits, receivedVia: 'webhook' })]
      }
      if (type !== 'application/json' && type !== '') {
        throw new AppError(
          'CORE_UNSUPPORTED_MEDIA_TYPE',
          `the email webhook takes message/rfc822 (the raw message) or application/json, not ${type.slice(0, 100)}`,
          { details: { contentType: type.slice(0, 100) } },
        )
      }
      const payload = parsePayload(emailPayloadSchema, rawBody, 'email')
      const text = stripQuotedHistory(payload.text)
      const verdict = detectAutomaticMessage({ headers: payload.headers ?? {}, from: payload.from })
      const message: InboundMessage = {
        channel: 'email',
        messageId: payload.messageId,
        from: { email: payload.from, ...(payload.fromName ? { name: payload.fromName } : {}) },
        text,
        originalText: text === payload.text.trim() ? null : payload.text,
        subject: payload.subject?.trim() || null,
        ...(payload.sentAt ? { sentAt: new Date(payload.sentAt).toISOString() } : {}),
        optOut: false,
        automatic: verdict.reason,
        email: {
          internetMessageId: payload.messageId,
          inReplyTo:
            headerIds(payload.headers?.['In-Reply-To'] ?? payload.headers?.['in-reply-to'])[0] ?? null,
          references: headerIds(payload.headers?.References ?? payload.headers?.references),
          fromHeader: payload.fromName ? `${payload.fromName} <${payload.from}>` : payload.from,
          to: [],
          cc: [],
          headers: Object.entries(payload.headers ?? {}).flatMap(([name, value]) =>
            (typeof value === 'string' ? [value] : value).map((one) => [name.toLowerCase(), one] as const),
          ),
          originalText: text === payload.text.trim() ? null : payload.text,
          automatic: verdict.reason,
          skippedAttachments: [],
          receivedVia: 'webhook',
        },
      }
      return [message]
    },
    async send(message) {
      const from = typeof inbox.settings.from === 'string' ? inbox.settings.from : inbox.address
      if (options.transport === null) {
        throw new AppError(
          'CHANNEL_NOT_CONFIGURED',
          'email cannot be sent: set AGENTCRM_SMTP_URL (smtp://user:pass@host:587 or smtps://…)',
          { details: { setting: 'AGENTCRM_SMTP_URL' } },
        )
      }
      if (!from) {
        throw new AppError(
          'CHANNEL_NOT_CONFIGURED',
          `email inbox ${inbox.id} has no sender address: set its address or settings.from`,
          { details: { inboxId: inbox.id } },
        )
      }
      if (message.to.email === null) {
        throw new AppError(
          'CHANNEL_NOT_CONFIGURED',
          `the customer of conversation ${message.conversationId} has no email address to reply to`,
          { details: { conversationId: message.conversationId } },
        )
      }
      const domain = from.split('@')[1]?.replace(/>.*$/, '') || 'agentcrm.local'
      const subject = message.subject
        ? /^re:/i.test(message.subject)
          ? message.subject
          : `Re: ${message.subject}`
        : 'Re: your message'
      try {
        const info = await options.transport.sendMail({
          from,
          to: message.to.name ? { name: message.to.name, address: message.to.email } : message.to.email,
          subject,
          text: message.text,
          messageId: `<${message.id}@${domain}>`,
          ...(message.inReplyTo
            ? {
                inReplyTo: message.inReplyTo,
                // RFC 5322 §3.6.4: the parent's References followed by the parent's Message-ID
                references: [
                  ...(message.references ?? []).filter((id) => id !== message.inReplyTo),
                  message.inReplyTo,
                ],
              }
            : {}),
          // RFC 3834: the AI's replies are automatic, so other responders do not answer them.
          headers: message.authorKind === 'ai' ? { 'Auto-Submitted': 'auto-replied' } : {},
        })
        return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : null }
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode
        // 5xx SMTP replies are permanent (unknown mailbox, refused); the rest may pass on a retry.
        const permanent = typeof code === 'number' && code >= 500 && code < 600
        throw new AppError(
          permanent ? 'CHANNEL_DELIVERY_REFUSED' : 'CHANNEL_DELIVERY_FAILED',
          `SMTP ${permanent ? 'refused' : 'could not take'} the reply to ${message.to.email}: ${(error as Error).message}`,
          { cause: error, details: { responseCode: code ?? null } },
        )
      }
    },
  }
}
