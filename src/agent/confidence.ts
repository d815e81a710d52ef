/**
 * The answer confidence: the probability that the primary passage answers the message. Its signals are
 * read off the retrieval and the perception; a logistic model turns them into a probability. The built-in
 * weights are a hand-set start; `agent calibrate` fits the weights on the tuning scenarios (logistic
 * regression with L2, so a small tuning set cannot run away) and stores them, which is what makes the
 * confidence calibrated: among answers given at confidence 0.8, about 80% cite the right passage.
 */
import type { ConfidenceModel, KnowledgeHit } from './decision.js'
import type { Perception } from './perceive.js'

export const SIGNALS = [
  'strength',
  'margin',
  'scoreRatio',
  'intentAgrees',
  'intentDisagrees',
  'routed',
  'informative',
  'crossLingual',
  'faq',
  'title',
  'uncorroborated',
] as const
export type Signal = (typeof SIGNALS)[number]
export type Signals = Record<Signal, number>

export type { ConfidenceModel }

/** Hand-set start: strength and margin help, disagreement with the intent hurts. */
export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = Object.freeze({
  bias: -3,
  weights: Object.freeze({
    strength: 3,
    margin: 2,
    scoreRatio: 0.5,
    intentAgrees: 1.5,
    intentDisagrees: -1.5,
    routed: 0.5,
    informative: 1,
    crossLingual: -0.5,
    faq: 0,
    title: 0.5,
    uncorroborated: -0.5,
  }),
})

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value))
}

/** What the confidence is computed from (also stored in the decision record). */
export function answerSignals(
  primary: KnowledgeHit,
  runnerUp: KnowledgeHit | null,
  perception: Perception,
  size: number,
  routed: boolean,
): Signals {
  const intent = perception.intent
  const agrees = intent !== null && primary.intents.includes(intent.label)
  const disagrees =
    intent !== null &&
    !agrees &&
    primary.intents.length > 0 &&
    intent.confidence >= 0.6 &&
    intent.label !== 'out_of_scope'
  const round = (value: number) => Math.round(value * 1000) / 1000
  return {
    strength: round(primary.strength),
    margin: round(clamp(runnerUp ? primary.strength - runnerUp.strength : primary.strength)),
    scoreRatio: round(runnerUp && primary.score > 0 ? clamp(1 - runnerUp.score / primary.score) : 1),
    intentAgrees: agrees ? round(intent.confidence) : 0,
    intentDisagrees: disagrees ? round(intent.confidence) : 0,
    routed: routed ? 1 : 0,
    informative: round(clamp(size / 10)),
    crossLingual: primary.crossLingual ? 1 : 0,
    faq: primary.kind === 'faq' ? 1 : 0,
    title: round(primary.titleMatch ?? 0),
    // only words of the passage's body match: neither the intent, nor the title, tags or an FAQ question
    uncorroborated:
      !agrees && (primary.titleMatch ?? 0) < 0.1 && !primary.supportedBy && primary.kind === 'article'
        ? 1
        : 0,
  }
}

export function confidenceOf(signals: Signals, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL): number {
  let z = model.bias
  for (const signal of SIGNALS) z += (model.weights[signal] ?? 0) * signals[signal]
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000
}

/**
 * Fits the model on labelled examples (signals, and whether the primary passage was right) by gradient
 * descent on the L2-regularised log loss. Deterministic: fixed start, fixed number of steps.
 */
export function fitConfidenceModel(
  examples: readonly { signals: Signals; correct: boolean }[],
  options: { l2?: number; steps?: number; rate?: number } = {},
): ConfidenceModel {
  const l2 = options.l2 ?? 0.5
  const steps = options.steps ?? 3000
  const rate = options.rate ?? 0.3
  if (examples.length === 0) return DEFAULT_CONFIDENCE_MODEL
  // plain arrays in the loop: calibration cross-validates, so this runs fifty times
  const k = SIGNALS.length
  const n = examples.length
  const rows = examples.map(({ signals }) => Float64Array.from(SIGNALS, (signal) => signals[signal] ?? 0))
  const labels = examples.map(({ correct }) => (correct ? 1 : 0))
  const weights = new Float64Array(k)
  const gradient = new Float64Array(k)
  let bias = 0
  for (let step = 0; step < steps; step++) {
    gradient.fill(0)
    let gradientBias = 0
    for (let i = 0; i < n; i++) {
      const row = rows[i]
      let z = bias
      for (let j = 0; j < k; j++) z += weights[j] * row[j]
      const error = 1 / (1 + Math.exp(-z)) - labels[i]
      for (let j = 0; j < k; j++) gradient[j] += error * row[j]
      gradientBias += error
    }
    for (let j = 0; j < k; j++) weights[j] -= rate * (gradient[j] / n + (l2 * weights[j]) / n)
    bias -= rate * (gradientBias / n)
  }
  const round = (value: number) => Math.round(value * 1e4) / 1e4
  return {
    bias: round(bias),
    weights: Object.fromEntries(SIGNALS.map((s, j) => [s, round(weights[j])])) as Record<Signal, number>,
  }
}
