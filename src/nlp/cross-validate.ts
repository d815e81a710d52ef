/**
 * k-fold cross-validation (issue 3, item 8): stratified, seeded folds; a model trained on k − 1 folds
 * predicts the remaining one; the report pools every out-of-fold prediction into one evaluation and lists
 * each fold's figures with their mean and standard deviation.
 */
import { AppError } from '../core/index.js'
import { trainTextClassifier, type TrainOptions } from './classifier/train.js'
import type { Prediction, TrainingExample } from './classifier/types.js'
import { evaluate, type EvaluationReport } from './metrics.js'
import { stratifiedFolds } from './split.js'

export interface FoldResult {
  readonly fold: number
  readonly n_train: number
  readonly n_test: number
  readonly accuracy: number
  readonly macro_f1: number
  readonly ece: number
  readonly oos?: EvaluationReport['oos']
}

export interface CrossValidationReport {
  readonly k: number
  readonly n: number
  readonly folds: FoldResult[]
  readonly accuracy: { readonly mean: number; readonly std: number }
  readonly macro_f1: { readonly mean: number; readonly std: number }
  /** Evaluation of all out-of-fold predictions together. */
  readonly report: EvaluationReport
}

function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length)
  return { mean, std: Math.sqrt(variance) }
}

/** Cross-validate `trainTextClassifier` with `options` over k stratified folds of `examples`. */
export function crossValidate(
  examples: readonly TrainingExample[],
  k: number,
  options: TrainOptions,
): CrossValidationReport {
  if (!Number.isInteger(k) || k < 2)
    throw new AppError('CORE_VALIDATION_FAILED', `cross-validation needs an integer k ≥ 2, got ${k}`)
  if (!Array.isArray(examples) || examples.length < k)
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `cross-validation with k = ${k} needs at least ${k} examples, got ${Array.isArray(examples) ? examples.length : 0}`,
    )
  const folds = stratifiedFolds(
    examples.map((example) => example.label),
    k,
    options.seed,
  )
  const predictions: Prediction[] = new Array(examples.length)
  const results: FoldResult[] = folds.map((split, fold) => {
    const train = split.train.map((i) => examples[i])
    const test = split.test.map((i) => examples[i])
    const { model } = trainTextClassifier(train, { ...options, seed: options.seed + fold })
    const foldPredictions = model.predict(test.map((example) => example.text))
    split.test.forEach((index, position) => {
      predictions[index] = foldPredictions[position]
    })
    const report = evaluate(foldPredictions, test, { oosLabel: options.oosLabel })
    return {
      fold,
      n_train: train.length,
      n_test: test.length,
      accuracy: report.accuracy,
      macro_f1: report.macro_f1,
      ece: report.ece,
      ...(report.oos ? { oos: report.oos } : {}),
    }
  })
  return {
    k,
    n: examples.length,
    folds: results,
    accuracy: meanAndStd(results.map((result) => result.accuracy)),
    macro_f1: meanAndStd(results.map((result) => result.macro_f1)),
    report: evaluate(predictions, examples, { oosLabel: options.oosLabel }),
  }
}
