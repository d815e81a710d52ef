/**
 * Hashed n-gram features (issue 3, item 1): what a text classifier sees of a text.
 *
 * From the normalised text (`normalize.ts`, first `maxChars` code units) and its tokens (`tokenize.ts`):
 * - block `word`: every token (alphabetic word, jieba word, emoji) and every pair of consecutive tokens
 *   (word bigrams, `wordNgrams: 2`); digits hash as `0`, so `2 weeks` and `3 weeks` share a feature;
 * - block `char`: character n-grams of each alphabetic word padded with a space on each side
 *   (`charNgrams: [3, 5]` of ` refund `), and character n-grams inside runs of Han characters
 *   (`hanCharNgrams: [1, 2]`: `退`, `款`, `退款`).
 * Each n-gram is hashed (FNV-1a over UTF-16 code units, MurmurHash3 finaliser, a different seed per kind of
 * n-gram) into a space of 2^hashBits buckets. The strings are not kept in any model: each feature records
 * the token (`unit`) that produced it, so an explanation recomputes the n-grams from the text it explains.
 */
import { FNV_OFFSET, fmix32, fnvStep } from './hash.js'
import { MAX_FEATURE_CHARS, normalizeText } from './normalize.js'
import { tokenizeDetailed, type Token } from './tokenize.js'

export interface FeatureConfig {
  /** log2 of the number of hash buckets (10–24). */
  readonly hashBits: number
  /** 1: token unigrams; 2: unigrams and bigrams. */
  readonly wordNgrams: 1 | 2
  /** Character n-gram lengths of alphabetic words (inclusive), or null for none. */
  readonly charNgrams: readonly [number, number] | null
  /** Character n-gram lengths inside Han runs (inclusive), or null for none. */
  readonly hanCharNgrams: readonly [number, number] | null
  /** Only the first `maxChars` UTF-16 code units of a text are featurised. */
  readonly maxChars: number
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = Object.freeze({
  hashBits: 20,
  wordNgrams: 2,
  charNgrams: Object.freeze([3, 5]) as readonly [number, number],
  hanCharNgrams: Object.freeze([1, 2]) as readonly [number, number],
  maxChars: MAX_FEATURE_CHARS,
})

/** Feature blocks; each block is L2-normalised on its own (like two TF-IDF vectorisers side by side). */
export const WORD_BLOCK = 0
export const CHAR_BLOCK = 1
export const BLOCK_COUNT = 2

export type FeatureKind = 'word' | 'bigram' | 'char' | 'han_char'

const SEEDS: Record<FeatureKind, number> = {
  word: FNV_OFFSET,
  bigram: fmix32(0x62696772),
  char: fmix32(0x63686172),
  han_char: fmix32(0x68616e63),
}

/**
 * The features of one text. Arrays are owned by the extractor and overwritten by its next call: copy what
 * you keep. Feature `i` has hash `hashes[i]` (unsigned 32-bit; its bucket is the top `hashBits` bits),
 * block `blocks[i]` and was produced by unit `units[i]` (a token index, or `tokens.length + j` for the
 * bigram of tokens j and j + 1; −1 when no token covers it).
 */
export interface ExtractedFeatures {
  readonly normalized: string
  readonly tokens: readonly Token[]
  readonly count: number
  readonly hashes: Uint32Array
  readonly blocks: Uint8Array
  readonly units: Int32Array
}

function validateConfig(config: FeatureConfig): void {
  const bits = config.hashBits
  if (!Number.isInteger(bits) || bits < 10 || bits > 24)
    throw new RangeError(`hashBits must be an integer in 10..24, got ${bits}`)
  for (const [name, range] of [
    ['charNgrams', config.charNgrams],
    ['hanCharNgrams', config.hanCharNgrams],
  ] as const) {
    if (range === null) continue
    const [min, max] = range
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > 8)
      throw new RangeError(`${name} must be [min, max] with 1 ≤ min ≤ max ≤ 8, got [${range.join(', ')}]`)
  }
  if (config.wordNgrams !== 1 && config.wordNgrams !== 2)
    throw new RangeError(`wordNgrams must be 1 or 2, got ${String(config.wordNgrams)}`)
}

