import { z } from 'zod'
import { cleanText, idSchema, listQueryBase } from './common.js'

/** The largest attachment, decoded: 700 KiB (the base64 body then stays under the 1 MiB request limit). */
export const ATTACHMENT_MAX_BYTES = 700 * 1024

/** An attachment's metadata; its bytes are served apart (`GET /api/v1/attachments/{id}/content`). */
export interface Attachment {
  id: string
  customerId: string | null
  conversationId: string | null
  messageId: string | null
  filename: string
  contentType: string
  size: number
  /** Hex SHA-256 of the content. */
  sha256: string
  createdAt: string
}

export const filenameSchema = cleanText(255)
  .trim()
  .min(1)
  .refine((name) => !/[/\\\u0000-\u001f]/.test(name), 'a file name without / \\ or control characters')
  .refine((name) => name !== '.' && name !== '..', 'a file name, not . or ..')

export const contentTypeSchema = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9_.-]+=("[^"\r\n]*"|[a-z0-9_.+-]+))*$/i,
    'a media type such as image/png or text/plain; charset=utf-8',
  )
  .transform((type) => type.toLowerCase())

/**
 * A new attachment as JSON: the bytes in standard base64 (at most 700 KiB decoded), and what it belongs to.
 * Given a message, the conversation and customer are filled in from it.
 */
export const attachmentCreateSchema = z.strictObject({
  filename: filenameSchema,
  contentType: contentTypeSchema,
  /** Bounded by the request size; the decoded limit is checked apart and answered with 413. */
  contentBase64: z.base64().max(2 * ATTACHMENT_MAX_BYTES),
  customerId: idSchema.optional(),
  conversationId: idSchema.optional(),
  messageId: idSchema.optional(),
})
export type AttachmentCreate = z.output<typeof attachmentCreateSchema>

export const attachmentListQuerySchema = z.strictObject({
  ...listQueryBase,
  customerId: idSchema.optional(),
  conversationId: idSchema.optional(),
  messageId: idSchema.optional(),
  contentType: z.string().max(255).optional(),
})
