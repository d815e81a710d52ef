import { z } from 'zod'
import { currencySchema, minorUnitsSchema, type Money } from '../core/index.js'
import {
  attributesSchema,
  cleanText,
  i18nTextSchema,
  listQueryBase,
  type Attributes,
  type I18nText,
} from './common.js'

/** A catalogue product as the API returns it; `name` and `description` are bilingual. */
export interface Product {
  id: string
  sku: string
  name: I18nText
  category: string | null
  price: Money
  description: I18nText | null
  attributes: Attributes
  active: boolean
  createdAt: string
  updatedAt: string
}

/** A stock-keeping unit as the shop writes it: 1–64 characters, trimmed, no control characters. */
export const skuSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((sku) => !/[\u0000-\u001f]/.test(sku), 'a SKU must not contain control characters')

/** A price: money that cannot be negative. */
export const priceSchema = z.strictObject({ amount: minorUnitsSchema.min(0), currency: currencySchema })

export const productCreateSchema = z.strictObject({
  sku: skuSchema,
  name: i18nTextSchema,
  category: cleanText(100).min(1).nullable().optional(),
  price: priceSchema,
  description: i18nTextSchema.nullable().optional(),
  attributes: attributesSchema.default({}),
  active: z.boolean().default(true),
})
export type ProductCreate = z.output<typeof productCreateSchema>

export const productPatchSchema = z.strictObject({
  sku: skuSchema.optional(),
  name: i18nTextSchema.optional(),
  category: cleanText(100).min(1).nullable().optional(),
  price: priceSchema.optional(),
  description: i18nTextSchema.nullable().optional(),
  attributes: attributesSchema.nullable().optional(),
  active: z.boolean().optional(),
})
export type ProductPatch = z.output<typeof productPatchSchema>

export const productListQuerySchema = z.strictObject({
  ...listQueryBase,
  category: z.string().max(100).optional(),
  currency: currencySchema.optional(),
  active: z.stringbool().optional(),
  sku: z.string().max(64).optional(),
})

/**
 * The text `q` searches for a product: SKU, both names and the category, lower-cased, so a search finds it
 * in Chinese and in English.
 *
 * @example
 *   productSearchText({ sku: 'TEA-01', name: { zh: '绿茶', en: 'Green Tea' }, category: 'tea' })
 *   // 'tea-01 绿茶 green tea tea'
 */
export function productSearchText(product: {
  sku: string
  name: I18nText
  category?: string | null
}): string {
  return [product.sku, product.name.zh, product.name.en, product.category]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(' ')
    .toLowerCase()
}
