/**
 * Evaluation reports of classifiers (issue 3, item 8; shape in CONTRACTS.md `nlu evaluate`): accuracy;
 * macro, micro and weighted precision/recall/F1; a per-label table; the confusion matrix; expected
 * calibration error with its reliability table and a confidence histogram; the worst errors; and, when an
 * out-of-scope label is named and present in the gold labels, in-scope accuracy and out-of-scope recall.
 * Keys are snake_case and every metric is a fraction in [0, 1].
 *
 * Conventions: the labels of the report are those of the gold data and the predictions together (or the
 * `labels` option, extended by any label that occurs); macro averages run over those labels; a precision,
 * recall or F1 whose denominator is zero is 0. ECE uses `bins` equal-width confidence bins over [0, 1]
 * (default 10; a confidence of exactly 1 falls in the last bin): Σ_b (n_b / n) · |accuracy_b − confidence_b|.
 */
import { AppError } from '../core/index.js'

export interface ScoredLabel {
  readonly label: string
  readonly confidence: number
}

export type GoldItem = string | { readonly text?: string; readonly label: string }

export interface LabelMetrics {
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly support: number
}

export interface ReliabilityBin {
  readonly bin: number
  readonly lower: number
  readonly upper: number
  /** Mean confidence of the predictions in the bin (0 when empty). */
  readonly confidence: number
  /** Accuracy of the predictions in the bin (0 when empty). */
  readonly accuracy: number
  readonly count: number
}

export interface WorstError {
  readonly text: string
  readonly label: string
  readonly predicted: string
  readonly confidence: number
}

export interface EvaluationReport {
  readonly n: number
  readonly accuracy: number
  readonly macro_precision: number
  readonly macro_recall: number
  readonly macro_f1: number
  readonly micro_precision: number
  readonly micro_recall: number
  readonly micro_f1: number
  readonly weighted_precision: number
  readonly weighted_recall: number
  readonly weighted_f1: number
  readonly ece: number
  readonly per_label: Record<string, LabelMetrics>
  readonly confusion_matrix: { readonly labels: string[]; readonly matrix: number[][] }
  readonly oos?: {
    readonly in_scope_accuracy: number
    readonly oos_recall: number
    readonly oos_precision: number
  }
  readonly confidence_histogram: {
    readonly edges: number[]
    readonly correct: number[]
    readonly incorrect: number[]
  }
  readonly reliability: ReliabilityBin[]
  readonly worst_errors: WorstError[]
}

export interface EvaluateOptions {
  /** The out-of-scope label; when gold data holds it, the report has `oos`. */
  readonly oosLabel?: string
  /** Label order of the confusion matrix and the per-label table (labels found but not listed follow, sorted). */
  readonly labels?: readonly string[]
  /** Confidence bins of ECE, the reliability table and the histogram (default 10). */
  readonly bins?: number
  /** How many of the most confident errors to list (default 20). */
  readonly worstErrors?: number
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0
}

function f1Of(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
}

/** Expected calibration error of confidences against correctness, with `bins` equal-width bins. */
export function expectedCalibrationError(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  bins = 10,
): number {
  return reliabilityTable(confidences, correct, bins).ece
}

function binOf(confidence: number, bins: number): number {
  const value = Number.isFinite(confidence) ? Math.min(Math.max(confidence, 0), 1) : 0
  return Math.min(bins - 1, Math.floor(value * bins))
}

function reliabilityTable(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  bins: number,
): { ece: number; table: ReliabilityBin[]; right: number[]; wrong: number[] } {
  const count = new Array<number>(bins).fill(0)
  const sumConfidence = new Array<number>(bins).fill(0)
  const right = new Array<number>(bins).fill(0)
  const n = confidences.length
  for (let i = 0; i < n; i++) {
    const b = binOf(confidences[i], bins)
    count[b]++
    sumConfidence[b] += Number.isFinite(confidences[i]) ? confidences[i] : 0
    if (correct[i]) right[b]++
  }
  let ece = 0
  const table: ReliabilityBin[] = []
  for (let b = 0; b < bins; b++) {
    const confidence = ratio(sumConfidence[b], count[b])
    const accuracy = ratio(right[b], count[b])
    if (n > 0) ece += (count[b] / n) * Math.abs(accuracy - confidence)
    table.push({ bin: b, lower: b / bins, upper: (b + 1) / bins, confidence, accuracy, count: count[b] })
  }
  return { ece, table, right, wrong: count.map((c, b) => c - right[b]) }
}

