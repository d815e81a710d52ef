/**
 * The softmax text classifier at prediction time: a snapshot turned into typed arrays, and `predict`:
 * normalise → hashed n-grams → TF-IDF over the model's rows → logits (sparse rows of weights) →
 * temperature-scaled softmax → out-of-scope threshold → evidence.
 *
 * Evidence: each feature's contribution to the top label's logit against the mean of all labels,
 * value × (w[top] − mean_k w[k]) / temperature, is credited to the token (or token pair) that produced it —
 * a word's character n-grams count for that word — and the tokens that pushed most are listed. The
 * n-gram strings come from the text being explained; the model holds only hashes.
 *
 * Out of scope: when the top label is not the out-of-scope label and its confidence is under the threshold,
 * the prediction becomes the out-of-scope label (which need not be one of `labels`: a model can reject
 * without having been trained on out-of-scope examples) with confidence 1 − (top confidence). `scores` and
 * `evidence` still describe the rejected top label, so an explanation can say what the model would have
 * answered.
 */
import { BLOCK_COUNT, FeatureExtractor, unitText, type ExtractedFeatures } from '../features.js'
import {
  checkSnapshot,
  decodeFloat32,
  decodeInt32,
  decodeInt8,
  decodeUint16,
  decodeUint8,
  invalid,
} from './snapshot.js'
import type { Evidence, ModelSnapshot, Prediction, TextClassifier } from './types.js'

/** 1 + ln(count) for small counts (sublinear term frequency without a logarithm per feature). */
/** 32-bit words per bucket record (see `records`). */
const RECORD_WORDS = 8
const LOG_TF = Float64Array.from({ length: 256 }, (_, c) => (c > 0 ? 1 + Math.log(c) : 0))

export interface LinearClassifierOptions {
  /** How many evidence n-grams each prediction lists (default 5; 0 for none). */
  readonly evidenceSize?: number
}

export interface Classification {
  readonly label: string
  readonly confidence: number
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}

export class LinearTextClassifier implements TextClassifier {
  readonly labels: readonly string[]
  private readonly snapshot: ModelSnapshot
  private readonly extractor: FeatureExtractor
  private readonly shift: number
  /**
   * The model's buckets in an open-addressing table of 32-byte records, so that looking a feature up costs
   * one cache line, not three (bucket → row → row data → entries): the lookups of a long text are what
   * the classifier waits on (they miss the processor's caches). Record `p` at `p × RECORD_WORDS`:
   * [bucket or −1 when free, row, block | inline entry count << 1 (3: use `rowMeta`), dense slot or −1,
   * idf (float), first label | second label << 16, first value (float), second value (float)].
   */
  private readonly records: Int32Array
  private readonly recordFloats: Float32Array
  private readonly recordMask: number
  private readonly rowBlocks: Uint8Array
  private readonly idf: Float32Array
  /** Per row, packed so one text touches few cache lines: [first entry, end entry, dense slot or −1, block]. */
  private readonly rowMeta: Int32Array
  private readonly entryLabels: Uint16Array
  /** Entry values with the row scale applied. */
  private readonly entryValues: Float32Array
  private readonly rowMeans: Float32Array
  /** Rows with many entries are also kept dense (faster to add), at their dense slot. */
  private readonly dense: Float32Array
  private readonly bias: Float64Array
  private readonly blockWeights: Float64Array
  private readonly inverseTemperature: number
  private readonly oosIndex: number
  private readonly oosLabel: string | null
  private readonly threshold: number
  private readonly evidenceSize: number
  // scratch state, reused between texts (a classifier is not re-entrant, and nothing in it is async)
  /**
   * A small open-addressing set of the buckets of the current text (bucket, or −1 when free → its slot in
   * `touched`, or −1 for a bucket the model does not know), cleared after each text. It stays in the
   * processor's cache, unlike a mark per model row (the rows of a large model span megabytes).
   */
  private probeBuckets = new Int32Array(1024).fill(-1)
  private probeSlots = new Int32Array(1024)
  private probeUsed = new Int32Array(1024)
  private readonly logits: Float64Array
  private readonly probabilities: Float64Array
  private readonly norms = new Float64Array(BLOCK_COUNT)
  /** Distinct known buckets of the current text (record positions), their counts and TF-IDF values. */
  private touched = new Int32Array(1024)
  private counts = new Float64Array(1024)
  private values = new Float64Array(1024)
  /** Per feature of the current text: its position in `touched`, or −1. */
  private featureSlots = new Int32Array(1024)
  private unitScores = new Float64Array(64)
  private top = 0
  private lastFeatures: ExtractedFeatures | null = null