/** Computes the hashed features of texts with reusable buffers. Not re-entrant; cheap to create. */
export class FeatureExtractor {
  readonly config: FeatureConfig
  private hashes = new Uint32Array(1024)
  private blocks = new Uint8Array(1024)
  private units = new Int32Array(1024)
  private count = 0
  private tokenHashes = new Int32Array(64)
  private owners = new Int32Array(256)

  constructor(config: Partial<FeatureConfig> = {}) {
    const merged = { ...DEFAULT_FEATURE_CONFIG, ...config }
    validateConfig(merged)
    this.config = Object.freeze(merged)
  }

  private push(hash: number, block: number, unit: number): void {
    if (this.count === this.hashes.length) {
      const size = this.hashes.length * 2
      const hashes = new Uint32Array(size)
      hashes.set(this.hashes)
      const blocks = new Uint8Array(size)
      blocks.set(this.blocks)
      const units = new Int32Array(size)
      units.set(this.units)
      this.hashes = hashes
      this.blocks = blocks
      this.units = units
    }
    this.hashes[this.count] = hash
    this.blocks[this.count] = block
    this.units[this.count] = unit
    this.count++
  }

  /** Normalise `text` (first `maxChars` code units) and compute its features. */
  extract(text: string): ExtractedFeatures {
    const { normalized } = normalizeText(text, { maxLength: this.config.maxChars })
    return this.extractNormalized(normalized)
  }

  /** Features of text that is already normalised. */
  extractNormalized(normalized: string): ExtractedFeatures {
    const { tokens, hanRuns } = tokenizeDetailed(normalized)
    const { wordNgrams, charNgrams, hanCharNgrams } = this.config
    this.count = 0
    if (this.tokenHashes.length < tokens.length) this.tokenHashes = new Int32Array(tokens.length * 2)
    const tokenHashes = this.tokenHashes

    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]
      let state = SEEDS.word
      for (let i = token.start; i < token.end; i++) {
        const unit = normalized.charCodeAt(i)
        if (unit === 0xfe0f || unit === 0xfe0e) continue
        state = fnvStep(state, unit >= 0x30 && unit <= 0x39 ? 0x30 : unit)
      }
      tokenHashes[t] = state
      this.push(fmix32(state), WORD_BLOCK, t)
      if (charNgrams !== null && token.kind === 'word') this.pushCharNgrams(normalized, token, t, charNgrams)
    }
    if (wordNgrams === 2) {
      for (let t = 0; t + 1 < tokens.length; t++) {
        const state = fnvStep(fnvStep(SEEDS.bigram, tokenHashes[t]), tokenHashes[t + 1])
        this.push(fmix32(state), WORD_BLOCK, tokens.length + t)
      }
    }
    if (hanCharNgrams !== null && hanRuns.length > 0)
      this.pushHanNgrams(normalized, tokens, hanRuns, hanCharNgrams)
    return {
      normalized,
      tokens,
      count: this.count,
      hashes: this.hashes,
      blocks: this.blocks,
      units: this.units,
    }
  }

  /** n-grams of ` word ` (boundary spaces), over code units; digits as `0`. */
  private pushCharNgrams(
    text: string,
    token: Token,
    unit: number,
    [min, max]: readonly [number, number],
  ): void {
    const padded = token.end - token.start + 2
    for (let s = 0; s < padded; s++) {
      let state = SEEDS.char
      for (let n = 1; n <= max && s + n <= padded; n++) {
        const position = token.start - 1 + s + n - 1
        let code = position < token.start || position >= token.end ? 0x20 : text.charCodeAt(position)
        if (code >= 0x30 && code <= 0x39) code = 0x30
        state = fnvStep(state, code)
        if (n >= min) this.push(fmix32(state), CHAR_BLOCK, unit)
      }
    }
  }

  /** n-grams inside each Han run; each is credited to the jieba word covering its first character. */
  private pushHanNgrams(
    text: string,
    tokens: readonly Token[],
    runs: readonly { start: number; end: number }[],
    [min, max]: readonly [number, number],
  ): void {
    if (this.owners.length < text.length) this.owners = new Int32Array(text.length * 2)
    const owners = this.owners
    owners.fill(-1, 0, text.length)
    for (let t = 0; t < tokens.length; t++)
      if (tokens[t].kind === 'han') owners.fill(t, tokens[t].start, tokens[t].end)
    for (const run of runs) {
      for (let s = run.start; s < run.end; s++) {
        const low = text.charCodeAt(s)
        if (low >= 0xdc00 && low <= 0xdfff) continue // second half of a surrogate pair
        const unit = owners[s]
        let state = SEEDS.han_char
        let end = s
        for (let n = 1; n <= max && end < run.end; n++) {
          const first = text.charCodeAt(end)
          state = fnvStep(state, first)
          end++
          if (first >= 0xd800 && first <= 0xdbff && end < run.end)
            state = fnvStep(state, text.charCodeAt(end++))
          if (n >= min) this.push(fmix32(state), CHAR_BLOCK, unit)
        }
      }
    }
  }
}

