import { z } from 'zod'
import { cleanText, idSchema, isoTimeSchema, listQueryBase, propertiesSchema } from './common.js'
import { skuSchema } from './products.js'

/**
 * A behaviour event (page view, add to cart, search, …): an immutable fact about a known customer or an
 * anonymous visitor.
 */
export interface BehaviourEvent {
  id: string
  type: string
  customerId: string | null
  anonymousId: string | null
  sessionId: string | null
  productId: string | null
  properties: Record<string, unknown>
  source: string
  occurredAt: string
  createdAt: string
}

export const eventTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'an event type in lower case such as page_view or add_to_cart')

/**
 * A new event. At least one of `customerId` and `anonymousId`. The product is given by `productId` or by
 * `sku` (resolved against the catalogue; an unknown SKU is kept under `properties.sku`).
 */
export const eventCreateSchema = z
  .strictObject({
    type: eventTypeSchema,
    customerId: idSchema.nullable().optional(),
    anonymousId: cleanText(200).min(1).nullable().optional(),
    sessionId: cleanText(200).min(1).nullable().optional(),
    productId: idSchema.nullable().optional(),
    sku: skuSchema.optional(),
    properties: propertiesSchema.default({}),
    source: cleanText(64).min(1).default('api'),
    occurredAt: isoTimeSchema.optional(),
  })
  .refine((event) => Boolean(event.customerId) || Boolean(event.anonymousId), {
    message: 'give customerId, anonymousId or both',
    path: ['customerId'],
  })
export type EventCreate = z.output<typeof eventCreateSchema>

export const eventListQuerySchema = z.strictObject({
  ...listQueryBase,
  type: z.string().max(64).optional(),
  customerId: idSchema.optional(),
  anonymousId: z.string().max(200).optional(),
  sessionId: z.string().max(200).optional(),
  productId: idSchema.optional(),
  source: z.string().max(64).optional(),
})