  constructor(snapshot: ModelSnapshot, options: LinearClassifierOptions = {}) {
    checkSnapshot(snapshot)
    this.snapshot = deepFreeze(structuredClone(snapshot))
    this.labels = this.snapshot.labels
    const labelCount = snapshot.labels.length
    const { blockWeights, minDf: _minDf, useIdf: _useIdf, ...featureConfig } = snapshot.features
    try {
      this.extractor = new FeatureExtractor(featureConfig)
    } catch (error) {
      throw invalid(`features: ${(error as Error).message}`)
    }
    const size = 1 << this.extractor.config.hashBits
    this.shift = 32 - this.extractor.config.hashBits
    const rows = snapshot.rows.count
    const buckets = decodeInt32(snapshot.rows.buckets, 'rows.buckets')
    this.rowBlocks = decodeUint8(snapshot.rows.blocks, 'rows.blocks')
    this.idf = decodeFloat32(snapshot.rows.idf, 'rows.idf')
    if (buckets.length !== rows || this.rowBlocks.length !== rows || this.idf.length !== rows)
      throw invalid(`rows: expected ${rows} buckets, blocks and idf values`)
    for (let r = 0; r < rows; r++) {
      if (!(buckets[r] >= 0 && buckets[r] < size)) throw invalid(`rows.buckets[${r}] is out of range`)
      if (this.rowBlocks[r] >= BLOCK_COUNT) throw invalid(`rows.blocks[${r}] is out of range`)
    }

    const weights = snapshot.weights
    const offsets = decodeInt32(weights.offsets, 'weights.offsets')
    this.entryLabels = decodeUint16(weights.labels, 'weights.labels')
    const entries = this.entryLabels.length
    if (offsets.length !== rows + 1 || offsets[0] !== 0 || offsets[rows] !== entries)
      throw invalid(`weights.offsets must hold ${rows + 1} offsets from 0 to ${entries}`)
    let rowScales: Float32Array
    let rawValues: Float32Array | Int8Array
    if (weights.encoding === 'sparse-int8') {
      rawValues = decodeInt8(weights.values, 'weights.values')
      rowScales = decodeFloat32(weights.scales ?? '', 'weights.scales')
    } else {
      rawValues = decodeFloat32(weights.values, 'weights.values')
      rowScales = new Float32Array(rows).fill(1)
    }
    if (rawValues.length !== entries || rowScales.length !== rows)
      throw invalid(`weights: expected ${entries} values and ${rows} row scales`)
    this.entryValues = new Float32Array(entries)
    this.rowMeans = new Float32Array(rows)
    this.rowMeta = new Int32Array(rows * 4)
    const denseFrom = Math.max(4, labelCount / 4)
    let denseRows = 0
    for (let r = 0; r < rows; r++) {
      const start = offsets[r]
      const end = offsets[r + 1]
      if (end < start) throw invalid(`weights.offsets decrease at row ${r}`)
      let sum = 0
      for (let j = start; j < end; j++) {
        if (this.entryLabels[j] >= labelCount) throw invalid(`weights.labels[${j}] is out of range`)
        this.entryValues[j] = rawValues[j] * rowScales[r]
        sum += this.entryValues[j]
      }
      this.rowMeans[r] = sum / labelCount
      this.rowMeta[r * 4] = start
      this.rowMeta[r * 4 + 1] = end
      this.rowMeta[r * 4 + 2] = end - start >= denseFrom ? denseRows++ : -1
      this.rowMeta[r * 4 + 3] = this.rowBlocks[r]
    }
    this.dense = new Float32Array(denseRows * labelCount)
    for (let r = 0; r < rows; r++) {
      const slot = this.rowMeta[r * 4 + 2]
      if (slot < 0) continue
      for (let j = this.rowMeta[r * 4]; j < this.rowMeta[r * 4 + 1]; j++)
        this.dense[slot * labelCount + this.entryLabels[j]] = this.entryValues[j]
    }
    let capacity = 16
    while (capacity * 0.75 < rows) capacity *= 2
    this.recordMask = capacity - 1
    this.records = new Int32Array(capacity * RECORD_WORDS)
    this.recordFloats = new Float32Array(this.records.buffer)
    for (let p = 0; p < capacity; p++) this.records[p * RECORD_WORDS] = -1
    for (let r = 0; r < rows; r++) {
      const bucket = buckets[r]
      let position = bucket & this.recordMask
      while (this.records[position * RECORD_WORDS] !== -1) {
        if (this.records[position * RECORD_WORDS] === bucket)
          throw invalid(`rows.buckets[${r}] repeats a bucket`)
        position = (position + 1) & this.recordMask
      }
      const at = position * RECORD_WORDS
      const start = this.rowMeta[r * 4]
      const entriesOfRow = this.rowMeta[r * 4 + 1] - start
      const denseSlot = this.rowMeta[r * 4 + 2]
      const inline = denseSlot < 0 && entriesOfRow <= 2 ? entriesOfRow : 3
      this.records[at] = bucket
      this.records[at + 1] = r
      this.records[at + 2] = this.rowBlocks[r] | (inline << 1)
      this.records[at + 3] = denseSlot
      this.recordFloats[at + 4] = this.idf[r]
      if (inline === 1 || inline === 2) {
        this.records[at + 5] =
          this.entryLabels[start] | (inline === 2 ? this.entryLabels[start + 1] << 16 : 0)
        this.recordFloats[at + 6] = this.entryValues[start]
        this.recordFloats[at + 7] = inline === 2 ? this.entryValues[start + 1] : 0
      }
    }
    this.bias = Float64Array.from(snapshot.bias)
    this.blockWeights = new Float64Array(BLOCK_COUNT).fill(1)
    blockWeights.forEach((weight, b) => {
      if (b < BLOCK_COUNT) this.blockWeights[b] = weight
    })
    this.inverseTemperature = 1 / snapshot.temperature
    this.oosIndex = snapshot.oos ? snapshot.labels.indexOf(snapshot.oos.label) : -1
    this.oosLabel = snapshot.oos ? snapshot.oos.label : null
    this.threshold = snapshot.oos ? snapshot.oos.threshold : 0
    this.evidenceSize = Math.max(0, Math.floor(options.evidenceSize ?? 5))
    this.logits = new Float64Array(labelCount)
    this.probabilities = new Float64Array(labelCount)
  }

