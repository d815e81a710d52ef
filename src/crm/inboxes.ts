import { z } from 'zod'
import { channelKindSchema, cleanText, listQueryBase, propertiesSchema, type ChannelKind } from './common.js'

/** Where conversations arrive: one address on one channel (a mailbox, an SMS number, the chat widget, the API). */
export interface Inbox {
  id: string
  name: string
  channel: ChannelKind
  address: string | null
  settings: Record<string, unknown>
  active: boolean
  createdAt: string
  updatedAt: string
}

export const inboxCreateSchema = z.strictObject({
  name: cleanText(200).trim().min(1),
  channel: channelKindSchema,
  address: cleanText(254).trim().min(1).nullable().optional(),
  settings: propertiesSchema.default({}),
  active: z.boolean().default(true),
})
export type InboxCreate = z.output<typeof inboxCreateSchema>

/** The channel of an inbox is fixed: its conversations carry it. */
export const inboxPatchSchema = z.strictObject({
  name: cleanText(200).trim().min(1).optional(),
  address: cleanText(254).trim().min(1).nullable().optional(),
  settings: propertiesSchema.nullable().optional(),
  active: z.boolean().optional(),
})
export type InboxPatch = z.output<typeof inboxPatchSchema>

export const inboxListQuerySchema = z.strictObject({
  ...listQueryBase,
  channel: channelKindSchema.optional(),
  active: z.stringbool().optional(),
})

/** The inbox that `POST /api/v1/channels/api/messages` delivers into; created on first use. */
export const DEFAULT_API_INBOX = { name: 'API', channel: 'api', address: 'api' } as const
