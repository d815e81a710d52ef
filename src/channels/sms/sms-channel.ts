import { z } from 'zod'
import type { Clock } from '../../core/index.js'
import { messageTextSchema } from '../../crm/index.js'
import type { Channel, ChannelInbox, InboundMessage } from '../channel.js'
import { parsePayload } from '../payload.js'
import { verifyWebhook } from '../signature.js'
import { postToOutboundWebhook } from '../webhook-sender.js'
import { isOptOut } from './opt-out.js'

/** The inbound SMS webhook body, in the shape common SMS providers post. */
export const smsPayloadSchema = z.strictObject({
  from: z.string().trim().min(3).max(40),
  text: messageTextSchema,
  messageId: z.string().trim().min(1).max(200),
  sentAt: z.iso.datetime({ offset: true }).optional(),
})

export interface SmsChannelOptions {
  readonly inbox: ChannelInbox
  /** The inbox's webhook secret (`inboxSecret`). */
  readonly secret: string
  readonly clock: Clock
  readonly fetch?: typeof fetch
}

/**
 * SMS: a signed inbound webhook (`{from, text, messageId}`) and outbound delivery through the inbox's
 * `settings.outboundUrl`. A whole-message `退订`/`TD`/`STOP` is flagged `optOut`.
 */
export function createSmsChannel(options: SmsChannelOptions): Channel {
  const { inbox, secret, clock } = options
  return {
    kind: 'sms',
    async receive({ headers, rawBody }) {
      verifyWebhook({ secret, headers, rawBody, clock })
      const payload = parsePayload(smsPayloadSchema, rawBody, 'sms')
      const message: InboundMessage = {
        channel: 'sms',
        messageId: payload.messageId,
        from: { phone: payload.from },
        text: payload.text,
        originalText: null,
        subject: null,
        ...(payload.sentAt ? { sentAt: new Date(payload.sentAt).toISOString() } : {}),
        optOut: isOptOut(payload.text),
        automatic: null,
      }
      return [message]
    },
    send(message, signal) {
      return postToOutboundWebhook({
        inbox,
        secret,
        message,
        to: message.to.phone,
        clock,
        fetch: options.fetch ?? globalThis.fetch,
        signal,
      })
    },
  }
}
