/**
 * From hashed features to TF-IDF vectors. Training keeps only the buckets seen in at least `minDf` training
 * texts (its "rows"); a text's vector holds, for each row it hits, (1 + ln tf) × idf, L2-normalised per
 * block and scaled by the block's weight. Unknown buckets are ignored, as a fitted TF-IDF vectoriser ignores
 * unknown words.
 */
import { BLOCK_COUNT, type ExtractedFeatures, type FeatureExtractor } from '../features.js'

/** Hashed bags of features of many texts: text i holds entries offsets[i] … offsets[i + 1] − 1. */
export interface FeatureBags {
  readonly offsets: Int32Array
  readonly buckets: Int32Array
  readonly counts: Float32Array
  readonly blocks: Uint8Array
}

export interface Vocabulary {
  readonly hashBits: number
  /** row → bucket (rows are ordered by document frequency, most frequent first). */
  readonly buckets: Int32Array
  /** row → block of the feature kind that produced it. */
  readonly blocks: Uint8Array
  /** row → inverse document frequency. */
  readonly idf: Float32Array
  /** bucket → row, or −1. */
  readonly table: Int32Array
  /** Weight of each block after its L2 normalisation. */
  readonly blockWeights: readonly number[]
}

/** Sparse rows (CSR) of vectors: text i holds cols/values at indptr[i] … indptr[i + 1] − 1. */
export interface SparseMatrix {
  readonly rows: number
  readonly indptr: Int32Array
  readonly cols: Int32Array
  readonly values: Float32Array
}

/** Collect the de-duplicated (bucket, count, block) bags of `texts`. */
export function collectBags(texts: readonly string[], extractor: FeatureExtractor): FeatureBags {
  const shift = 32 - extractor.config.hashBits
  const slot = new Int32Array(1 << extractor.config.hashBits).fill(-1)
  const offsets = new Int32Array(texts.length + 1)
  let capacity = Math.max(1024, texts.length * 64)
  let buckets = new Int32Array(capacity)
  let counts = new Float32Array(capacity)
  let blocks = new Uint8Array(capacity)
  let size = 0
  for (let i = 0; i < texts.length; i++) {
    const features: ExtractedFeatures = extractor.extract(texts[i])
    const start = size
    if (size + features.count > capacity) {
      capacity = Math.max(capacity * 2, size + features.count)
      const grownBuckets = new Int32Array(capacity)
      grownBuckets.set(buckets.subarray(0, size))
      const grownCounts = new Float32Array(capacity)
      grownCounts.set(counts.subarray(0, size))
      const grownBlocks = new Uint8Array(capacity)
      grownBlocks.set(blocks.subarray(0, size))
      buckets = grownBuckets
      counts = grownCounts
      blocks = grownBlocks
    }
    for (let f = 0; f < features.count; f++) {
      const bucket = features.hashes[f] >>> shift
      const at = slot[bucket]
      if (at >= start) counts[at]++
      else {
        slot[bucket] = size
        buckets[size] = bucket
        counts[size] = 1
        blocks[size] = features.blocks[f]
        size++
      }
    }
    offsets[i + 1] = size
  }
  return {
    offsets,
    buckets: buckets.slice(0, size),
    counts: counts.slice(0, size),
    blocks: blocks.slice(0, size),
  }
}

/** The bags of the texts at `indices`, in that order. */
export function selectBags(bags: FeatureBags, indices: ArrayLike<number>): FeatureBags {
  let size = 0
  for (let k = 0; k < indices.length; k++) size += bags.offsets[indices[k] + 1] - bags.offsets[indices[k]]
  const offsets = new Int32Array(indices.length + 1)
  const buckets = new Int32Array(size)
  const counts = new Float32Array(size)
  const blocks = new Uint8Array(size)
  let at = 0
  for (let k = 0; k < indices.length; k++) {
    const from = bags.offsets[indices[k]]
    const to = bags.offsets[indices[k] + 1]
    buckets.set(bags.buckets.subarray(from, to), at)
    counts.set(bags.counts.subarray(from, to), at)
    blocks.set(bags.blocks.subarray(from, to), at)
    at += to - from
    offsets[k + 1] = at
  }
  return { offsets, buckets, counts, blocks }
}

