/**
 * Confidence calibration and the out-of-scope threshold, both fitted on validation data.
 *
 * Temperature scaling (Guo et al. 2017): one scalar T > 0 divides the logits before the softmax; T is the
 * value in [0.05, 20] that minimises the validation negative log-likelihood (golden-section search on
 * log T). It changes confidences, never the ranking of labels.
 *
 * Out-of-scope threshold: a prediction whose calibrated confidence is under the threshold becomes the
 * out-of-scope label. The objective, on validation data: maximise in-scope accuracy + out-of-scope recall,
 * subject to in-scope accuracy staying within `maxInScopeLoss` (default 0.005) of its value without a
 * threshold — we give up at most that share of in-scope answers (they go to a person) and catch as many
 * out-of-scope messages as that allows. Ties go to the lower threshold. The constraint is measured on the
 * many in-scope examples, so the choice stays stable when out-of-scope examples are few; without any
 * out-of-scope example in validation the threshold is the highest one that keeps the constraint.
 */
import { softmaxInto } from './softmax.js'

function negativeLogLikelihood(
  logits: readonly Float64Array[],
  gold: ArrayLike<number>,
  temperature: number,
): number {
  let loss = 0
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i]
    let max = -Infinity
    for (let k = 0; k < row.length; k++) if (row[k] > max) max = row[k]
    let sum = 0
    for (let k = 0; k < row.length; k++) sum += Math.exp((row[k] - max) / temperature)
    loss -= (row[gold[i]] - max) / temperature - Math.log(sum)
  }
  return logits.length ? loss / logits.length : 0
}

/** The temperature minimising validation NLL (1 when there is no validation data). */
export function fitTemperature(logits: readonly Float64Array[], gold: ArrayLike<number>): number {
  if (logits.length === 0) return 1
  let low = Math.log(0.05)
  let high = Math.log(20)
  const ratio = (Math.sqrt(5) - 1) / 2
  let a = high - ratio * (high - low)
  let b = low + ratio * (high - low)
  let fa = negativeLogLikelihood(logits, gold, Math.exp(a))
  let fb = negativeLogLikelihood(logits, gold, Math.exp(b))
  for (let iteration = 0; iteration < 60 && high - low > 1e-4; iteration++) {
    if (fa <= fb) {
      high = b
      b = a
      fb = fa
      a = high - ratio * (high - low)
      fa = negativeLogLikelihood(logits, gold, Math.exp(a))
    } else {
      low = a
      a = b
      fa = fb
      b = low + ratio * (high - low)
      fb = negativeLogLikelihood(logits, gold, Math.exp(b))
    }
  }
  const temperature = Math.exp((low + high) / 2)
  return Math.round(temperature * 1e6) / 1e6
}

/** Calibrated top label and confidence of each logit row. */
export function topLabels(
  logits: readonly Float64Array[],
  temperature: number,
): { label: Int32Array; confidence: Float64Array; probabilities: Float64Array[] } {
  const n = logits.length
  const label = new Int32Array(n)
  const confidence = new Float64Array(n)
  const probabilities: Float64Array[] = []
  for (let i = 0; i < n; i++) {
    const p = new Float64Array(logits[i].length)
    softmaxInto(logits[i], 0, p.length, temperature, p)
    let best = 0
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k
    label[i] = best
    confidence[i] = p[best]
    probabilities.push(p)
  }
  return { label, confidence, probabilities }
}

export interface ThresholdChoice {
  readonly threshold: number
  readonly in_scope_accuracy: number
  readonly oos_recall: number
  /** In-scope accuracy without a threshold. */
  readonly base_in_scope_accuracy: number
}

/** Tune the out-of-scope threshold on validation predictions; see the module comment. */
export function tuneOosThreshold(
  predicted: Int32Array,
  confidence: Float64Array,
  gold: ArrayLike<number>,
  oosIndex: number,
  maxInScopeLoss = 0.005,
): ThresholdChoice {
  const n = predicted.length
  let inScope = 0
  let outOfScope = 0
  let inScopeRight = 0
  let oosCaught = 0
  // Candidates: every confidence of an in-scope prediction; raising the threshold just above it rejects it.
  const candidates: { confidence: number; inScopeRight: number; oosCaught: number }[] = []
  for (let i = 0; i < n; i++) {
    const isOos = gold[i] === oosIndex
    if (isOos) outOfScope++
    else inScope++
    if (predicted[i] === oosIndex) {
      if (isOos) oosCaught++
      continue
    }
    if (!isOos && predicted[i] === gold[i]) inScopeRight++
    candidates.push({
      confidence: confidence[i],
      inScopeRight: !isOos && predicted[i] === gold[i] ? 1 : 0,
      oosCaught: isOos ? 1 : 0,
    })
  }
  candidates.sort((a, b) => a.confidence - b.confidence)
  const base = inScope ? inScopeRight / inScope : 0
  const recall0 = outOfScope ? oosCaught / outOfScope : 0
  let best: ThresholdChoice = {
    threshold: 0,
    in_scope_accuracy: base,
    oos_recall: recall0,
    base_in_scope_accuracy: base,
  }
  let bestObjective = base + recall0
  let right = inScopeRight
  let caught = oosCaught
  for (let c = 0; c < candidates.length; c++) {
    right -= candidates[c].inScopeRight
    caught += candidates[c].oosCaught
    // reject every candidate up to c: the threshold sits between it and the next confidence
    if (c + 1 < candidates.length && candidates[c + 1].confidence === candidates[c].confidence) continue
    const accuracy = inScope ? right / inScope : 0
    if (accuracy < base - maxInScopeLoss - 1e-12) break
    const recall = outOfScope ? caught / outOfScope : 0
    const objective = accuracy + recall
    const next = c + 1 < candidates.length ? candidates[c + 1].confidence : 1
    const threshold = (candidates[c].confidence + next) / 2
    if (objective > bestObjective + 1e-12 || (outOfScope === 0 && accuracy >= base - maxInScopeLoss)) {
      bestObjective = objective
      best = { threshold, in_scope_accuracy: accuracy, oos_recall: recall, base_in_scope_accuracy: base }
    }
  }
  return { ...best, threshold: Math.round(best.threshold * 1e6) / 1e6 }
}
