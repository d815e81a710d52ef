/**
 * `trainTextClassifier`: examples in, a calibrated softmax classifier and its training report out.
 *
 * 1. Check the examples (an empty set, a non-string text, a blank label or fewer than two labels is a user
 *    error naming the problem); fingerprint them.
 * 2. Hold out validation data: the `validation` examples given, or a stratified, seeded `fraction` of the
 *    examples (default 0.1 once there are at least 50 examples, none below; a label with one example
 *    always stays in training).
 * 3. Featurise every text once (hashed n-grams), build the TF-IDF rows from the training part, and train the
 *    softmax regression with early stopping on validation accuracy.
 * 4. On the validation predictions of that model (int8 weights, as shipped): fit the temperature, report
 *    ECE before and after, and tune the out-of-scope threshold when `oosLabel` is given.
 * 5. When the validation part was cut from the examples (`refit`, default), train again on all examples for
 *    the best number of epochs, keeping the temperature and threshold; the validation report stays the
 *    held-out estimate of step 4.
 */
import { AppError } from '../../core/index.js'
import { FeatureExtractor, type FeatureConfig } from '../features.js'
import { evaluate, expectedCalibrationError, type EvaluationReport } from '../metrics.js'
import { stratifiedSplit } from '../split.js'
import { fitTemperature, topLabels, tuneOosThreshold } from './calibration.js'
import { LinearTextClassifier } from './linear-classifier.js'
import { encodeArray, fingerprintExamples, quantizeSparse, sparsifyRows } from './snapshot.js'
import { trainSoftmax, type EpochRecord, type SoftmaxModel } from './softmax.js'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type ModelSnapshot, type TrainingExample } from './types.js'
import {
  buildVocabulary,
  collectBags,
  selectBags,
  vectorize,
  type FeatureBags,
  type Vocabulary,
} from './vocabulary.js'

export interface TrainOptions {
  /** Seed of every random choice (split, shuffling): the same data and seed give the same model. */
  readonly seed: number
  /** Maximum epochs (default: 10, more for small sets: min(50, max(10, ⌈20,000 / n⌉))). */
  readonly epochs?: number
  /** Initial SGD learning rate, decaying linearly to 0 (default 2). */
  readonly learningRate?: number
  /** L2 penalty (default 1e-5). */
  readonly l2?: number
  /** Validation examples, or the fraction of the examples to hold out (default 0.1 from 50 examples). */
  readonly validation?: readonly TrainingExample[] | number
  /** Retrain on all examples after choosing the epochs (default true when `validation` is a fraction). */
  readonly refit?: boolean
  /** Weight examples by n / (labels × n_label) so rare labels count as much as common ones (default false). */
  readonly classWeighting?: boolean
  /** The out-of-scope label: a confidence threshold is tuned so unsure predictions become this label. */
  readonly oosLabel?: string
  /** Largest in-scope accuracy the out-of-scope threshold may cost on validation (default 0.005). */
  readonly maxInScopeLoss?: number
  /** Fit a temperature on validation data (default true). */
  readonly calibrate?: boolean
  /** Early stopping patience in epochs (default 3). */
  readonly patience?: number
  readonly features?: Partial<FeatureConfig>
  /** Keep hashed features seen in at least this many training texts (default 1; 2 halves large models). */
  readonly minDf?: number
  /** Weights of the word and character blocks (default [1, 1]). */
  readonly blockWeights?: readonly number[]
  /** `int8` (default; 4× smaller files) or `float32` weights. */
  readonly quantization?: 'int8' | 'float32'
  /**
   * Drop weights under this fraction of their row's largest (after centring the row on its median;
   * default 0.03): smaller, faster models at a negligible cost in accuracy; 0 keeps every weight.
   */
  readonly prune?: number
  /** Injected clock (milliseconds) for `report.seconds`; src/nlp reads no clock of its own. */
  readonly now?: () => number
  /**
   * Called after each epoch: `fit` is the held-out fit (up to `epochs`, early stopping may end it sooner),
   * `refit` the final fit on every example (up to the best epoch). Progress reporting only.
   */
  readonly onEpoch?: (progress: { stage: 'fit' | 'refit'; epoch: number; epochs: number }) => void
}

