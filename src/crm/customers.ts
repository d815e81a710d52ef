import { z } from 'zod'
import {
  attributesSchema,
  cleanText,
  idSchema,
  isoTimeSchema,
  listQueryBase,
  localeSchema,
  tagsSchema,
  type Attributes,
} from './common.js'

export const CUSTOMER_TIERS = ['standard', 'silver', 'gold', 'vip'] as const
export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned'] as const

/** A customer as the API returns it. */
export interface Customer {
  id: string
  externalId: string | null
  name: string | null
  email: string | null
  phone: string | null
  locale: string
  companyId: string | null
  tier: (typeof CUSTOMER_TIERS)[number]
  lifecycleStage: (typeof LIFECYCLE_STAGES)[number]
  acquisitionSource: string | null
  firstSeenAt: string | null
  lastSeenAt: string | null
  ownerId: string | null
  tags: string[]
  attributes: Attributes
  archivedAt: string | null
  erasedAt: string | null
  mergedIntoId: string | null
  createdAt: string
  updatedAt: string
}

const fields = {
  externalId: cleanText(200).min(1).nullable(),
  name: cleanText(200).nullable(),
  email: cleanText(254).nullable(),
  phone: cleanText(40).nullable(),
  locale: localeSchema,
  companyId: idSchema.nullable(),
  tier: z.enum(CUSTOMER_TIERS),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  acquisitionSource: cleanText(100).nullable(),
  firstSeenAt: isoTimeSchema.nullable(),
  lastSeenAt: isoTimeSchema.nullable(),
  ownerId: idSchema.nullable(),
  tags: tagsSchema,
  attributes: attributesSchema,
}

export const customerCreateSchema = z.strictObject({
  externalId: fields.externalId.optional(),
  name: fields.name.optional(),
  email: fields.email.optional(),
  phone: fields.phone.optional(),
  locale: fields.locale.default('zh-CN'),
  companyId: fields.companyId.optional(),
  tier: fields.tier.default('standard'),
  lifecycleStage: fields.lifecycleStage.default('customer'),
  acquisitionSource: fields.acquisitionSource.optional(),
  firstSeenAt: fields.firstSeenAt.optional(),
  lastSeenAt: fields.lastSeenAt.optional(),
  ownerId: fields.ownerId.optional(),
  tags: fields.tags.default([]),
  attributes: fields.attributes.default({}),
})
export type CustomerCreate = z.input<typeof customerCreateSchema>

export const customerPatchSchema = z.strictObject({
  externalId: fields.externalId.optional(),
  name: fields.name.optional(),
  email: fields.email.optional(),
  phone: fields.phone.optional(),
  locale: fields.locale.optional(),
  companyId: fields.companyId.optional(),
  tier: fields.tier.optional(),
  lifecycleStage: fields.lifecycleStage.optional(),
  acquisitionSource: fields.acquisitionSource.optional(),
  firstSeenAt: fields.firstSeenAt.optional(),
  lastSeenAt: fields.lastSeenAt.optional(),
  ownerId: fields.ownerId.optional(),
  tags: fields.tags.nullable().optional(),
  attributes: fields.attributes.nullable().optional(),
})
export type CustomerPatch = z.input<typeof customerPatchSchema>

export const customerListQuerySchema = z.strictObject({
  ...listQueryBase,
  tier: z.enum(CUSTOMER_TIERS).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  companyId: idSchema.optional(),
  locale: localeSchema.optional(),
  ownerId: idSchema.optional(),
  externalId: z.string().max(200).optional(),
  archived: z.enum(['true', 'false', 'any']).default('false'),
})
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>

export const customerMergeSchema = z.strictObject({
  /** The customer that disappears into the winner (the path id). */
  loserId: idSchema,
})

export const identityCreateSchema = z.strictObject({
  kind: z.enum(['email', 'phone', 'chat', 'api']),
  address: cleanText(254).min(1),
  verified: z.boolean().default(false),
})

export interface Identity {
  id: string
  customerId: string
  kind: 'email' | 'phone' | 'chat' | 'api'
  address: string
  verified: boolean
  createdAt: string
}

export const CONSENT_PURPOSES = ['marketing', 'service', 'analytics', 'profiling'] as const
export const consentCreateSchema = z.strictObject({
  purpose: z.enum(CONSENT_PURPOSES),
  channel: z.enum(['chat', 'email', 'sms', 'phone', 'api', 'any']),
  status: z.enum(['granted', 'withdrawn']),
  source: cleanText(200).min(1),
  at: isoTimeSchema.optional(),
})

export interface ConsentEvent {
  id: string
  customerId: string
  purpose: (typeof CONSENT_PURPOSES)[number]
  channel: string
  status: 'granted' | 'withdrawn'
  source: string
  at: string
  recordedBy: string | null
}

/** The current consent: the latest event per purpose × channel. */
export function currentConsent(events: readonly ConsentEvent[]): ConsentEvent[] {
  const latest = new Map<string, ConsentEvent>()
  for (const event of [...events].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1,
  )) {
    latest.set(`${event.purpose}:${event.channel}`, event)
  }
  return [...latest.values()]
}
