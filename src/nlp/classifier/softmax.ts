/**
 * Multinomial logistic regression (softmax) over sparse vectors, trained with stochastic gradient descent:
 * one example at a time in a seeded random order, L2 regularisation applied exactly through a global scale
 * factor (W = scale · V, so decay costs O(1) per step), a learning rate that decays linearly over the
 * epochs, per-example class weights, and early stopping on a validation set (the weights of the best epoch
 * are kept). Hand-written over Float32Arrays: rows × labels, row-major.
 */
import { createRandom, shuffleInPlace } from '../prng.js'
import type { SparseMatrix } from './vocabulary.js'

export interface SoftmaxOptions {
  readonly epochs: number
  readonly learningRate: number
  /** L2 penalty λ (per example). */
  readonly l2: number
  readonly seed: number
  /** Weight of each label's examples in the loss (default all 1). */
  readonly labelWeights?: Float32Array
  /** Stop after this many epochs without a better validation score (default 3). */
  readonly patience?: number
  /** Skip updating a label whose gradient is below this magnitude (default 1e-4; 0 = exact). */
  readonly gradientCutoff?: number
  /** Called after each epoch (progress reporting; the model is unaffected). */
  readonly onEpoch?: (epoch: number, epochs: number) => void
}

export interface EpochRecord {
  readonly epoch: number
  readonly train_loss: number
  readonly validation_accuracy?: number
  readonly validation_loss?: number
}

export interface SoftmaxModel {
  readonly rows: number
  readonly labels: number
  /** rows × labels, row-major. */
  readonly weights: Float32Array
  readonly bias: Float32Array
}

export interface SoftmaxResult {
  readonly model: SoftmaxModel
  /** Epoch whose weights were kept (1-based). */
  readonly bestEpoch: number
  readonly history: EpochRecord[]
}

/** Logits of row `i` of `x` into `out`. */
export function logitsOf(model: SoftmaxModel, x: SparseMatrix, i: number, out: Float64Array): void {
  const { labels, weights, bias } = model
  for (let k = 0; k < labels; k++) out[k] = bias[k]
  for (let e = x.indptr[i]; e < x.indptr[i + 1]; e++)
    addScaledRow(out, weights, x.cols[e] * labels, x.values[e], labels)
}

/** row[base + k] += value × gradient[k] for k < n (unrolled by four). */
function addScaledRow32(
  row: Float32Array,
  gradient: Float64Array,
  base: number,
  value: number,
  n: number,
): void {
  let k = 0
  for (; k + 3 < n; k += 4) {
    row[base + k] += value * gradient[k]
    row[base + k + 1] += value * gradient[k + 1]
    row[base + k + 2] += value * gradient[k + 2]
    row[base + k + 3] += value * gradient[k + 3]
  }
  for (; k < n; k++) row[base + k] += value * gradient[k]
}

/** out[k] += value × row[base + k] for k < n (unrolled by four: the hot loop of training). */
function addScaledRow(out: Float64Array, row: Float32Array, base: number, value: number, n: number): void {
  let k = 0
  for (; k + 3 < n; k += 4) {
    out[k] += value * row[base + k]
    out[k + 1] += value * row[base + k + 1]
    out[k + 2] += value * row[base + k + 2]
    out[k + 3] += value * row[base + k + 3]
  }
  for (; k < n; k++) out[k] += value * row[base + k]
}

/** All logits of `x` (rows × labels). */
export function allLogits(model: SoftmaxModel, x: SparseMatrix): Float64Array {
  const out = new Float64Array(x.rows * model.labels)
  const row = new Float64Array(model.labels)
  for (let i = 0; i < x.rows; i++) {
    logitsOf(model, x, i, row)
    out.set(row, i * model.labels)
  }
  return out
}

/** Softmax of `logits[offset … offset + n)` divided by `temperature`, into `out`. */
export function softmaxInto(
  logits: ArrayLike<number>,
  offset: number,
  n: number,
  temperature: number,
  out: Float64Array,
): void {
  let max = -Infinity
  for (let k = 0; k < n; k++) if (logits[offset + k] > max) max = logits[offset + k]
  let sum = 0
  for (let k = 0; k < n; k++) {
    const e = Math.exp((logits[offset + k] - max) / temperature)
    out[k] = e
    sum += e
  }
  for (let k = 0; k < n; k++) out[k] /= sum
}

function evaluateLogits(
  logits: Float64Array,
  y: Int32Array,
  labels: number,
): { accuracy: number; loss: number } {
  const p = new Float64Array(labels)
  let correct = 0
  let loss = 0
  for (let i = 0; i < y.length; i++) {
    softmaxInto(logits, i * labels, labels, 1, p)
    let best = 0
    for (let k = 1; k < labels; k++) if (p[k] > p[best]) best = k
    if (best === y[i]) correct++
    loss -= Math.log(Math.max(p[y[i]], 1e-12))
  }
  return { accuracy: y.length ? correct / y.length : 0, loss: y.length ? loss / y.length : 0 }
}

