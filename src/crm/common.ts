import { z } from 'zod'

/** Lowest-level shared schemas of the CRM API. */
export const idSchema = z.string().min(1).max(64)
export const isoTimeSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Z]{2}|\d{3}))?$/, 'a BCP 47 locale such as zh-CN or en-US')
export const contentLanguageSchema = z.enum(['zh', 'en'])
export const channelKindSchema = z.enum(['chat', 'email', 'sms', 'phone', 'api'])
export type ChannelKind = z.infer<typeof channelKindSchema>

/** A text shown in both languages: `{ zh, en }`; at least one is required. */
export const i18nTextSchema = z
  .strictObject({ zh: z.string().max(2000).optional(), en: z.string().max(2000).optional() })
  .refine((value) => value.zh !== undefined || value.en !== undefined, 'give zh, en or both')
export type I18nText = { zh?: string; en?: string }

export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((t) => !/[\u0000-\u001f]/.test(t), 'no control characters')
export const tagsSchema = z.array(tagSchema).max(100)

const jsonScalar = z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()])
/** Custom attributes: a flat object of scalars, checked against the attribute definitions. */
export const attributesSchema = z.record(z.string().min(1).max(64), jsonScalar)
export type Attributes = Record<string, string | number | boolean | null>

/** Free-form JSON properties (events, settings), bounded in depth and size. */
export const propertiesSchema = z.record(z.string().max(128), z.unknown()).superRefine((value, ctx) => {
  const text = JSON.stringify(value)
  if (text.length > 64 * 1024)
    ctx.addIssue({ code: 'custom', message: 'properties must be under 64 KiB as JSON' })
  if (depth(value) > 8) ctx.addIssue({ code: 'custom', message: 'properties may nest at most 8 levels deep' })
})

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  let max = 0
  for (const child of Object.values(value as Record<string, unknown>)) max = Math.max(max, depth(child))
  return max + 1
}

/** Text that must not contain NUL (Postgres refuses it; we refuse it the same way on SQLite). */
export function cleanText(max: number) {
  return z
    .string()
    .max(max)
    .refine((t) => !t.includes('\u0000'), 'text must not contain NUL characters')
}

export const listQueryBase = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
  sort: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
}