export interface VocabularyOptions {
  readonly hashBits: number
  /** Keep buckets seen in at least this many texts (default 1). */
  readonly minDf?: number
  readonly blockWeights?: readonly number[]
  /** Weight rows by inverse document frequency (default true). */
  readonly useIdf?: boolean
}

/** Build the vocabulary (rows, idf) of training bags. */
export function buildVocabulary(bags: FeatureBags, options: VocabularyOptions): Vocabulary {
  const size = 1 << options.hashBits
  const df = new Int32Array(size)
  const firstBlock = new Uint8Array(size)
  for (let e = 0; e < bags.buckets.length; e++) {
    const bucket = bags.buckets[e]
    if (df[bucket] === 0) firstBlock[bucket] = bags.blocks[e]
    df[bucket]++
  }
  const minDf = Math.max(1, options.minDf ?? 1)
  const kept: number[] = []
  for (let b = 0; b < size; b++) if (df[b] >= minDf) kept.push(b)
  // Frequent features first: their weights sit together in memory, which keeps training and prediction
  // cache-friendly. Ties keep bucket order, so the layout is deterministic.
  kept.sort((a, b) => df[b] - df[a] || a - b)
  const rows = kept.length
  const buckets = Int32Array.from(kept)
  const blocks = new Uint8Array(rows)
  const idf = new Float32Array(rows)
  const table = new Int32Array(size).fill(-1)
  const n = bags.offsets.length - 1
  const useIdf = options.useIdf ?? true
  for (let row = 0; row < rows; row++) {
    const b = kept[row]
    blocks[row] = firstBlock[b]
    idf[row] = useIdf ? Math.log((1 + n) / (1 + df[b])) + 1 : 1
    table[b] = row
  }
  const blockWeights = options.blockWeights ?? new Array<number>(BLOCK_COUNT).fill(1)
  return { hashBits: options.hashBits, buckets, blocks, idf, table, blockWeights }
}

/** Rebuild the bucket → row table of a vocabulary restored from its rows. */
export function vocabularyFromRows(
  hashBits: number,
  buckets: Int32Array,
  blocks: Uint8Array,
  idf: Float32Array,
  blockWeights: readonly number[],
): Vocabulary {
  const table = new Int32Array(1 << hashBits).fill(-1)
  for (let row = 0; row < buckets.length; row++) table[buckets[row]] = row
  return { hashBits, buckets, blocks, idf, table, blockWeights }
}

/** TF-IDF vectors of bags over a vocabulary. */
export function vectorize(bags: FeatureBags, vocabulary: Vocabulary): SparseMatrix {
  const n = bags.offsets.length - 1
  const indptr = new Int32Array(n + 1)
  const cols = new Int32Array(bags.buckets.length)
  const values = new Float32Array(bags.buckets.length)
  const norms = new Float64Array(BLOCK_COUNT)
  let at = 0
  for (let i = 0; i < n; i++) {
    const start = at
    norms.fill(0)
    for (let e = bags.offsets[i]; e < bags.offsets[i + 1]; e++) {
      const row = vocabulary.table[bags.buckets[e]]
      if (row < 0) continue
      const value = (1 + Math.log(bags.counts[e])) * vocabulary.idf[row]
      cols[at] = row
      values[at] = value
      norms[vocabulary.blocks[row]] += value * value
      at++
    }
    for (let b = 0; b < BLOCK_COUNT; b++)
      norms[b] = norms[b] > 0 ? (vocabulary.blockWeights[b] ?? 1) / Math.sqrt(norms[b]) : 0
    for (let e = start; e < at; e++) values[e] *= norms[vocabulary.blocks[cols[e]]]
    indptr[i + 1] = at
  }
  return { rows: n, indptr, cols: cols.slice(0, at), values: values.slice(0, at) }
}