  /** The out-of-scope label and threshold, or null. */
  get outOfScope(): { readonly label: string; readonly threshold: number } | null {
    return this.snapshot.oos
  }

  toJSON(): ModelSnapshot {
    return this.snapshot
  }

  predict(texts: readonly string[]): Prediction[] {
    if (!Array.isArray(texts)) throw new TypeError('predict expects an array of strings')
    const out: Prediction[] = new Array(texts.length)
    for (let i = 0; i < texts.length; i++) out[i] = this.predictOne(texts[i])
    return out
  }

  /**
   * Labels and confidences only — the fast path for bulk classification (no `scores` object, no
   * evidence); the same label and confidence as `predict`.
   */
  classify(texts: readonly string[]): Classification[] {
    if (!Array.isArray(texts)) throw new TypeError('classify expects an array of strings')
    const out: Classification[] = new Array(texts.length)
    for (let i = 0; i < texts.length; i++) {
      this.score(texts[i])
      out[i] = this.decide()
    }
    return out
  }

  /** Uncalibrated logits of each text (for calibration and analysis). */
  rawLogits(texts: readonly string[]): Float64Array[] {
    return texts.map((text) => {
      this.vectorize(typeof text === 'string' ? text : '')
      return Float64Array.from(this.logits)
    })
  }

