import type { FeatureConfig } from '../features.js'

/** One n-gram (word, word pair or the character n-grams of a word) and how much it pushed the label. */
export interface Evidence {
  /** The n-gram as it appears in the normalised text (`refund`, `退款`, `money back`). */
  readonly feature: string
  /** Its contribution to the label's calibrated log-odds against the average label (> 0: towards it). */
  readonly weight: number
}

export interface Prediction {
  readonly label: string
  /** Calibrated probability that `label` is right, in [0, 1]. */
  readonly confidence: number
  /** Calibrated probability of every label of the model (they sum to 1). */
  readonly scores: Record<string, number>
  /** The n-grams that pushed the model's top-scoring label most, strongest first. */
  readonly evidence: Evidence[]
}

export interface TextClassifier {
  readonly labels: readonly string[]
  /** Pure: the same texts give the same predictions; the input is not modified. */
  predict(texts: readonly string[]): Prediction[]
  /** A plain, JSON-serialisable snapshot; `loadTextClassifier(snapshot)` restores the model exactly. */
  toJSON(): ModelSnapshot
}

export const SNAPSHOT_FORMAT = 'agentcrm.text-classifier'
export const SNAPSHOT_VERSION = 1

/** Model file contents. Binary arrays are little-endian, base64-encoded. */
export interface ModelSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT
  readonly version: typeof SNAPSHOT_VERSION
  readonly kind: 'softmax'
  readonly labels: readonly string[]
  readonly features: FeatureConfig & {
    readonly blockWeights: readonly number[]
    readonly minDf: number
    readonly useIdf: boolean
  }
  readonly rows: {
    readonly count: number
    /** Int32 bucket of each row, ascending by row. */
    readonly buckets: string
    /** Uint8 block of each row. */
    readonly blocks: string
    /** Float32 inverse document frequency of each row. */
    readonly idf: string
  }
  /**
   * Sparse rows × labels weights. Each row was shifted by its median (a per-row constant moves every
   * label's logit by the same amount, so predictions do not change) and entries under `prune` × the row's
   * largest magnitude were dropped. Row r holds entries offsets[r] … offsets[r + 1] − 1.
   */
  readonly weights: {
    readonly encoding: 'sparse-int8' | 'sparse-float32'
    /** Int32, rows + 1. */
    readonly offsets: string
    /** Uint16 label index of each entry. */
    readonly labels: string
    /** Int8 (times the row's scale) or Float32 value of each entry. */
    readonly values: string
    /** Float32 scale of each row (sparse-int8 only). */
    readonly scales?: string
    readonly prune: number
  }
  readonly bias: readonly number[]
  /** Logits are divided by it before the softmax (temperature scaling). */
  readonly temperature: number
  /** A prediction whose confidence is under `threshold` becomes `label`; null when not tuned. */
  readonly oos: { readonly label: string; readonly threshold: number } | null
  readonly training: {
    /** sha256 (hex) over the sorted training examples; see `fingerprintExamples`. */
    readonly fingerprint: string
    readonly examples: number
    readonly seed: number
    readonly epochs: number
    readonly learningRate: number
    readonly l2: number
    readonly classWeighting: boolean
  }
}

export interface TrainingExample {
  readonly text: string
  readonly label: string
}
