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
 *    when the text holds a Han character;
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

function traditionalToSimplified(text: string): string {
  const convert = (toSimplified ??= OpenCC.Converter({ from: 'hk', to: 'cn' }))
  return convert(text)
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
  if (HAN.test(value)) value = traditionalToSimplified(value)
  value = value.toLowerCase().replace(WHITE_SPACE, ' ').trim()
  return { original, normalized: value, truncated: cut.length < original.length }
}
