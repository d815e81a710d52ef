import {
  detectLanguage,
  extractEntities,
  redact,
  scoreUrgency,
  type CatalogueProduct,
  type Entity,
  type Evidence,
  type LanguageGuess,
  type Prediction,
  type TextClassifier,
  type Urgency,
} from '../nlp/index.js'

/** What the perceiver needs besides the text: all injected, nothing read from the world. */
export interface PerceiveContext {
  /** The injected clock's reading: relative dates resolve against it. */
  readonly now: Date
  /** IANA time zone of the workspace (default `Asia/Shanghai`). */
  readonly timeZone?: string
  readonly defaultRegion?: string
  readonly customerName?: string
  readonly products?: readonly CatalogueProduct[]
  readonly orderNumberPatterns?: readonly RegExp[]
  readonly models: { readonly intent: TextClassifier | null; readonly sentiment: TextClassifier | null }
}

export interface PerceivedLabel {
  readonly label: string
  readonly confidence: number
  /** The three most likely labels with their calibrated probabilities. */
  readonly alternatives: readonly { readonly label: string; readonly confidence: number }[]
  /** The n-grams that drove the label most. */
  readonly evidence: readonly Evidence[]
}

/** The facts the rest of the system acts on (CONTRACTS: `nlu perceive`). */
export interface Perception {
  readonly language: LanguageGuess['language']
  readonly languageConfidence: number
  /** null when no intent model is loaded or the message has no words at all. */
  readonly intent: PerceivedLabel | null
  /** `score` in [-1, 1]: P(positive) − P(negative). */
  readonly sentiment: (PerceivedLabel & { readonly score: number }) | null
  readonly entities: readonly Entity[]
  /** The text with personal data replaced by typed placeholders; this is what models and LLMs see. */
  readonly redactedText: string
  readonly urgency: Urgency
  /** Characters the text had; long texts are read in full for entities and truncated for the models. */
  readonly length: number
}

function perceived(prediction: Prediction): PerceivedLabel {
  const alternatives = Object.entries(prediction.scores)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([label, confidence]) => ({ label, confidence }))
  return {
    label: prediction.label,
    confidence: prediction.confidence,
    alternatives,
    evidence: prediction.evidence.slice(0, 5),
  }
}

function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text)
}

/**
 * Perceives one message: language, intent and sentiment (with confidences and the words that drove them),
 * entities with UTF-16 offsets into `text`, the redacted text, and urgency. Pure: no database, no network,
 * no clock but `context.now`; the same input gives the same output.
 *
 * @example
 *   perceive('我的订单LM20261024-582130还没到，能查一下吗', { now, models })
 *   // → { language: 'zh', intent: { label: 'shipping_delay', … }, entities: [{ type: 'order_number', … }], … }
 */
export function perceive(text: string, context: PerceiveContext): Perception {
  const entityContext = {
    now: context.now,
    timeZone: context.timeZone,
    defaultRegion: context.defaultRegion,
    products: context.products,
    orderNumberPatterns: context.orderNumberPatterns,
    customerName: context.customerName,
  }
  const language = detectLanguage(text)
  const entities = extractEntities(text, entityContext)
  const redaction = redact(text, entityContext)
  // The classifiers normalise (NFKC, Traditional → Simplified, case) inside their feature extractor.
  const modelText = redaction.redactedText
  const words = hasWords(text)
  const intent =
    context.models.intent && words ? perceived(context.models.intent.predict([modelText])[0]) : null
  let sentiment: Perception['sentiment'] = null
  if (context.models.sentiment && (words || /\p{Extended_Pictographic}/u.test(text))) {
    const [prediction] = context.models.sentiment.predict([modelText])
    const score = (prediction.scores.positive ?? 0) - (prediction.scores.negative ?? 0)
    sentiment = { ...perceived(prediction), score: Math.max(-1, Math.min(1, score)) }
  }
  const urgency = scoreUrgency({
    intent: intent ? { label: intent.label, confidence: intent.confidence } : undefined,
    sentiment: sentiment ? { label: sentiment.label, score: sentiment.score } : undefined,
    text,
  })
  return {
    language: language.language,
    languageConfidence: language.confidence,
    intent,
    sentiment,
    entities,
    redactedText: redaction.redactedText,
    urgency,
    length: text.length,
  }
}