  private predictOne(input: unknown): Prediction {
    this.score(input)
    const labels = this.labels
    const scores: Record<string, number> = {}
    for (let k = 0; k < labels.length; k++) scores[labels[k]] = this.probabilities[k]
    const evidence =
      this.evidenceSize > 0 && this.lastFeatures ? this.evidenceFor(this.lastFeatures, this.top) : []
    const { label, confidence } = this.decide()
    return { label, confidence, scores, evidence }
  }

  private decide(): Classification {
    const top = this.top
    const confidence = this.probabilities[top]
    if (this.oosLabel !== null && top !== this.oosIndex && confidence < this.threshold)
      return { label: this.oosLabel, confidence: 1 - confidence }
    return { label: this.labels[top], confidence }
  }

  /** Featurise and score one text into `probabilities` and `top`. */
  private score(input: unknown): void {
    const text =
      typeof input === 'string' ? input : input === null || input === undefined ? '' : String(input)
    this.lastFeatures = this.vectorize(text)
    const logits = this.logits
    const probabilities = this.probabilities
    const count = logits.length
    let max = -Infinity
    for (let k = 0; k < count; k++) if (logits[k] > max) max = logits[k]
    let sum = 0
    for (let k = 0; k < count; k++) {
      const e = Math.exp((logits[k] - max) * this.inverseTemperature)
      probabilities[k] = e
      sum += e
    }
    let top = 0
    for (let k = 0; k < count; k++) {
      probabilities[k] /= sum
      if (probabilities[k] > probabilities[top]) top = k
    }
    this.top = top
  }

  /** Featurise `text` into the scratch buffers and compute its raw logits into `logits`. */
  private vectorize(text: string): ExtractedFeatures {
    const features = this.extractor.extract(text)
    const count = features.count
    if (this.featureSlots.length < count) {
      this.featureSlots = new Int32Array(count * 2)
      this.touched = new Int32Array(count * 2)
      this.counts = new Float64Array(count * 2)
      this.values = new Float64Array(count * 2)
    }
    const bits = Math.max(10, 32 - Math.clz32(count * 2))
    if (this.probeBuckets.length < 1 << bits) {
      this.probeBuckets = new Int32Array(1 << bits).fill(-1)
      this.probeSlots = new Int32Array(1 << bits)
      this.probeUsed = new Int32Array(1 << bits)
    }
    const { records, recordFloats, recordMask, featureSlots, touched, counts, values, shift } = this
    const { probeBuckets, probeSlots, probeUsed } = this
    const mask = (1 << bits) - 1
    const hashes = features.hashes
    // distinct buckets and their counts
    let hits = 0
    let used = 0
    for (let f = 0; f < count; f++) {
      const bucket = hashes[f] >>> shift
      let position = Math.imul(bucket, 0x9e3779b1) >>> (32 - bits)
      let slot: number
      for (;;) {
        const held = probeBuckets[position]
        if (held === bucket) {
          slot = probeSlots[position]
          if (slot >= 0) counts[slot]++
          break
        }
        if (held === -1) {
          probeBuckets[position] = bucket
          probeUsed[used++] = position
          let record = bucket & recordMask
          let key = records[record * RECORD_WORDS]
          while (key !== bucket && key !== -1) {
            record = (record + 1) & recordMask
            key = records[record * RECORD_WORDS]
          }
          if (key === -1) slot = -1
          else {
            touched[hits] = record
            counts[hits] = 1
            slot = hits++
          }
          probeSlots[position] = slot
          break
        }
        position = (position + 1) & mask
      }
      featureSlots[f] = slot
    }
    for (let u = 0; u < used; u++) probeBuckets[probeUsed[u]] = -1
    // sublinear TF × IDF, L2-normalised per block
    const norms = this.norms
    norms.fill(0)
    for (let h = 0; h < hits; h++) {
      const at = touched[h] * RECORD_WORDS
      const c = counts[h]
      const value = (c < LOG_TF.length ? LOG_TF[c] : 1 + Math.log(c)) * recordFloats[at + 4]
      values[h] = value
      norms[records[at + 2] & 1] += value * value
    }
    for (let b = 0; b < BLOCK_COUNT; b++)
      norms[b] = norms[b] > 0 ? this.blockWeights[b] / Math.sqrt(norms[b]) : 0

    const { logits, bias, entryLabels, entryValues, dense, rowMeta } = this
    const labels = logits.length
    for (let k = 0; k < labels; k++) logits[k] = bias[k]
    for (let h = 0; h < hits; h++) {
      const at = touched[h] * RECORD_WORDS
      const flags = records[at + 2]
      const value = values[h] * norms[flags & 1]
      values[h] = value
      const inline = flags >> 1
      if (inline === 1) logits[records[at + 5] & 0xffff] += value * recordFloats[at + 6]
      else if (inline === 2) {
        const pair = records[at + 5]
        logits[pair & 0xffff] += value * recordFloats[at + 6]
        logits[pair >>> 16] += value * recordFloats[at + 7]
      } else if (inline === 3) {
        const slot = records[at + 3]
        if (slot >= 0) {
          const base = slot * labels
          let k = 0
          for (; k + 3 < labels; k += 4) {
            logits[k] += value * dense[base + k]
            logits[k + 1] += value * dense[base + k + 1]
            logits[k + 2] += value * dense[base + k + 2]
            logits[k + 3] += value * dense[base + k + 3]
          }
          for (; k < labels; k++) logits[k] += value * dense[base + k]
        } else {
          const meta = records[at + 1] * 4
          for (let j = rowMeta[meta], end = rowMeta[meta + 1]; j < end; j++)
            logits[entryLabels[j]] += value * entryValues[j]
        }
      }
    }
    return features
  }

