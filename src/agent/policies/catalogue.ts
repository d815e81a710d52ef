import {
  CUSTOMER_TIERS,
  ORDER_STATUSES,
  channelKindSchema,
  type AttributeDefinition,
} from '../../crm/index.js'
import type { FieldCatalogue, FieldSpec, FieldType } from '../../crm/conditions/index.js'
import {
  BUILTIN_INTENT_LABELS,
  ENTITY_TYPES,
  SENTIMENT_LABELS,
  URGENCY_CUES,
  URGENCY_INTENT_WEIGHTS,
  type UrgencyLevel,
} from '../../nlp/index.js'

const LANGUAGES = ['zh', 'en', 'mixed', 'other'] as const
// A record, so that a new urgency level fails to compile here until it is listed.
const URGENCY_LEVEL_ORDER: Record<UrgencyLevel, number> = { low: 0, normal: 1, high: 2, urgent: 3 }
const URGENCY_LEVEL_NAMES = Object.keys(URGENCY_LEVEL_ORDER)

/** The names `scoreUrgency` reports in `cues`. */
const URGENCY_CUE_NAMES = [
  ...Object.keys(URGENCY_INTENT_WEIGHTS).map((label) => `intent:${label}`),
  'sentiment:negative',
  ...URGENCY_CUES.map((cue) => cue.cue),
  'ALL_CAPS',
]

/** The built-in facts every agent decision provides, before the workspace's custom customer attributes. */
export const POLICY_FIELDS: FieldCatalogue = Object.freeze({
  intent: {
    type: 'string',
    values: BUILTIN_INTENT_LABELS,
    description: 'The intent the model read in the message.',
  },
  'intent.confidence': { type: 'number', description: 'Calibrated confidence of the intent, 0 to 1.' },
  sentiment: { type: 'string', values: SENTIMENT_LABELS, description: 'Sentiment of the message.' },
  'sentiment.score': { type: 'number', description: 'P(positive) − P(negative), −1 to 1.' },
  urgency: { type: 'number', description: 'How soon a person should look at the message, 0 to 1.' },
  'urgency.level': {
    type: 'string',
    values: URGENCY_LEVEL_NAMES,
    description: 'The urgency score as a level.',
  },
  'urgency.cues': {
    type: 'string[]',
    values: URGENCY_CUE_NAMES,
    description:
      'What raised the urgency: cue words found with word boundaries (律师, 12315, lawyer, sue, chargeback, …), intent:<label>, sentiment:negative, ALL_CAPS. Prefer it to matching text.',
  },
  language: { type: 'string', values: LANGUAGES, description: 'Language of the message.' },
  channel: {
    type: 'string',
    values: channelKindSchema.options,
    description: 'Channel the message came in on.',
  },
  'entities.types': {
    type: 'string[]',
    values: ENTITY_TYPES,
    description: 'Kinds of entity found in the message (order numbers, amounts, phones, …).',
  },
  amount: {
    type: 'money',
    description:
      'The largest amount written in the message; compare in major units of the base currency (500 = ¥500).',
  },
  text: { type: 'string', description: 'The message as the customer wrote it; use contains or matches.' },
  'customer.tier': { type: 'string', values: CUSTOMER_TIERS, description: 'Customer tier.' },
  'customer.tags': { type: 'string[]', description: 'Tags on the customer.' },
  'customer.lifetime_value': {
    type: 'money',
    description: 'Total of the customer’s paid orders, in major units of the base currency.',
  },
  'customer.open_orders': { type: 'number', description: 'Orders not yet delivered, cancelled or refunded.' },
  'order.status': {
    type: 'string',
    values: ORDER_STATUSES,
    description: 'Status of the order the message is about (its order number, else the latest order).',
  },
  'order.total': { type: 'money', description: 'Total of that order, in major units of the base currency.' },
} satisfies Record<string, FieldSpec>)

const ATTRIBUTE_TYPES: Readonly<Record<AttributeDefinition['type'], FieldType>> = {
  text: 'string',
  number: 'number',
  boolean: 'boolean',
  date: 'datetime',
  select: 'string',
}

/** What the catalogue needs of an attribute definition (the demo's definitions fit too). */
export type PolicyAttributeDefinition = Pick<AttributeDefinition, 'entity' | 'key' | 'type' | 'options'> & {
  readonly labels?: { readonly zh?: string; readonly en?: string }
}

/**
 * The fields agent policies may use: {@link POLICY_FIELDS} plus `customer.attributes.<key>` for each custom
 * customer attribute (a `select` lists its options as values; a `date` is a datetime).
 *
 * @example
 *   policyFieldCatalogue([{ entity: 'customer', key: 'vipLevel', type: 'number', options: null }])
 *   // → { intent: …, 'customer.attributes.vipLevel': { type: 'number', description: 'Custom customer attribute vipLevel.' } }
 */
export function policyFieldCatalogue(
  attributeDefinitions: readonly PolicyAttributeDefinition[],
): FieldCatalogue {
  const catalogue: Record<string, FieldSpec> = { ...POLICY_FIELDS }
  for (const definition of attributeDefinitions) {
    if (definition.entity !== 'customer') continue
    const label = definition.labels?.en ?? definition.labels?.zh
    catalogue[`customer.attributes.${definition.key}`] = {
      type: ATTRIBUTE_TYPES[definition.type],
      ...(definition.type === 'select' && definition.options ? { values: definition.options } : {}),
      description: `Custom customer attribute ${definition.key}${label ? ` (${label})` : ''}.`,
    }
  }
  return Object.freeze(catalogue)
}
