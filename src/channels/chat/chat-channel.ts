import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { cleanText } from '../../crm/index.js'
import type { Channel, ChannelInbox, InboundMessage } from '../channel.js'
import { parsePayload } from '../payload.js'
import type { WebhookHeaders } from '../signature.js'
import { chatSettings } from './chat-settings.js'

/** The header the widget sends its visitor token in (the stream, an EventSource, uses `?token=`). */
export const VISITOR_HEADER = 'x-agentcrm-visitor'

/** What the widget posts: the text, the browser's own id for it (retries are idempotent), who is writing. */
export const chatPayloadSchema = z.strictObject({
  text: cleanText(1_000_000).trim().min(1, 'write a message'),
  messageId: z
    .string()
    .trim()
    .regex(/^[\w-]{8,100}$/, 'messageId must be 8–100 letters, digits, "-" or "_" (a UUID)'),
  name: cleanText(200).trim().max(200).optional(),
  email: cleanText(254).trim().max(254).optional(),
})

/** Finds the visitor behind a token (`store/channels/chat-visitors.ts`). */
export interface VisitorLookup {
  byToken(inboxId: string, token: string): Promise<{ id: string } | null>
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name]
  return typeof value === 'string' ? value : value?.[0]
}

/** The visitor token of a widget request, or a 401 saying how to get one. */
export function visitorToken(headers: WebhookHeaders, query?: string): string {
  const token = header(headers, VISITOR_HEADER) ?? query
  if (!token) {
    throw new AppError(
      'CHANNEL_WIDGET_VISITOR_UNKNOWN',
      `send the visitor token in ${VISITOR_HEADER} (get one with POST /api/v1/widget/{inbox}/visitors)`,
    )
  }
  return token
}

/** Resolves a token to its visitor in this inbox, or a 401. */
export async function requireVisitor<T extends { id: string }>(
  visitors: { byToken(inboxId: string, token: string): Promise<T | null> },
  inboxId: string,
  token: string,
): Promise<T> {
  const visitor = await visitors.byToken(inboxId, token)
  if (visitor === null) {
    throw new AppError(
      'CHANNEL_WIDGET_VISITOR_UNKNOWN',
      'this visitor token is unknown for this inbox; get a new one with POST /api/v1/widget/{inbox}/visitors',
    )
  }
  return visitor
}

/**
 * The `chat` channel (the web widget). `receive` authenticates the visitor by its token header, checks the
 * inbox's length cap and maps the widget's JSON onto our shape: the visitor is the identity (`from.visitorId`),
 * the name and email are what the visitor typed. `send` has nothing to push: the reply is already in the
 * conversation and the widget's live stream carries it, so the outbox row is marked sent.
 */
export function createChatChannel(options: { inbox: ChannelInbox; visitors: VisitorLookup }): Channel {
  const { inbox, visitors } = options
  return {
    kind: 'chat',
    async receive({ headers, rawBody }) {
      const visitor = await requireVisitor(visitors, inbox.id, visitorToken(headers))
      const payload = parsePayload(chatPayloadSchema, rawBody, 'chat')
      const { maxMessageLength } = chatSettings(inbox)
      if (payload.text.length > maxMessageLength) {
        throw new AppError(
          'CHANNEL_MESSAGE_TOO_LONG',
          `the message has ${payload.text.length} characters; this chat takes at most ${maxMessageLength} — shorten it or split it in two`,
          { details: { length: payload.text.length, maxLength: maxMessageLength } },
        )
      }
      const message: InboundMessage = {
        channel: 'chat',
        // per visitor: another browser can never collide with (or probe) this visitor's ids
        messageId: `${visitor.id}:${payload.messageId}`,
        from: {
          visitorId: visitor.id,
          ...(payload.name ? { name: payload.name } : {}),
          ...(payload.email ? { email: payload.email } : {}),
        },
        text: payload.text,
        originalText: null,
        subject: null,
        optOut: false,
        automatic: null,
      }
      return [message]
    },
    async send() {
      return { providerMessageId: null }
    },
  }
}