/** Compare predictions with gold labels; see the module comment. */
export function evaluate(
  predictions: readonly ScoredLabel[],
  gold: readonly GoldItem[],
  options: EvaluateOptions = {},
): EvaluationReport {
  if (predictions.length !== gold.length)
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `evaluate needs one prediction per gold label: got ${predictions.length} predictions and ${gold.length} gold labels`,
      { details: { predictions: predictions.length, gold: gold.length } },
    )
  const bins = options.bins ?? 10
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`)
  const n = gold.length
  const goldLabels = gold.map((item) => (typeof item === 'string' ? item : item.label))
  const texts = gold.map((item) => (typeof item === 'string' ? '' : (item.text ?? '')))

  const labels = [...(options.labels ?? [])]
  const known = new Set(labels)
  const extra = new Set<string>()
  for (const label of goldLabels) if (!known.has(label)) extra.add(label)
  for (const prediction of predictions) if (!known.has(prediction.label)) extra.add(prediction.label)
  labels.push(...[...extra].sort())
  const index = new Map(labels.map((label, i) => [label, i]))
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0))

  let correctCount = 0
  const correct = new Array<boolean>(n)
  const confidences = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const truth = index.get(goldLabels[i]) as number
    const guess = index.get(predictions[i].label) as number
    matrix[truth][guess]++
    correct[i] = truth === guess
    confidences[i] = predictions[i].confidence
    if (correct[i]) correctCount++
  }

  const perLabel: Record<string, LabelMetrics> = {}
  let macroP = 0
  let macroR = 0
  let macroF = 0
  let weightedP = 0
  let weightedR = 0
  let weightedF = 0
  labels.forEach((label, i) => {
    const tp = matrix[i][i]
    let predicted = 0
    let support = 0
    for (let j = 0; j < labels.length; j++) {
      predicted += matrix[j][i]
      support += matrix[i][j]
    }
    const precision = ratio(tp, predicted)
    const recall = ratio(tp, support)
    const f1 = f1Of(precision, recall)
    perLabel[label] = { precision, recall, f1, support }
    macroP += precision
    macroR += recall
    macroF += f1
    weightedP += precision * support
    weightedR += recall * support
    weightedF += f1 * support
  })
  const labelCount = labels.length
  const accuracy = ratio(correctCount, n)
  const reliability = reliabilityTable(confidences, correct, bins)

  let oos: EvaluationReport['oos']
  const oosLabel = options.oosLabel
  if (oosLabel !== undefined && goldLabels.includes(oosLabel)) {
    let inScope = 0
    let inScopeRight = 0
    let outOfScope = 0
    let caught = 0
    let predictedOos = 0
    for (let i = 0; i < n; i++) {
      if (predictions[i].label === oosLabel) predictedOos++
      if (goldLabels[i] === oosLabel) {
        outOfScope++
        if (predictions[i].label === oosLabel) caught++
      } else {
        inScope++
        if (correct[i]) inScopeRight++
      }
    }
    oos = {
      in_scope_accuracy: ratio(inScopeRight, inScope),
      oos_recall: ratio(caught, outOfScope),
      oos_precision: ratio(caught, predictedOos),
    }
  }

  const worstErrors = options.worstErrors ?? 20
  const errors = [...Array(n).keys()]
    .filter((i) => !correct[i])
    .sort((a, b) => confidences[b] - confidences[a] || a - b)
    .slice(0, worstErrors)
    .map((i) => ({
      text: texts[i],
      label: goldLabels[i],
      predicted: predictions[i].label,
      confidence: confidences[i],
    }))

  return {
    n,
    accuracy,
    macro_precision: ratio(macroP, labelCount),
    macro_recall: ratio(macroR, labelCount),
    macro_f1: ratio(macroF, labelCount),
    micro_precision: accuracy,
    micro_recall: accuracy,
    micro_f1: accuracy,
    weighted_precision: ratio(weightedP, n),
    weighted_recall: ratio(weightedR, n),
    weighted_f1: ratio(weightedF, n),
    ece: reliability.ece,
    per_label: perLabel,
    confusion_matrix: { labels, matrix },
    ...(oos ? { oos } : {}),
    confidence_histogram: {
      edges: Array.from({ length: bins + 1 }, (_, b) => b / bins),
      correct: reliability.right,
      incorrect: reliability.wrong,
    },
    reliability: reliability.table,
    worst_errors: errors,
  }
}