export interface TrainingReport {
  readonly labels: string[]
  /** Examples the held-out estimate was trained on. */
  readonly n_train: number
  readonly n_validation: number
  /** True when the returned model was retrained on training + validation examples. */
  readonly refit: boolean
  /** Wall-clock seconds, when `now` was given. */
  readonly seconds?: number
  /** Held-out metrics (calibrated, thresholded), or null without validation data. */
  readonly validation: {
    readonly accuracy: number
    readonly macro_f1: number
    readonly ece: number
    readonly ece_before_calibration: number
    readonly in_scope_accuracy?: number
    readonly oos_recall?: number
  } | null
  /** The full evaluation report of the validation data, or null. */
  readonly evaluation: EvaluationReport | null
  readonly temperature: number
  readonly oos_threshold: number | null
  readonly epochs: number
  readonly best_epoch: number
  readonly history: EpochRecord[]
  readonly rows: number
  readonly fingerprint: string
  readonly warnings: string[]
}

export interface TrainResult {
  readonly model: LinearTextClassifier
  readonly report: TrainingReport
}

function userError(message: string, details?: unknown): AppError {
  return new AppError('CORE_VALIDATION_FAILED', message, { details })
}

function checkExamples(examples: unknown, what: string): TrainingExample[] {
  if (!Array.isArray(examples)) throw userError(`${what} must be an array of { text, label }`)
  examples.forEach((example: unknown, index) => {
    const record = example as Partial<TrainingExample> | null
    if (record === null || typeof record !== 'object')
      throw userError(`${what}[${index}] must be an object { text, label }`, { index })
    if (typeof record.text !== 'string')
      throw userError(`${what}[${index}].text must be a string, got ${typeof record.text}`, { index })
    if (typeof record.label !== 'string' || record.label.trim() === '')
      throw userError(
        `${what}[${index}].label must be a non-empty string, got ${JSON.stringify(record.label)}`,
        {
          index,
        },
      )
  })
  return examples as TrainingExample[]
}

function defaultEpochs(n: number): number {
  return Math.min(50, Math.max(10, Math.ceil(20_000 / Math.max(1, n))))
}

interface Fitted {
  readonly vocabulary: Vocabulary
  readonly model: SoftmaxModel
  readonly bestEpoch: number
  readonly history: EpochRecord[]
}

