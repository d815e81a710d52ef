/**
 * Encoding of model snapshots: typed arrays as little-endian base64, weights quantised to int8 with one
 * scale per row (or kept as float32), and the checks `loadTextClassifier` runs before trusting a file.
 */
import { createHash } from 'node:crypto'
import { AppError } from '../../core/index.js'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type ModelSnapshot, type TrainingExample } from './types.js'

type Typed = Int32Array | Uint8Array | Int8Array | Uint16Array | Float32Array

export function encodeArray(array: Typed): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64')
}

function decodeBytes(text: string, what: string): ArrayBuffer {
  if (typeof text !== 'string') throw invalid(`${what} must be a base64 string`)
  const buffer = Buffer.from(text, 'base64')
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer
}

export function decodeInt32(text: string, what: string): Int32Array {
  const bytes = decodeBytes(text, what)
  if (bytes.byteLength % 4 !== 0) throw invalid(`${what} is not a whole number of int32 values`)
  return new Int32Array(bytes)
}

export function decodeFloat32(text: string, what: string): Float32Array {
  const bytes = decodeBytes(text, what)
  if (bytes.byteLength % 4 !== 0) throw invalid(`${what} is not a whole number of float32 values`)
  return new Float32Array(bytes)
}

export function decodeUint8(text: string, what: string): Uint8Array {
  return new Uint8Array(decodeBytes(text, what))
}

export function decodeInt8(text: string, what: string): Int8Array {
  return new Int8Array(decodeBytes(text, what))
}

export function decodeUint16(text: string, what: string): Uint16Array {
  const bytes = decodeBytes(text, what)
  if (bytes.byteLength % 2 !== 0) throw invalid(`${what} is not a whole number of uint16 values`)
  return new Uint16Array(bytes)
}

export interface SparseRows {
  readonly offsets: Int32Array
  readonly labels: Uint16Array
  readonly values: Float32Array
}

/**
 * Dense rows × labels weights to sparse rows: each row minus its median (predictions are unchanged), then
 * entries whose magnitude is under `prune` × the row's largest one dropped (exact zeros always).
 */
export function sparsifyRows(weights: Float32Array, rows: number, labels: number, prune: number): SparseRows {
  const offsets = new Int32Array(rows + 1)
  const keptLabels: number[] = []
  const keptValues: number[] = []
  const row = new Float32Array(labels)
  const sorted = new Float32Array(labels)
  for (let r = 0; r < rows; r++) {
    const base = r * labels
    for (let k = 0; k < labels; k++) row[k] = weights[base + k]
    sorted.set(row)
    sorted.sort()
    const median = labels % 2 === 1 ? sorted[labels >> 1] : (sorted[labels / 2 - 1] + sorted[labels / 2]) / 2
    let max = 0
    for (let k = 0; k < labels; k++) max = Math.max(max, Math.abs(row[k] - median))
    const cut = prune * max
    for (let k = 0; k < labels; k++) {
      const value = row[k] - median
      if (value !== 0 && Math.abs(value) >= cut) {
        keptLabels.push(k)
        keptValues.push(value)
      }
    }
    offsets[r + 1] = keptLabels.length
  }
  return { offsets, labels: Uint16Array.from(keptLabels), values: Float32Array.from(keptValues) }
}

/** Quantise sparse values to int8 with one scale per row (the row's largest magnitude / 127). */
export function quantizeSparse(sparse: SparseRows): { scales: Float32Array; values: Int8Array } {
  const rows = sparse.offsets.length - 1
  const scales = new Float32Array(rows)
  const values = new Int8Array(sparse.values.length)
  for (let r = 0; r < rows; r++) {
    let max = 0
    for (let j = sparse.offsets[r]; j < sparse.offsets[r + 1]; j++)
      max = Math.max(max, Math.abs(sparse.values[j]))
    const scale = max > 0 ? max / 127 : 0
    scales[r] = scale
    if (scale > 0)
      for (let j = sparse.offsets[r]; j < sparse.offsets[r + 1]; j++)
        values[j] = Math.round(sparse.values[j] / scale)
  }
  return { scales, values }
}

export function invalid(message: string, details?: unknown): AppError {
  return new AppError('CORE_VALIDATION_FAILED', `invalid text classifier snapshot: ${message}`, { details })
}

/**
 * sha256 (hex) of a training set, independent of its order: each example as the JSON array [text, label],
 * sorted, joined by "\n".
 */
export function fingerprintExamples(examples: readonly TrainingExample[]): string {
  const lines = examples.map((example) => JSON.stringify([example.text, example.label])).sort()
  const hash = createHash('sha256')
  for (const line of lines) hash.update(line + '\n')
  return hash.digest('hex')
}

/** Structural checks of a snapshot; throws a user error naming the first problem. */
export function checkSnapshot(value: unknown): asserts value is ModelSnapshot {
  if (value === null || typeof value !== 'object') throw invalid('expected an object')
  const snapshot = value as Partial<ModelSnapshot>
  if (snapshot.format !== SNAPSHOT_FORMAT)
    throw invalid(`format is ${JSON.stringify(snapshot.format)}; expected "${SNAPSHOT_FORMAT}"`)
  if (snapshot.version !== SNAPSHOT_VERSION)
    throw invalid(
      `version ${JSON.stringify(snapshot.version)} is not supported; supported: ${SNAPSHOT_VERSION}`,
    )
  if (snapshot.kind !== 'softmax')
    throw invalid(`kind ${JSON.stringify(snapshot.kind)} is unknown; known: softmax`)
  const labels = snapshot.labels
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string'))
    throw invalid('labels must be an array of at least two strings')
  if (new Set(labels).size !== labels.length) throw invalid('labels must be distinct')
  if (!snapshot.features || typeof snapshot.features !== 'object') throw invalid('features are missing')
  if (!snapshot.rows || typeof snapshot.rows.count !== 'number') throw invalid('rows are missing')
  if (
    !snapshot.weights ||
    (snapshot.weights.encoding !== 'sparse-int8' && snapshot.weights.encoding !== 'sparse-float32')
  )
    throw invalid('weights.encoding must be "sparse-int8" or "sparse-float32"')
  if (!Array.isArray(snapshot.bias) || snapshot.bias.length !== labels.length)
    throw invalid(`bias must hold one number per label (${labels.length})`)
  if (typeof snapshot.temperature !== 'number' || !(snapshot.temperature > 0))
    throw invalid('temperature must be a positive number')
  if (snapshot.oos !== null && snapshot.oos !== undefined) {
    if (typeof snapshot.oos.label !== 'string' || typeof snapshot.oos.threshold !== 'number')
      throw invalid('oos must be null or { label, threshold }')
  }
}
