// Entities, personal-data redaction and urgency (issue 3, items 4–6).
export {
  DEFAULT_ORDER_NUMBER_PATTERNS,
  ENTITY_TYPES,
  extractEntities,
  findEntities,
  isCardNumber,
  isValidCnId,
  luhnValid,
  resolveOverlaps,
  type CatalogueProduct,
  type Entity,
  type EntityContext,
  type EntityNormalizedValues,
  type EntityType,
  type FindEntitiesOptions,
} from './entities/index.js'
export {
  PlaceholderMap,
  redact,
  restore,
  type RedactContext,
  type Redaction,
  type RedactionKind,
} from './redact.js'
export {
  ALL_CAPS_WEIGHT,
  NEGATIVE_SENTIMENT_BASE,
  NEGATIVE_SENTIMENT_SCALE,
  URGENCY_CUES,
  URGENCY_INTENT_WEIGHTS,
  URGENCY_LEVELS,
  scoreUrgency,
  type Urgency,
  type UrgencyCue,
  type UrgencyInput,
  type UrgencyLevel,
} from './urgency.js'
