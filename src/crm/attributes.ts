import { z } from 'zod'
import { AppError } from '../core/index.js'
import type { Attributes } from './common.js'
import { i18nTextSchema } from './common.js'

export const ATTRIBUTE_ENTITIES = ['customer', 'company', 'product', 'order', 'conversation'] as const
export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date', 'select'] as const
export type AttributeEntity = (typeof ATTRIBUTE_ENTITIES)[number]

export interface AttributeDefinition {
  id: string
  entity: AttributeEntity
  key: string
  type: (typeof ATTRIBUTE_TYPES)[number]
  labels: { zh?: string; en?: string }
  options: string[] | null
  required: boolean
  createdAt: string
  updatedAt: string
}

export const attributeDefinitionCreateSchema = z
  .strictObject({
    entity: z.enum(ATTRIBUTE_ENTITIES),
    key: z
      .string()
      .regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'start with a lower-case letter; letters, digits and _ only'),
    type: z.enum(ATTRIBUTE_TYPES),
    labels: i18nTextSchema,
    options: z.array(z.string().min(1).max(100)).min(1).max(200).nullable().optional(),
    required: z.boolean().default(false),
  })
  .refine((d) => d.type !== 'select' || (d.options?.length ?? 0) > 0, {
    message: 'a select attribute needs options',
    path: ['options'],
  })

export const attributeDefinitionPatchSchema = z.strictObject({
  labels: i18nTextSchema.optional(),
  options: z.array(z.string().min(1).max(100)).min(1).max(200).nullable().optional(),
  required: z.boolean().optional(),
})

/**
 * Checks custom attributes against the definitions of their entity. Unknown keys and wrong types are refused
 * with a message naming the key and listing the defined ones. `null` clears a value (merge semantics).
 */
export function validateAttributes(
  entity: AttributeEntity,
  definitions: readonly AttributeDefinition[],
  attributes: Attributes,
): Attributes {
  const defined = new Map(definitions.filter((d) => d.entity === entity).map((d) => [d.key, d]))
  const problems: { key: string; message: string }[] = []
  for (const [key, value] of Object.entries(attributes)) {
    const definition = defined.get(key)
    if (definition === undefined) {
      problems.push({
        key,
        message: `"${key}" is not a ${entity} attribute; defined: ${[...defined.keys()].join(', ') || '(none — define it first under /api/v1/attribute-definitions)'}`,
      })
      continue
    }
    if (value === null) continue
    const ok =
      (definition.type === 'text' && typeof value === 'string') ||
      (definition.type === 'number' && typeof value === 'number') ||
      (definition.type === 'boolean' && typeof value === 'boolean') ||
      (definition.type === 'date' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) ||
      (definition.type === 'select' &&
        typeof value === 'string' &&
        (definition.options ?? []).includes(value))
    if (!ok) {
      problems.push({
        key,
        message:
          definition.type === 'select'
            ? `"${key}" must be one of ${(definition.options ?? []).join(', ')}`
            : `"${key}" must be a ${definition.type}`,
      })
    }
  }
  if (problems.length > 0) {
    throw new AppError('CRM_INVALID_ATTRIBUTE', problems.map((p) => p.message).join('; '), {
      details: { problems },
    })
  }
  return attributes
}

/** Applies a merge-patch of attributes: keys set to null are removed. */
export function mergeAttributes(current: Attributes, patch: Attributes): Attributes {
  const next: Attributes = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key]
    else next[key] = value
  }
  return next
}
