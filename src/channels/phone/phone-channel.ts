import { z } from 'zod'
import type { Clock } from '../../core/index.js'
import type { Channel, ChannelInbox, InboundMessage } from '../channel.js'
import { parsePayload } from '../payload.js'
import { verifyWebhook } from '../signature.js'
import { postToOutboundWebhook } from '../webhook-sender.js'

const turnSchema = z.strictObject({
  speaker: z.string().trim().min(1).max(40),
  text: z.string().trim().min(1).max(65_536),
})

/** A call transcript: plain text, or speaker turns (`[{speaker: 'customer', text}, …]`). */
export const phonePayloadSchema = z.strictObject({
  from: z.string().trim().min(3).max(40),
  transcript: z.union([z.string().trim().min(1).max(65_536), z.array(turnSchema).min(1).max(2_000)]),
  callId: z.string().trim().min(1).max(200),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
})

/** Speaker turns as lines `speaker: text`, the customer's words kept as they were said. */
export function transcriptText(transcript: z.output<typeof phonePayloadSchema>['transcript']): string {
  if (typeof transcript === 'string') return transcript
  return transcript.map((turn) => `${turn.speaker}: ${turn.text}`).join('\n')
}

export interface PhoneChannelOptions {
  readonly inbox: ChannelInbox
  readonly secret: string
  readonly clock: Clock
  readonly fetch?: typeof fetch
}

/**
 * Phone: a signed call-transcript webhook (`{from, transcript, callId, durationSeconds?}`), handled like any
 * message (the call id is the message id); replies go to the voice provider's `settings.outboundUrl`.
 */
export function createPhoneChannel(options: PhoneChannelOptions): Channel {
  const { inbox, secret, clock } = options
  return {
    kind: 'phone',
    async receive({ headers, rawBody }) {
      verifyWebhook({ secret, headers, rawBody, clock })
      const payload = parsePayload(phonePayloadSchema, rawBody, 'phone')
      const text = transcriptText(payload.transcript).slice(0, 65_536)
      const message: InboundMessage = {
        channel: 'phone',
        messageId: payload.callId,
        from: { phone: payload.from },
        text,
        originalText: null,
        subject: null,
        ...(payload.startedAt ? { sentAt: new Date(payload.startedAt).toISOString() } : {}),
        optOut: false,
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