/** Train a softmax regression on `x` (rows = examples) with labels `y` in [0, labels). */
export function trainSoftmax(
  x: SparseMatrix,
  y: Int32Array,
  features: number,
  labels: number,
  options: SoftmaxOptions,
  validation?: { readonly x: SparseMatrix; readonly y: Int32Array },
): SoftmaxResult {
  const n = x.rows
  const v = new Float32Array(features * labels)
  const bias = new Float32Array(labels)
  let scale = 1
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  const random = createRandom(options.seed)
  const z = new Float64Array(labels)
  const g = new Float64Array(labels)
  const full = new Float64Array(labels)
  const active = new Int32Array(labels)
  const cutoff = options.gradientCutoff ?? 1e-4
  const patience = options.patience ?? 3
  const totalSteps = Math.max(1, options.epochs * n)
  const history: EpochRecord[] = []
  let best: { epoch: number; accuracy: number; loss: number } | null = null
  // the best epoch's weights, copied into one buffer (allocated on the first validation)
  let bestWeights: Float32Array | null = null
  const bestBias = new Float32Array(labels)
  let step = 0

  const current = (): SoftmaxModel => {
    const weights = new Float32Array(v.length)
    for (let j = 0; j < v.length; j++) weights[j] = v[j] * scale
    return { rows: features, labels, weights, bias: bias.slice() }
  }
  const validationLogits = (vx: SparseMatrix): Float64Array => {
    const logits = allLogits({ rows: features, labels, weights: v, bias: new Float32Array(labels) }, vx)
    for (let j = 0; j < logits.length; j++) logits[j] = logits[j] * scale + bias[j % labels]
    return logits
  }

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffleInPlace(order, random)
    let lossSum = 0
    for (let o = 0; o < n; o++) {
      const i = order[o]
      const rate = options.learningRate * Math.max(1 - step / totalSteps, 1e-4)
      step++
      const from = x.indptr[i]
      const to = x.indptr[i + 1]
      for (let k = 0; k < labels; k++) z[k] = 0
      for (let e = from; e < to; e++) addScaledRow(z, v, x.cols[e] * labels, x.values[e], labels)
      let max = -Infinity
      for (let k = 0; k < labels; k++) {
        z[k] = z[k] * scale + bias[k]
        if (z[k] > max) max = z[k]
      }
      let sum = 0
      for (let k = 0; k < labels; k++) {
        z[k] = Math.exp(z[k] - max)
        sum += z[k]
      }
      const target = y[i]
      const weight = options.labelWeights ? options.labelWeights[target] : 1
      lossSum -= weight * Math.log(Math.max(z[target] / sum, 1e-12))
      let activeCount = 0
      for (let k = 0; k < labels; k++) {
        const gradient = (z[k] / sum - (k === target ? 1 : 0)) * weight
        if (gradient > cutoff || gradient < -cutoff) {
          g[activeCount] = rate * gradient
          active[activeCount++] = k
          bias[k] -= rate * gradient
          full[k] = rate * gradient
        } else full[k] = 0
      }
      if (options.l2 > 0) scale *= 1 - rate * options.l2
      const inverse = 1 / scale
      if (activeCount * 3 > labels) {
        for (let e = from; e < to; e++)
          addScaledRow32(v, full, x.cols[e] * labels, -x.values[e] * inverse, labels)
      } else {
        for (let e = from; e < to; e++) {
          const value = x.values[e] * inverse
          const base = x.cols[e] * labels
          for (let a = 0; a < activeCount; a++) v[base + active[a]] -= value * g[a]
        }
      }
      if (scale < 1e-6) {
        for (let j = 0; j < v.length; j++) v[j] *= scale
        scale = 1
      }
    }
    const record: { -readonly [K in keyof EpochRecord]: EpochRecord[K] } = { epoch, train_loss: lossSum / n }
    if (validation && validation.x.rows > 0) {
      const result = evaluateLogits(validationLogits(validation.x), validation.y, labels)
      record.validation_accuracy = result.accuracy
      record.validation_loss = result.loss
      const better =
        best === null ||
        result.accuracy > best.accuracy + 1e-9 ||
        (Math.abs(result.accuracy - best.accuracy) <= 1e-9 && result.loss < best.loss)
      if (better) {
        best = { epoch, accuracy: result.accuracy, loss: result.loss }
        bestWeights ??= new Float32Array(v.length)
        for (let j = 0; j < v.length; j++) bestWeights[j] = v[j] * scale
        bestBias.set(bias)
      }
      history.push(record)
      options.onEpoch?.(epoch, options.epochs)
      if (best !== null && epoch - best.epoch >= patience) break
    } else {
      history.push(record)
      options.onEpoch?.(epoch, options.epochs)
    }
  }
  if (best !== null && bestWeights !== null)
    return {
      model: { rows: features, labels, weights: bestWeights, bias: bestBias },
      bestEpoch: best.epoch,
      history,
    }
  return { model: current(), bestEpoch: history.length, history }
}
