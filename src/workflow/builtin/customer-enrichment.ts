import type { WorkflowDefinition } from '../schema.js'

/**
 * Customer information collection: when a message reveals an email address, a phone number or an address,
 * fill the customer's empty profile fields with it. A value that belongs to another customer is recorded
 * as a possible duplicate for a person to review — customers are never merged automatically.
 */
export const customerEnrichmentWorkflow: WorkflowDefinition = {
  key: 'customer-enrichment',
  name: 'Customer information collection',
  description:
    'Enrich the customer profile from what messages reveal (email, phone, address). Possible duplicates are suggested for review, never merged automatically.',
  trigger: { type: 'message.received' },
  steps: [
    { id: 'perceive', type: 'perceive', next: 'reveals-contact' },
    {
      id: 'reveals-contact',
      type: 'branch',
      condition: { field: 'entities.types', op: 'in', value: ['email', 'phone', 'address'] },
      then: 'update-profile',
    },
    {
      id: 'update-profile',
      type: 'action',
      action: 'update_customer',
      input: { fromEntities: ['email', 'phone', 'address'], onDuplicate: 'suggest' },
    },
  ],
}
