import { z } from 'zod'
import {
  channelKindSchema,
  cleanText,
  idSchema,
  listQueryBase,
  tagsSchema,
  type ChannelKind,
} from './common.js'

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]
export const HANDLERS = ['ai', 'human'] as const
export type Handler = (typeof HANDLERS)[number]
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

/**
 * A service conversation (ticket) with one customer in one inbox. `open` needs an answer, `pending` waits on
 * the customer; `resolvedAt` is set when it is resolved or closed and cleared when it reopens.
 */
export interface Conversation {
  id: string
  inboxId: string
  customerId: string
  channel: ChannelKind
  status: ConversationStatus
  handler: Handler
  priority: Priority
  assigneeId: string | null
  subject: string | null
  tags: string[]
  firstResponseAt: string | null
  resolvedAt: string | null
  lastMessageAt: string | null
  createdAt: string
  updatedAt: string
}

/** True for the statuses in which a conversation counts as resolved. */
export function isResolvedStatus(status: ConversationStatus): boolean {
  return status === 'resolved' || status === 'closed'
}

/** A new conversation; its channel is the inbox's. Assigning someone makes the handler `human`. */
export const conversationCreateSchema = z.strictObject({
  inboxId: idSchema,
  customerId: idSchema,
  status: z.enum(CONVERSATION_STATUSES).default('open'),
  handler: z.enum(HANDLERS).optional(),
  priority: z.enum(PRIORITIES).default('normal'),
  assigneeId: idSchema.nullable().optional(),
  subject: cleanText(500).nullable().optional(),
  tags: tagsSchema.default([]),
})
export type ConversationCreate = z.output<typeof conversationCreateSchema>

export const conversationPatchSchema = z.strictObject({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  handler: z.enum(HANDLERS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  assigneeId: idSchema.nullable().optional(),
  subject: cleanText(500).nullable().optional(),
  tags: tagsSchema.nullable().optional(),
})
export type ConversationPatch = z.output<typeof conversationPatchSchema>

export const conversationListQuerySchema = z.strictObject({
  ...listQueryBase,
  status: z.enum(CONVERSATION_STATUSES).optional(),
  handler: z.enum(HANDLERS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  channel: channelKindSchema.optional(),
  inboxId: idSchema.optional(),
  customerId: idSchema.optional(),
  assigneeId: idSchema.optional(),
})
