import { z } from 'zod'
import { cleanText, idSchema, listQueryBase } from './common.js'

/** An internal note on a customer or a conversation; never shown to the customer. */
export interface Note {
  id: string
  customerId: string | null
  conversationId: string | null
  /** The user who wrote it; null when written with an API token or by the system. */
  authorId: string | null
  body: string
  createdAt: string
  updatedAt: string
}

/** A note on a customer, a conversation or both; a note on a conversation also lands on its customer. */
export const noteCreateSchema = z
  .strictObject({
    customerId: idSchema.optional(),
    conversationId: idSchema.optional(),
    body: cleanText(20_000).trim().min(1),
  })
  .refine((note) => note.customerId !== undefined || note.conversationId !== undefined, {
    message: 'give customerId, conversationId or both',
    path: ['customerId'],
  })
export type NoteCreate = z.output<typeof noteCreateSchema>

export const notePatchSchema = z.strictObject({ body: cleanText(20_000).trim().min(1).optional() })
export type NotePatch = z.output<typeof notePatchSchema>

export const noteListQuerySchema = z.strictObject({
  ...listQueryBase,
  customerId: idSchema.optional(),
  conversationId: idSchema.optional(),
  authorId: idSchema.optional(),
})