export function trainTextClassifier(
  examples: readonly TrainingExample[],
  options: TrainOptions,
): TrainResult {
  const started = options.now?.()
  if (!options || typeof options.seed !== 'number' || !Number.isFinite(options.seed))
    throw userError('training needs a numeric seed (options.seed)')
  const all = checkExamples(examples, 'examples')
  if (all.length === 0) throw userError('the training set is empty: give at least two labelled examples')
  const labelCounts = new Map<string, number>()
  for (const example of all) labelCounts.set(example.label, (labelCounts.get(example.label) ?? 0) + 1)
  if (labelCounts.size < 2)
    throw userError(
      `training needs at least two distinct labels; every example is labelled ${JSON.stringify(all[0].label)}`,
      { labels: [...labelCounts.keys()] },
    )
  const labels = [...labelCounts.keys()].sort()
  const labelIndex = new Map(labels.map((label, i) => [label, i]))
  const warnings: string[] = []
  const single = labels.filter((label) => labelCounts.get(label) === 1)
  if (single.length > 0)
    warnings.push(`labels with a single example (kept in training, never validated): ${single.join(', ')}`)
  if (options.oosLabel !== undefined && !labelCounts.has(options.oosLabel))
    warnings.push(
      `no example is labelled with the out-of-scope label "${options.oosLabel}": it is predicted only through the threshold`,
    )

  // Validation part.
  let trainPart: TrainingExample[] = all
  let validationPart: TrainingExample[] = []
  let cutFromExamples = false
  if (Array.isArray(options.validation)) {
    validationPart = checkExamples(options.validation, 'validation')
  } else {
    const fraction = typeof options.validation === 'number' ? options.validation : all.length >= 50 ? 0.1 : 0
    if (!(fraction >= 0 && fraction < 1))
      throw userError(`validation fraction must be in [0, 1), got ${fraction}`)
    if (fraction > 0) {
      const split = stratifiedSplit(
        all.map((example) => example.label),
        fraction,
        options.seed,
      )
      trainPart = split.train.map((i) => all[i])
      validationPart = split.test.map((i) => all[i])
      cutFromExamples = validationPart.length > 0
    }
  }
  const refit = cutFromExamples && (options.refit ?? true)
  const unknownInValidation = [...new Set(validationPart.map((e) => e.label))].filter(
    (l) => !labelIndex.has(l),
  )
  if (unknownInValidation.length > 0)
    warnings.push(
      `validation labels unknown to the training set count as errors: ${unknownInValidation.join(', ')}`,
    )

  const extractor = new FeatureExtractor(options.features ?? {})
  const featureConfig = extractor.config
  const minDf = options.minDf ?? 1
  const blockWeights = [...(options.blockWeights ?? [1, 1])]
  const learningRate = options.learningRate ?? 2
  const l2 = options.l2 ?? 1e-5
  const quantization = options.quantization ?? 'int8'
  const prune = options.prune ?? 0.03
  if (!(prune >= 0 && prune < 1)) throw userError(`prune must be in [0, 1), got ${prune}`)
  const classWeighting = options.classWeighting ?? false
  if (!(learningRate > 0)) throw userError(`learningRate must be positive, got ${learningRate}`)
  if (!(l2 >= 0)) throw userError(`l2 must be ≥ 0, got ${l2}`)
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 1))
    throw userError(`epochs must be an integer ≥ 1, got ${options.epochs}`)

  // Featurise once: training part first, then validation.
  const texts = [...trainPart, ...validationPart].map((example) => example.text)
  const bags = collectBags(texts, extractor)
  const trainIndices = trainPart.map((_, i) => i)
  const validationIndices = validationPart.map((_, i) => trainPart.length + i)
  const epochs = options.epochs ?? defaultEpochs(trainPart.length)

  const fit = (
    indices: number[],
    maxEpochs: number,
    withValidation: boolean,
    stage: 'fit' | 'refit' = 'fit',
  ): Fitted => {
    const trainBags = selectBags(bags, indices)
    const vocabulary = buildVocabulary(trainBags, { hashBits: featureConfig.hashBits, minDf, blockWeights })
    const x = vectorize(trainBags, vocabulary)
    const y = Int32Array.from(
      indices,
      (i) =>
        labelIndex.get(
          i < trainPart.length ? trainPart[i].label : validationPart[i - trainPart.length].label,
        ) as number,
    )
    const labelWeights = classWeighting ? balancedWeights(y, labels.length) : undefined
    const validation = withValidation ? validationMatrix(bags, validationIndices, vocabulary) : undefined
    const result = trainSoftmax(
      x,
      y,
      vocabulary.buckets.length,
      labels.length,
      {
        epochs: maxEpochs,
        learningRate,
        l2,
        seed: options.seed,
        labelWeights,
        patience: options.patience,
        onEpoch: options.onEpoch
          ? (epoch, total) => options.onEpoch?.({ stage, epoch, epochs: total })
          : undefined,
      },
      validation,
    )
    return { vocabulary, model: result.model, bestEpoch: result.bestEpoch, history: result.history }
  }

  const validationMatrix = (source: FeatureBags, indices: number[], vocabulary: Vocabulary) => {
    const known = indices.filter((i) => labelIndex.has(validationPart[i - trainPart.length].label))
    return {
      x: vectorize(selectBags(source, known), vocabulary),
      y: Int32Array.from(known, (i) => labelIndex.get(validationPart[i - trainPart.length].label) as number),
    }
  }

  const first = fit(trainIndices, epochs, validationPart.length > 0)
  const fingerprint = fingerprintExamples(all)
  const snapshotOf = (fitted: Fitted, temperature: number, oos: ModelSnapshot['oos'], examplesUsed: number) =>
    buildSnapshot({
      labels,
      featureConfig,
      minDf,
      blockWeights,
      fitted,
      quantization,
      prune,
      temperature,
      oos,
      training: {
        fingerprint,
        examples: examplesUsed,
        seed: options.seed,
        epochs: fitted.bestEpoch,
        learningRate,
        l2,
        classWeighting,
      },
    })

  let temperature = 1
  let oos: ModelSnapshot['oos'] = null
  let validationSummary: TrainingReport['validation'] = null
  let evaluation: EvaluationReport | null = null
  // The out-of-scope label's index; a label without training examples gets a virtual index no prediction has.
  const oosIndex = options.oosLabel !== undefined ? (labelIndex.get(options.oosLabel) ?? labels.length) : -1

  if (validationPart.length > 0) {
    const heldOut = new LinearTextClassifier(snapshotOf(first, 1, null, trainPart.length), {
      evidenceSize: 0,
    })
    const logits = heldOut.rawLogits(validationPart.map((example) => example.text))
    const gold = Int32Array.from(validationPart, (example) => labelIndex.get(example.label) ?? -1)
    const knownRows = [...gold.keys()].filter((i) => gold[i] >= 0)
    const knownLogits = knownRows.map((i) => logits[i])
    const knownGold = Int32Array.from(knownRows, (i) => gold[i])
    const uncalibrated = topLabels(logits, 1)
    const eceBefore = expectedCalibrationError(
      uncalibrated.confidence,
      Array.from(gold, (g, i) => g === uncalibrated.label[i]),
    )
    temperature = options.calibrate === false ? 1 : fitTemperature(knownLogits, knownGold)
    const calibrated = topLabels(logits, temperature)
    const predictedLabels = Array.from(calibrated.label)
    const confidences = Array.from(calibrated.confidence)
    if (options.oosLabel !== undefined) {
      const oosLabel = options.oosLabel
      const goldWithOos = Int32Array.from(validationPart, (example, i) =>
        example.label === oosLabel ? oosIndex : gold[i],
      )
      const choice = tuneOosThreshold(
        calibrated.label,
        calibrated.confidence,
        goldWithOos,
        oosIndex,
        options.maxInScopeLoss ?? 0.005,
      )
      oos = { label: oosLabel, threshold: choice.threshold }
      for (let i = 0; i < predictedLabels.length; i++) {
        if (predictedLabels[i] !== oosIndex && confidences[i] < choice.threshold) {
          predictedLabels[i] = oosIndex
          confidences[i] = 1 - confidences[i]
        }
      }
    }
    const predictions = predictedLabels.map((k, i) => ({
      label: k >= 0 && k < labels.length ? labels[k] : (options.oosLabel as string),
      confidence: confidences[i],
    }))
    evaluation = evaluate(predictions, validationPart, { oosLabel: options.oosLabel, labels })
    validationSummary = {
      accuracy: evaluation.accuracy,
      macro_f1: evaluation.macro_f1,
      ece: evaluation.ece,
      ece_before_calibration: eceBefore,
      ...(evaluation.oos
        ? { in_scope_accuracy: evaluation.oos.in_scope_accuracy, oos_recall: evaluation.oos.oos_recall }
        : {}),
    }
  } else if (options.oosLabel !== undefined) {
    warnings.push(
      'no validation data: the out-of-scope threshold was not tuned (only the label itself is predicted)',
    )
    oos = { label: options.oosLabel, threshold: 0 }
  }

  const final = refit ? fit([...trainIndices, ...validationIndices], first.bestEpoch, false, 'refit') : first
  const snapshot = snapshotOf(final, temperature, oos, refit ? all.length : trainPart.length)
  const model = new LinearTextClassifier(snapshot)
  const report: TrainingReport = {
    labels,
    n_train: trainPart.length,
    n_validation: validationPart.length,
    refit,
    ...(started !== undefined && options.now ? { seconds: (options.now() - started) / 1000 } : {}),
    validation: validationSummary,
    evaluation,
    temperature,
    oos_threshold: oos ? oos.threshold : null,
    epochs,
    best_epoch: first.bestEpoch,
    history: first.history,
    rows: final.vocabulary.buckets.length,
    fingerprint: snapshot.training.fingerprint,
    warnings,
  }
  return { model, report }
}

