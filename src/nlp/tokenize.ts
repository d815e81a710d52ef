/**
 * Tokenisation of normalised text (see `normalize.ts`) for the features and for explanations.
 *
 * - Alphabetic words: runs of letters and digits (any script but Han), with an apostrophe inside a word kept
 *   (`don't`); marks stay with their letter.
 * - Chinese: the text is segmented with jieba (`@node-rs/jieba`, default dictionary, HMM on for unknown
 *   words); every jieba word holding a Han character is a `han` token. The runs of Han characters are also
 *   returned, for character n-grams.
 * - Emoji: one token per emoji sequence (modifiers, variation selectors and ZWJ sequences included).
 * Punctuation and white space separate tokens and are dropped. Offsets are UTF-16 code units into the text
 * given, with `text.slice(start, end) === token.text`.
 */
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'

export type TokenKind = 'word' | 'han' | 'emoji'

export interface Token {
  readonly text: string
  readonly kind: TokenKind
  readonly start: number
  readonly end: number
}

export interface Span {
  readonly start: number
  readonly end: number
}

export interface Tokenized {
  /** Tokens in text order. */
  readonly tokens: Token[]
  /** Maximal runs of Han characters, in text order. */
  readonly hanRuns: Span[]
}

let jieba: Jieba | undefined

/** The shared jieba segmenter, created on first use (loading the dictionary takes ~0.3 s). */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict)
  return jieba
}

/** Segment Chinese text into words with jieba (every character of the input is in exactly one word). */
export function segmentChinese(text: string): string[] {
  if (text === '') return []
  return segmenter().cut(text, true)
}

// Character classes of UTF-16 code units, computed once for the whole BMP.
const OTHER = 0
const WORD = 1
const HAN = 2
const EMOJI = 3
const HIGH_SURROGATE = 4
const JOINER = 5

let classes: Uint8Array | undefined

function isHanCodePoint(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3ffff)
  )
}

function characterClasses(): Uint8Array {
  if (classes) return classes
  const table = new Uint8Array(0x10000)
  const pictographic = /\p{Extended_Pictographic}/u
  const letterOrDigit = /[\p{L}\p{N}]/u
  const mark = /\p{M}/u
  for (let code = 0; code < 0x10000; code++) {
    if (code < 0x80) {
      const isAlnum =
        (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)
      table[code] = isAlnum ? WORD : OTHER
      continue
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      table[code] = HIGH_SURROGATE
      continue
    }
    if (code >= 0xdc00 && code <= 0xdfff) continue
    if (isHanCodePoint(code)) table[code] = HAN
    else {
      const char = String.fromCharCode(code)
      if (code === 0x200d || code === 0xfe0e || code === 0xfe0f || code === 0x20e3 || mark.test(char))
        table[code] = JOINER
      else if (pictographic.test(char)) table[code] = EMOJI
      else if (letterOrDigit.test(char)) table[code] = WORD
    }
  }
  classes = table
  return table
}

const astralPictographic = /\p{Extended_Pictographic}/u
const astralLetter = /[\p{L}\p{N}]/u

/** Class of the character starting at `i` (and its length in code units). */
function classAt(text: string, i: number, table: Uint8Array): number {
  const cls = table[text.charCodeAt(i)]
  if (cls !== HIGH_SURROGATE) return cls
  const code = text.codePointAt(i) ?? 0
  if (code === (text.charCodeAt(i) | 0)) return OTHER // lone surrogate
  if (isHanCodePoint(code)) return HAN
  if ((code >= 0x1f3fb && code <= 0x1f3ff) || (code >= 0xe0020 && code <= 0xe007f)) return JOINER
  const char = String.fromCodePoint(code)
  if (astralPictographic.test(char)) return EMOJI
  if (astralLetter.test(char)) return WORD
  return OTHER
}

function charLength(text: string, i: number): number {
  const unit = text.charCodeAt(i)
  return unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length ? 2 : 1
}

function isApostrophe(unit: number): boolean {
  return unit === 0x27 || unit === 0x2019
}

/** Tokenise normalised text; see the module comment. */
export function tokenizeDetailed(text: string): Tokenized {
  const table = characterClasses()
  const own: Token[] = []
  const hanRuns: Span[] = []
  const length = text.length
  let i = 0
  while (i < length) {
    const cls = classAt(text, i, table)
    if (cls === WORD) {
      const start = i
      i += charLength(text, i)
      while (i < length) {
        const next = classAt(text, i, table)
        if (next === WORD || next === JOINER) i += charLength(text, i)
        else if (isApostrophe(text.charCodeAt(i)) && i + 1 < length && classAt(text, i + 1, table) === WORD)
          i++
        else break
      }
      own.push({ text: text.slice(start, i), kind: 'word', start, end: i })
    } else if (cls === HAN) {
      const start = i
      i += charLength(text, i)
      while (i < length && classAt(text, i, table) === HAN) i += charLength(text, i)
      hanRuns.push({ start, end: i })
    } else if (cls === EMOJI) {
      const start = i
      i += charLength(text, i)
      while (i < length) {
        const next = classAt(text, i, table)
        if (next === JOINER) {
          const joiner = text.charCodeAt(i)
          i += charLength(text, i)
          if (joiner === 0x200d && i < length && classAt(text, i, table) === EMOJI) i += charLength(text, i)
        } else break
      }
      own.push({ text: text.slice(start, i), kind: 'emoji', start, end: i })
    } else {
      i += charLength(text, i)
    }
  }
  if (hanRuns.length === 0) return { tokens: own, hanRuns }
  return { tokens: mergeByStart(own, hanTokens(text)), hanRuns }
}

/** The jieba words of `text` that hold a Han character, with their offsets. */
function hanTokens(text: string): Token[] {
  const table = characterClasses()
  const words = segmentChinese(text)
  const out: Token[] = []
  let position = 0
  for (const word of words) {
    let start = position
    if (!text.startsWith(word, position)) {
      start = text.indexOf(word, position)
      if (start < 0) continue
    }
    const end = start + word.length
    position = end
    for (let j = start; j < end; j++) {
      if (table[text.charCodeAt(j)] === HAN || classAt(text, j, table) === HAN) {
        out.push({ text: word, kind: 'han', start, end })
        break
      }
    }
  }
  return out
}

function mergeByStart(a: Token[], b: Token[]): Token[] {
  if (a.length === 0) return b
  const out: Token[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].start <= b[j].start)) out.push(a[i++])
    else out.push(b[j++])
  }
  return out
}

/** The tokens of normalised text (words, jieba words, emoji) in text order. */
export function tokenize(text: string): Token[] {
  return tokenizeDetailed(text).tokens
}