  /** Weight of `label` in `row` (0 when pruned). */
  private weightOf(row: number, label: number): number {
    for (let j = this.rowMeta[row * 4], end = this.rowMeta[row * 4 + 1]; j < end; j++)
      if (this.entryLabels[j] === label) return this.entryValues[j]
    return 0
  }

  private evidenceFor(features: ExtractedFeatures, label: number): Evidence[] {
    const { tokens } = features
    const unitCount = tokens.length * 2
    if (this.unitScores.length < unitCount) this.unitScores = new Float64Array(unitCount * 2)
    const scores = this.unitScores
    scores.fill(0, 0, unitCount)
    for (let f = 0; f < features.count; f++) {
      const slot = this.featureSlots[f]
      const unit = features.units[f]
      if (slot < 0 || unit < 0) continue
      const row = this.records[this.touched[slot] * RECORD_WORDS + 1]
      const push = this.weightOf(row, label) - this.rowMeans[row]
      scores[unit] += (this.values[slot] * push) / this.counts[slot]
    }
    const best: number[] = []
    for (let u = 0; u < unitCount; u++) {
      if (!(scores[u] > 0)) continue
      if (best.length < this.evidenceSize * 2) best.push(u)
      else {
        let weakest = 0
        for (let b = 1; b < best.length; b++) if (scores[best[b]] < scores[best[weakest]]) weakest = b
        if (scores[u] > scores[best[weakest]]) best[weakest] = u
      }
    }
    const merged = new Map<string, number>()
    for (const u of best) {
      const feature = unitText(tokens, u)
      if (feature === '') continue
      merged.set(feature, (merged.get(feature) ?? 0) + scores[u] * this.inverseTemperature)
    }
    return [...merged]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.evidenceSize)
      .map(([feature, weight]) => ({ feature, weight: Math.round(weight * 1e4) / 1e4 }))
  }
}

/** Restore a classifier from its snapshot (as returned by `toJSON()` or read back from JSON). */
export function loadTextClassifier(
  snapshot: unknown,
  options: LinearClassifierOptions = {},
): LinearTextClassifier {
  checkSnapshot(snapshot)
  return new LinearTextClassifier(snapshot, options)
}