function balancedWeights(y: Int32Array, labels: number): Float32Array {
  const counts = new Float64Array(labels)
  for (const k of y) counts[k]++
  const present = counts.filter((c) => c > 0).length
  const weights = new Float32Array(labels)
  for (let k = 0; k < labels; k++) weights[k] = counts[k] > 0 ? y.length / (present * counts[k]) : 0
  return weights
}

function buildSnapshot(parts: {
  labels: string[]
  featureConfig: FeatureConfig
  minDf: number
  blockWeights: number[]
  fitted: Fitted
  quantization: 'int8' | 'float32'
  prune: number
  temperature: number
  oos: ModelSnapshot['oos']
  training: ModelSnapshot['training']
}): ModelSnapshot {
  const { vocabulary, model } = parts.fitted
  const rows = vocabulary.buckets.length
  const sparse = sparsifyRows(model.weights, rows, parts.labels.length, parts.prune)
  let weights: ModelSnapshot['weights']
  if (parts.quantization === 'int8') {
    const { scales, values } = quantizeSparse(sparse)
    weights = {
      encoding: 'sparse-int8',
      offsets: encodeArray(sparse.offsets),
      labels: encodeArray(sparse.labels),
      values: encodeArray(values),
      scales: encodeArray(scales),
      prune: parts.prune,
    }
  } else {
    weights = {
      encoding: 'sparse-float32',
      offsets: encodeArray(sparse.offsets),
      labels: encodeArray(sparse.labels),
      values: encodeArray(sparse.values),
      prune: parts.prune,
    }
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    kind: 'softmax',
    labels: parts.labels,
    features: {
      ...parts.featureConfig,
      blockWeights: parts.blockWeights,
      minDf: parts.minDf,
      useIdf: true,
    },
    rows: {
      count: rows,
      buckets: encodeArray(vocabulary.buckets),
      blocks: encodeArray(vocabulary.blocks),
      idf: encodeArray(vocabulary.idf),
    },
    weights,
    bias: Array.from(model.bias),
    temperature: parts.temperature,
    oos: parts.oos,
    training: parts.training,
  }
}
