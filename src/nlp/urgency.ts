/** Urgency: how soon a person should look at a message, from its intent, its sentiment and cue words. */

export type UrgencyLevel = 'low' | 'normal' | 'high' | 'urgent'

export interface UrgencyInput {
  /** The predicted intent label, or the prediction (its weight is scaled by the confidence). */
  readonly intent?: string | { readonly label: string; readonly confidence: number }
  /** `score` in [-1, 1] (or a confidence in [0, 1]); only its magnitude is used, with the label. */
  readonly sentiment?: { readonly label: string; readonly score: number }
  readonly text: string
}

export interface Urgency {
  /** In [0, 1]. */
  readonly score: number
  readonly level: UrgencyLevel
  /** What raised the score: `intent:complaint`, `sentiment:negative`, then text cues as written in {@link URGENCY_CUES}. */
  readonly cues: string[]
}

/**
 * Weight of each built-in intent. Intents that cost money or trust if answered late weigh most; labels not
 * listed (including users' own) weigh 0.
 */
export const URGENCY_INTENT_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  complaint: 0.35,
  payment_issue: 0.3,
  cancel_order: 0.25,
  refund_request: 0.2,
  change_address: 0.2,
  shipping_delay: 0.2,
  account_login: 0.15,
  human_agent: 0.15,
  return_exchange: 0.1,
  after_sales_warranty: 0.1,
  order_status: 0.05,
})

/** Weight of negative sentiment: this base plus {@link NEGATIVE_SENTIMENT_SCALE} × |score|. */
export const NEGATIVE_SENTIMENT_BASE = 0.1
export const NEGATIVE_SENTIMENT_SCALE = 0.25

export interface UrgencyCue {
  /** The name reported in `cues`. */
  readonly cue: string
  readonly weight: number
  readonly pattern: RegExp
}

/**
 * Cue words and their weights, in three groups: threats to escalate outside the shop (lawyers, regulators,
 * media, chargebacks: 0.35–0.5), time pressure (0.2–0.25), and shouting (0.1–0.15). A cue counts once
 * however often it appears. Negated time-pressure words (`不急`, `别着急`, `not urgent`, `no rush`) do not count.
 */
export const URGENCY_CUES: readonly UrgencyCue[] = Object.freeze([
  { cue: '律师', weight: 0.5, pattern: /律师/ },
  { cue: '起诉', weight: 0.5, pattern: /起诉|告你们|法院/ },
  { cue: 'lawyer', weight: 0.5, pattern: /\b(?:lawyers?|attorneys?|legal action)\b/i },
  { cue: 'sue', weight: 0.5, pattern: /\b(?:sue|suing|sued|lawsuit)\b/i },
  { cue: 'chargeback', weight: 0.45, pattern: /\bcharge\s?backs?\b|拒付/i },
  { cue: '12315', weight: 0.45, pattern: /(?<!\d)12315(?!\d)/ },
  { cue: '消协', weight: 0.4, pattern: /消协|消费者协会/ },
  { cue: '曝光', weight: 0.4, pattern: /曝光/ },
  { cue: 'BBB', weight: 0.4, pattern: /\bBBB\b|Better Business Bureau/i },
  { cue: '投诉', weight: 0.35, pattern: /投诉/ },
  { cue: '工商', weight: 0.35, pattern: /工商|市场监管/ },
  { cue: '媒体', weight: 0.35, pattern: /媒体|记者/ },
  { cue: '退款不到账', weight: 0.35, pattern: /退款[^，。,.!?！？]{0,4}(?:不到账|没到账|没收到|没有到账)/ },
  { cue: '差评', weight: 0.25, pattern: /差评/ },
  { cue: 'ASAP', weight: 0.25, pattern: /\basap\b/i },
  { cue: 'urgent', weight: 0.25, pattern: /(?<!\bnot\s(?:very\s|that\s|so\s)?)\burgent(?:ly)?\b/i },
  { cue: '马上', weight: 0.2, pattern: /马上/ },
  { cue: '立刻', weight: 0.2, pattern: /立刻|立即|立马/ },
  { cue: '赶紧', weight: 0.2, pattern: /赶紧|赶快|尽快/ },
  { cue: '急', weight: 0.2, pattern: /(?<!不|别|不用|不着|不太|没那么|没有那么)急(?!什么)/ },
  { cue: 'immediately', weight: 0.2, pattern: /\bimmediately\b/i },
  { cue: 'right now', weight: 0.2, pattern: /\bright\s+now\b/i },
  { cue: '!!!', weight: 0.1, pattern: /[!！]{3}/ },
])

