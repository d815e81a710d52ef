/**
 * Text normalisation for the models (issue 3, item 1). The original text is always kept next to the
 * normalised one; only the models and the features see the normalised form.
 *
 * Steps, in order:
 * 1. lone UTF-16 surrogates become U+FFFD (so nothing downstream sees half a character);
 * 2. zero-width spaces and byte-order marks are removed (U+200B, U+2060, U+FEFF; U+200D is kept because it
 *    joins emoji sequences);
 * 3. Unicode NFKC: full-width ASCII → half-width (`ＡＢＣ１２３` → `ABC123`, `，！？` → `,!?`), the ideographic
 *    space → a space, compatibility forms folded (`①` → `1`, `ﬁ` → `fi`);
 * 4. Traditional → Simplified Chinese with OpenCC (`hk` → `cn`, which also folds Hong Kong variants), only
 *    when OpenCC would change something: a precomputed index of the characters and phrases its
 *    dictionaries rewrite answers that in one pass, so Simplified text (most of it) skips the converter;
 * 5. lower-casing (Latin, Greek, Cyrillic, …; Chinese is unaffected);
 * 6. runs of white space collapsed to one space, leading and trailing space removed.
 * Emoji are kept: they carry sentiment (`😡`, `👍`).
 *
 * `maxLength` caps the work on huge inputs: the text is cut to that many UTF-16 code units (never inside a
 * surrogate pair) before normalising. Features use `MAX_FEATURE_CHARS` (4,000), so a 64k-character message
 * costs no more than a long email.
 */
import * as OpenCC from 'opencc-js'

/** Features are computed from at most this many UTF-16 code units of a text (the rest is ignored). */
export const MAX_FEATURE_CHARS = 4000

export interface NormalizedText {
  /** The input, unchanged. */
  readonly original: string
  /** What the models see. */
  readonly normalized: string
  /** True when `maxLength` cut the input before normalising. */
  readonly truncated: boolean
}

export interface NormalizeOptions {
  /** Normalise at most this many UTF-16 code units of the input (default: all of it). */
  readonly maxLength?: number
}

let toSimplified: ((text: string) => string) | undefined
let toHongKongStandard: ((text: string) => string) | undefined

function traditionalToSimplified(text: string): string {
  const convert = (toSimplified ??= OpenCC.Converter({ from: 'hk', to: 'cn' }))
  return convert(text)
}

/**
 * What OpenCC's `hk` → `cn` conversion rewrites: the characters that it, or its first stage (Hong Kong
 * variants → OpenCC Traditional), changes on their own (`個` → `个`; `户` → `戶`, which a second-stage
 * phrase may then rewrite: `坏户` → `坯户`), and the dictionary phrases it changes that hold none of those
 * characters (`反覆` → `反复`), keyed by their first character. A text holding none of them comes out of the converter unchanged, so Simplified text (most of
 * it) skips the converter. `normalize.test.ts` checks the index against the converter on every dictionary
 * key and on random mixes.
 */
interface ConversionIndex {
  readonly bmp: Uint8Array
  readonly astral: ReadonlySet<number>
  readonly phrases: ReadonlyMap<number, readonly string[]>
}

const CHANGES = 1
const PHRASE_ANCHOR = 2
let conversionIndex: ConversionIndex | undefined

function dictionaryKeys(): string[] {
  const flatten = (value: unknown): string[] =>
    Array.isArray(value) ? value.flatMap(flatten) : typeof value === 'string' ? [value] : []
  const keys = new Set<string>()
  for (const dictionary of [...flatten(OpenCC.Locale.from.hk), ...flatten(OpenCC.Locale.to.cn)])
    for (const entry of dictionary.split('|')) {
      const key = entry.split(' ')[0]
      if (key) keys.add(key)
    }
  return [...keys]
}

function buildConversionIndex(): ConversionIndex {
  const bmp = new Uint8Array(0x10000)
  const astral = new Set<number>()
  const phrases = new Map<number, string[]>()
  const keys = dictionaryKeys()
  const characters = new Set(keys.flatMap((key) => Array.from(key)))
  const firstStage = (toHongKongStandard ??= OpenCC.Converter({ from: 'hk', to: 't' }))
  for (const char of characters) {
    if (traditionalToSimplified(char) === char && firstStage(char) === char) continue
    const code = char.codePointAt(0) ?? 0
    if (code > 0xffff) astral.add(code)
    else bmp[code] |= CHANGES
  }
  const changes = (char: string) => {
    const code = char.codePointAt(0) ?? 0
    return code > 0xffff ? astral.has(code) : (bmp[code] & CHANGES) !== 0
  }
  for (const key of keys) {
    const chars = Array.from(key)
    if (chars.length === 1 || chars.some(changes) || traditionalToSimplified(key) === key) continue
    const code = key.codePointAt(0) ?? 0
    if (code > 0xffff) astral.add(code)
    else bmp[code] |= PHRASE_ANCHOR
    const list = phrases.get(code) ?? []
    list.push(key)
    phrases.set(code, list)
  }
  return { bmp, astral, phrases }
}

/** True when OpenCC `hk` → `cn` would change `text` (exact; see `ConversionIndex`). */
export function needsSimplification(text: string): boolean {
  const index = (conversionIndex ??= buildConversionIndex())
  const { bmp, astral, phrases } = index
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x3400) continue
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const code = text.codePointAt(i) ?? unit
      if (astral.has(code)) return true
      i++
      continue
    }
    const flags = bmp[unit]
    if (flags === 0) continue
    if (flags & CHANGES) return true
    for (const phrase of phrases.get(unit) ?? []) if (text.includes(phrase)) return true
  }
  return false
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const ZERO_WIDTH = /[\u200B\u2060\uFEFF]/g
const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]|[\uD840-\uD87F][\uDC00-\uDFFF]/
const WHITE_SPACE = /\s+/g
const HAS_SURROGATE = /[\uD800-\uDFFF]/

/** Cut `text` to at most `maxLength` code units without splitting a surrogate pair. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  let end = Math.max(0, Math.floor(maxLength))
  const last = text.charCodeAt(end - 1)
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--
  return text.slice(0, end)
}

/** Normalise `text` for the models; see the module comment for the steps. Never throws on a string. */
export function normalizeText(text: string, options: NormalizeOptions = {}): NormalizedText {
  const original = typeof text === 'string' ? text : String(text ?? '')
  const maxLength = options.maxLength ?? Infinity
  const cut = original.length > maxLength ? truncateText(original, maxLength) : original
  let value = cut
  if (HAS_SURROGATE.test(value)) value = value.replace(LONE_SURROGATE, '\uFFFD')
  value = value.replace(ZERO_WIDTH, '').normalize('NFKC')
  if (HAN.test(value) && needsSimplification(value)) value = traditionalToSimplified(value)
  value = value.toLowerCase().replace(WHITE_SPACE, ' ').trim()
  return { original, normalized: value, truncated: cut.length < original.length }
}
