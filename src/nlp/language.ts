/**
 * Language detection from script ratios (issue 3, item 1).
 *
 * The rule: count the letters of the text by script and ignore everything else (digits, punctuation,
 * symbols, emoji, white space). A Han, Kana or Hangul character weighs 4 (one such character carries about
 * as much as a short English word), a letter of an alphabet weighs 1. Of the total weight T:
 * - no letters at all (empty, digits, emoji only) → `other` with confidence 0;
 * - Kana, Hangul and non-Latin alphabets (Cyrillic, Arabic, …) together ≥ 50% → `other`;
 * - Han ≥ 70% → `zh`; Latin ≥ 70% → `en` (any Latin-script language counts as `en`: the models only know
 *   Chinese and English, and a Latin-script text is best served by the English side);
 * - otherwise → `mixed` (Chinese and English code-switching, e.g. `Please help 我要退款`).
 * The confidence is the share of the winning group (for `mixed`, Han + Latin) times T / (T + 2), so that a
 * very short text (`ok`, `好`) is less certain than a sentence.
 */

export type Language = 'zh' | 'en' | 'mixed' | 'other'

export interface LanguageGuess {
  readonly language: Language
  /** In [0, 1]. */
  readonly confidence: number
  /** Weighted shares of the scripts, each in [0, 1] (extra, for explanations). */
  readonly shares: { readonly han: number; readonly latin: number; readonly other: number }
}

const CJK_WEIGHT = 4
const DOMINANT = 0.7

const LETTER = /\p{L}/u
const HAN = /\p{Script=Han}/u
const LATIN = /\p{Script=Latin}/u
const KANA_HANGUL = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4
}

/** Guess whether `text` is Chinese, English, a mix of both, or something else; see the module comment. */
export function detectLanguage(text: string): LanguageGuess {
  let han = 0
  let latin = 0
  let other = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x80) {
      if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++
      continue
    }
    if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) {
      han += CJK_WEIGHT
      continue
    }
    if (!LETTER.test(char)) continue
    if (HAN.test(char)) han += CJK_WEIGHT
    else if (LATIN.test(char)) latin++
    else if (KANA_HANGUL.test(char)) other += CJK_WEIGHT
    else other++
  }
  const total = han + latin + other
  if (total === 0) return { language: 'other', confidence: 0, shares: { han: 0, latin: 0, other: 0 } }
  const shares = { han: round(han / total), latin: round(latin / total), other: round(other / total) }
  const certainty = total / (total + 2)
  const guess = (language: Language, share: number): LanguageGuess => ({
    language,
    confidence: round(share * certainty),
    shares,
  })
  if (other / total >= 0.5) return guess('other', other / total)
  if (han / total >= DOMINANT) return guess('zh', han / total)
  if (latin / total >= DOMINANT) return guess('en', latin / total)
  return guess('mixed', (han + latin) / total)
}