/** Weight of a message written mostly in capitals. */
export const ALL_CAPS_WEIGHT = 0.15

/** Upper bounds of the levels: below 0.2 low, below 0.45 normal, below 0.7 high, else urgent. */
export const URGENCY_LEVELS: readonly (readonly [UrgencyLevel, number])[] = [
  ['low', 0.2],
  ['normal', 0.45],
  ['high', 0.7],
]

/** At least 8 letters, at least two words, and 70% or more of the letters upper-case: `WHERE IS MY ORDER`. */
function isShouting(text: string): boolean {
  let upper = 0
  let lower = 0
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    if (code >= 65 && code <= 90) upper += 1
    else if (code >= 97 && code <= 122) lower += 1
  }
  return (
    upper + lower >= 8 &&
    upper >= 0.7 * (upper + lower) &&
    /(?<![A-Z])[A-Z]{2,}[^A-Za-z]+[A-Z]{2,}/.test(text)
  )
}

/**
 * Scores how urgent a message is. Every signal is a weight in [0, 1] and they combine as a noisy OR,
 * `score = 1 − Π(1 − weight)`: each signal adds to the score, none can push it past 1, and the order does not
 * matter. Weights: {@link URGENCY_INTENT_WEIGHTS} (× the intent's confidence when one is given), negative
 * sentiment {@link NEGATIVE_SENTIMENT_BASE} + {@link NEGATIVE_SENTIMENT_SCALE} × |score|, each cue of
 * {@link URGENCY_CUES}, and {@link ALL_CAPS_WEIGHT}. Levels: {@link URGENCY_LEVELS}.
 *
 * @example
 *   scoreUrgency({ intent: 'complaint', text: '再不退款我就找律师起诉你们' })
 *   // { score: 0.84, level: 'urgent', cues: ['intent:complaint', '律师', '起诉'] }
 */
export function scoreUrgency(input: UrgencyInput): Urgency {
  const cues: string[] = []
  let remaining = 1
  const add = (cue: string, weight: number) => {
    if (weight <= 0) return
    remaining *= 1 - Math.min(1, weight)
    cues.push(cue)
  }
  if (input.intent !== undefined) {
    const label = typeof input.intent === 'string' ? input.intent : input.intent.label
    const confidence = typeof input.intent === 'string' ? 1 : clamp(input.intent.confidence)
    add(`intent:${label}`, (URGENCY_INTENT_WEIGHTS[label] ?? 0) * confidence)
  }
  if (input.sentiment?.label === 'negative') {
    const strength = clamp(Math.abs(Number.isFinite(input.sentiment.score) ? input.sentiment.score : 0))
    add('sentiment:negative', NEGATIVE_SENTIMENT_BASE + NEGATIVE_SENTIMENT_SCALE * strength)
  }
  const text = typeof input.text === 'string' ? input.text : ''
  for (const { cue, weight, pattern } of URGENCY_CUES) {
    if (pattern.test(text)) add(cue, weight)
  }
  if (isShouting(text)) add('ALL_CAPS', ALL_CAPS_WEIGHT)
  const score = Math.round((1 - remaining) * 1000) / 1000
  const level = URGENCY_LEVELS.find(([, below]) => score < below)?.[0] ?? 'urgent'
  return { score, level, cues }
}

function clamp(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0
}
