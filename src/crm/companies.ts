import { z } from 'zod'
import { attributesSchema, cleanText, listQueryBase, type Attributes } from './common.js'

export interface Company {
  id: string
  externalId: string | null
  name: string
  domain: string | null
  industry: string | null
  attributes: Attributes
  archivedAt: string | null
  createdAt: string
  updatedAt: string
}

const domain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain such as example.com')
  .transform((d) => d.toLowerCase())

export const companyCreateSchema = z.strictObject({
  externalId: cleanText(200).min(1).nullable().optional(),
  name: cleanText(200).min(1),
  domain: domain.nullable().optional(),
  industry: cleanText(100).nullable().optional(),
  attributes: attributesSchema.default({}),
})

export const companyPatchSchema = z.strictObject({
  externalId: cleanText(200).min(1).nullable().optional(),
  name: cleanText(200).min(1).optional(),
  domain: domain.nullable().optional(),
  industry: cleanText(100).nullable().optional(),
  attributes: attributesSchema.nullable().optional(),
})

export const companyListQuerySchema = z.strictObject({
  ...listQueryBase,
  domain: z.string().max(253).optional(),
  industry: z.string().max(100).optional(),
  externalId: z.string().max(200).optional(),
})
