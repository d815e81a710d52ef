import { z } from 'zod'
import { cleanText, isoTimeSchema, listQueryBase } from './common.js'

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number]
export const AUTHOR_KINDS = ['customer', 'agent', 'ai', 'system'] as const
export type AuthorKind = (typeof AUTHOR_KINDS)[number]
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** The longest message text, in UTF-16 code units (CONTRACTS: 1–65,536 characters). */
export const MESSAGE_TEXT_MAX = 65_536

/** One message of a conversation; outbound rows carry their delivery status. */
export interface Message {
  id: string
  conversationId: string
  inboxId: string
  customerId: string
  direction: MessageDirection
  authorKind: AuthorKind
  /** The user who wrote it, for messages written in the console or with a user's session. */
  authorId: string | null
  text: string
  /** The id the channel gave the message (inbound), used to recognise redeliveries. */
  channelMessageId: string | null
  deliveryStatus: DeliveryStatus | null
  sentAt: string
  createdAt: string
}

export const messageTextSchema = cleanText(MESSAGE_TEXT_MAX).min(1)

/** Which authors may write in which direction: customers write in, agents, the AI and the system write out. */
const AUTHORS_BY_DIRECTION: Record<MessageDirection, readonly AuthorKind[]> = {
  inbound: ['customer', 'system'],
  outbound: ['agent', 'ai', 'system'],
}

/** A message added to a conversation from the console or the API: by default an agent's reply. */
export const messageCreateSchema = z
  .strictObject({
    direction: z.enum(MESSAGE_DIRECTIONS).default('outbound'),
    authorKind: z.enum(AUTHOR_KINDS).default('agent'),
    text: messageTextSchema,
    sentAt: isoTimeSchema.optional(),
  })
  .superRefine((message, ctx) => {
    const allowed = AUTHORS_BY_DIRECTION[message.direction]
    if (!allowed.includes(message.authorKind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['authorKind'],
        message: `an ${message.direction} message is written by ${allowed.join(' or ')}, not ${message.authorKind}`,
      })
    }
  })
export type MessageCreate = z.output<typeof messageCreateSchema>

export const messageListQuerySchema = z.strictObject({
  ...listQueryBase,
  direction: z.enum(MESSAGE_DIRECTIONS).optional(),
  authorKind: z.enum(AUTHOR_KINDS).optional(),
})

/**
 * A message delivered through the API channel (CONTRACTS): who it is from (at least one of email, phone,
 * externalId), its text, and the sender's own id for it, which makes redelivery idempotent.
 */
export const apiInboundMessageSchema = z.strictObject({
  from: z
    .strictObject({
      email: cleanText(254).min(1).optional(),
      phone: cleanText(40).min(1).optional(),
      externalId: cleanText(200).trim().min(1).optional(),
      name: cleanText(200).optional(),
    })
    .refine((from) => from.email !== undefined || from.phone !== undefined || from.externalId !== undefined, {
      message: 'give at least one of from.email, from.phone, from.externalId',
    }),
  text: messageTextSchema,
  messageId: cleanText(200).trim().min(1),
  /** Continue this conversation; an id that does not resolve is a 404. */
  conversationId: z.string().min(1).max(200).optional(),
  sentAt: isoTimeSchema.optional(),
})
export type ApiInboundMessage = z.output<typeof apiInboundMessageSchema>

/** What the API channel answers (202): the stored message, its conversation and customer. */
export interface InboundReceipt {
  messageId: string
  conversationId: string
  customerId: string
  /** True when this `messageId` was already received with the same content; nothing changed. */
  duplicate: boolean
  /** The attachments stored with it (channels that carry files: email). */
  attachmentIds?: string[]
}
