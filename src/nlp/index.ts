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
// Text pipeline, text classifiers and their evaluation (issue 3, items 1–2 and 8).
export {
  MAX_FEATURE_CHARS,
  needsSimplification,
  normalizeText,
  truncateText,
  type NormalizeOptions,
  type NormalizedText,
} from './normalize.js'
export { detectLanguage, type Language, type LanguageGuess } from './language.js'
export {
  segmentChinese,
  tokenize,
  tokenizeDetailed,
  type Token,
  type TokenKind,
  type Tokenized,
} from './tokenize.js'
export {
  DEFAULT_FEATURE_CONFIG,
  FeatureExtractor,
  describeFeatures,
  type ExtractedFeatures,
  type FeatureConfig,
  type FeatureKind,
} from './features.js'
export {
  LinearTextClassifier,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  fingerprintExamples,
  loadTextClassifier,
  trainTextClassifier,
  type Classification,
  type EpochRecord,
  type Evidence,
  type LinearClassifierOptions,
  type ModelSnapshot,
  type Prediction,
  type TextClassifier,
  type TrainOptions,
  type TrainResult,
  type TrainingExample,
  type TrainingReport,
} from './classifier/index.js'
export { trainInWorker, type TrainInWorkerOptions } from './train-in-worker.js'
export {
  evaluate,
  expectedCalibrationError,
  type EvaluateOptions,
  type EvaluationReport,
  type GoldItem,
  type LabelMetrics,
  type ReliabilityBin,
  type ScoredLabel,
  type WorstError,
} from './metrics.js'
export { crossValidate, type CrossValidationReport, type FoldResult } from './cross-validate.js'
export { stratifiedFolds, stratifiedSplit, type LabeledText, type StratifiedSplit } from './split.js'
export { createRandom, type Random } from './prng.js'
export { BUILTIN_INTENT_LABELS, SENTIMENT_LABELS, type BuiltinIntentLabel } from './corpus/labels.js'