/** The display string of a unit (see `ExtractedFeatures.units`). */
export function unitText(tokens: readonly Token[], unit: number): string {
  if (unit < 0) return ''
  if (unit < tokens.length) return tokens[unit].text
  const first = tokens[unit - tokens.length]
  const second = tokens[unit - tokens.length + 1]
  return first && second ? `${first.text} ${second.text}` : ''
}

/**
 * Every feature of `text` with the n-gram that produced it — for debugging and tests. Slow (strings are
 * built); the classifiers never call it.
 */
export function describeFeatures(
  text: string,
  config: Partial<FeatureConfig> = {},
): { ngram: string; kind: FeatureKind; hash: number; bucket: number }[] {
  const extractor = new FeatureExtractor(config)
  const features = extractor.extract(text)
  const shift = 32 - extractor.config.hashBits
  const out: { ngram: string; kind: FeatureKind; hash: number; bucket: number }[] = []
  const { tokens, normalized } = features
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]
    const hash = features.hashes[out.length]
    out.push({ ngram: token.text, kind: 'word', hash, bucket: hash >>> shift })
    const { charNgrams } = extractor.config
    if (charNgrams !== null && token.kind === 'word') {
      const padded = ` ${token.text} `
      for (let s = 0; s < padded.length; s++)
        for (let n = 1; n <= charNgrams[1] && s + n <= padded.length; n++)
          if (n >= charNgrams[0]) {
            const hash = features.hashes[out.length]
            out.push({ ngram: padded.slice(s, s + n), kind: 'char', hash, bucket: hash >>> shift })
          }
    }
  }
  if (extractor.config.wordNgrams === 2)
    for (let t = 0; t + 1 < tokens.length; t++) {
      const hash = features.hashes[out.length]
      out.push({
        ngram: `${tokens[t].text} ${tokens[t + 1].text}`,
        kind: 'bigram',
        hash,
        bucket: hash >>> shift,
      })
    }
  const { hanCharNgrams } = extractor.config
  if (hanCharNgrams !== null) {
    for (const run of tokenizeDetailed(normalized).hanRuns) {
      const chars = Array.from(normalized.slice(run.start, run.end))
      for (let s = 0; s < chars.length; s++)
        for (let n = hanCharNgrams[0]; n <= hanCharNgrams[1] && s + n <= chars.length; n++) {
          const hash = features.hashes[out.length]
          out.push({ ngram: chars.slice(s, s + n).join(''), kind: 'han_char', hash, bucket: hash >>> shift })
        }
    }
  }
  return out
}
