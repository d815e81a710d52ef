import { z } from 'zod'
import { attributesSchema, customerPatchSchema, idSchema, type Attributes } from '../crm/index.js'
import type { Action } from './action.js'
import type { CustomerChanges } from './ports.js'
import { actionResult } from './result.js'

const FIELD_NAMES = [
  'name',
  'email',
  'phone',
  'locale',
  'tier',
  'lifecycleStage',
  'acquisitionSource',
] as const

export const updateCustomerInputSchema = z
  .strictObject({
    customerId: idSchema,
    /** Profile fields to set; null clears one (an email or phone also moves the customer's identity). */
    fields: customerPatchSchema
      .pick({
        name: true,
        email: true,
        phone: true,
        locale: true,
        tier: true,
        lifecycleStage: true,
        acquisitionSource: true,
      })
      .default({}),
    /** Custom attributes merged in (null removes one), checked against the attribute definitions. */
    attributes: attributesSchema.default({}),
    /** Only fill what is empty: set fields and attributes the customer does not have yet (enrichment). */
    onlyEmpty: z.boolean().default(false),
  })
  .refine((input) => Object.keys(input.fields).length + Object.keys(input.attributes).length > 0, {
    message: 'give fields, attributes or both',
    path: ['fields'],
  })
export type UpdateCustomerInput = z.output<typeof updateCustomerInputSchema>

/**
 * Merges fields and attributes into a customer's profile, validated as a PATCH of the customer is (email
 * and phone normalised, an address another customer owns refused, attributes checked). With `onlyEmpty`,
 * what the customer already has is kept: the result's `reason` names what was left alone.
 */
export const updateCustomerAction: Action<UpdateCustomerInput> = {
  name: 'update_customer',
  input: updateCustomerInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const current = await tx.crm.customer(input.customerId)
      const fields: Record<string, unknown> = {}
      const attributes: Attributes = {}
      const kept: string[] = []
      for (const name of FIELD_NAMES) {
        const value = input.fields[name]
        if (value === undefined) continue
        if (input.onlyEmpty && current[name] !== null && current[name] !== undefined) kept.push(name)
        else fields[name] = value
      }
      for (const [key, value] of Object.entries(input.attributes)) {
        if (input.onlyEmpty && current.attributes[key] !== undefined) kept.push(`attributes.${key}`)
        else attributes[key] = value
      }
      const changed = [...Object.keys(fields), ...Object.keys(attributes).map((key) => `attributes.${key}`)]
      const reason = kept.length > 0 ? `kept ${kept.join(', ')}` : null
      if (changed.length === 0) return actionResult('update_customer', 'skipped', [], reason)
      const changes: CustomerChanges = {
        ...fields,
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
      }
      await tx.crm.updateCustomer(input.customerId, changes, actor)
      await tx.audit(
        actor,
        {
          action: 'action.update_customer',
          targetType: 'customer',
          targetId: input.customerId,
          fields: changed,
          details: { kept: kept.length },
        },
        clock.now(),
      )
      return actionResult('update_customer', 'done', [{ kind: 'customer', id: input.customerId }], reason)
    })
  },
}
