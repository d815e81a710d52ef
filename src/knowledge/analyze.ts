/**
 * The retrieval analyzer: text → the terms BM25 indexes and searches.
 *
 * 1. `normalizeText` from src/nlp: NFKC, Traditional → Simplified, lower case, white space collapsed.
 * 2. Alphabetic words (`tokenizeDetailed`): `’` → `'`, stopwords dropped (`stopwords.ts`), a possessive
 *    `'s` and other apostrophes removed, then the Porter stem (`stem.ts`): `Refunds` → `refund`. Digits are
 *    words too (`13`, `7`); emoji are dropped; words longer than `MAX_TERM_LENGTH` (URLs, hashes) are dropped.
 * 3. Chinese words with jieba. Documents are cut in **search mode** (`售后服务` → `售后`, `服务`, `售后服务`),
 *    so a query word matches inside a compound. A query is cut in the ordinary (coarse) mode — each coarse
 *    word is one query *concept* — and each compound's search-mode sub-words are kept as its `parts`.
 *    Stopwords are whole jieba words (`怎么`, `的`).
 * 4. Chinese character bigrams as a secondary field (terms prefixed with `BIGRAM_PREFIX`): every adjacent
 *    pair of Han characters of a document, and the pairs inside each Chinese query word. They rescue a
 *    query whose segmentation differs from the document's (`退款申请` as one word against `退款 / 申请`).
 *
 * The analyzer is pure apart from the jieba dictionary it loads on first use (~0.3 s).
 *
 * @example
 *   analyzeQuery('How do I get a REFUND?').words.map((word) => word.term) // ['refund']
 *   analyzeDocument('退款申请').terms // ['退款', '申请', 'bi:退款', 'bi:款申', 'bi:申请']
 */
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import { detectLanguage, normalizeText, tokenize, tokenizeDetailed, type Language } from '../nlp/index.js'
import { stem } from './stem.js'
import { CHINESE_STOPWORDS, ENGLISH_STOPWORDS } from './stopwords.js'

/** Bigram terms start with this; no word term can (words never hold a colon). */
export const BIGRAM_PREFIX = 'bi:'

/** A query is analysed from at most this many UTF-16 code units (the rest is ignored, `truncated` is set). */
export const MAX_QUERY_CHARS = 2000

/** Longer alphabetic words are not terms (URLs, tracking numbers, base64). */
export const MAX_TERM_LENGTH = 40

export type WordScript = 'han' | 'alphabetic'

/** One content word of a query: a concept the query asks about. */
export interface AnalyzedWord {
  /** The index term: the Porter stem of an alphabetic word, the jieba word itself for Chinese. */
  readonly term: string
  /** The word as it appears in the normalised text. */
  readonly surface: string
  readonly script: WordScript
  /** UTF-16 offsets into `AnalyzedQuery.normalized`. */
  readonly start: number
  readonly end: number
  /** Chinese compounds: their search-mode sub-words (`售后服务` → `售后`, `服务`); empty otherwise. */
  readonly parts: readonly string[]
  /** Chinese words: their character bigrams as bigram terms; empty otherwise. */
  readonly bigrams: readonly string[]
}

export interface AnalyzedQuery {
  /** The normalised query text (of its first `MAX_QUERY_CHARS` code units). */
  readonly normalized: string
  /** `detectLanguage` of the normalised text. */
  readonly language: Language
  /** True when the query was longer than the analysed part. */
  readonly truncated: boolean
  /** Content words in text order, stopwords removed; a word may repeat. */
  readonly words: readonly AnalyzedWord[]
}

export interface AnalyzedDocument {
  readonly language: Language
  /** Word terms then bigram terms, each repeated as often as it occurs (the order carries no meaning). */
  readonly terms: string[]
}

export interface AnalyzeQueryOptions {
  /** Analyse at most this many UTF-16 code units (default `MAX_QUERY_CHARS`). */
  readonly maxLength?: number
}

let jieba: Jieba | undefined

/**
 * Our own jieba instance: src/nlp keeps its segmenter private and offers only the coarse mode. Same
 * dictionary, so coarse cuts here and there agree.
 */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict)
  return jieba
}

function isHanCodePoint(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3ffff)
  )
}

function hasHan(text: string): boolean {
  for (const char of text) if (isHanCodePoint(char.codePointAt(0) ?? 0)) return true
  return false
}

/** Bigram terms of the adjacent Han characters of `text`, in order, repeats kept. */
export function hanBigrams(text: string): string[] {
  const out: string[] = []
  let previous = ''
  for (const char of text) {
    if (isHanCodePoint(char.codePointAt(0) ?? 0)) {
      if (previous !== '') out.push(BIGRAM_PREFIX + previous + char)
      previous = char
    } else previous = ''
  }
  return out
}

/** The index term of an alphabetic token, or undefined for a stopword or junk. */
export function alphabeticTerm(token: string): string | undefined {
  let word = token.includes('’') ? token.replaceAll('’', "'") : token
  if (ENGLISH_STOPWORDS.has(word)) return undefined
  if (word.includes("'")) {
    if (word.endsWith("'s")) word = word.slice(0, -2)
    word = word.replaceAll("'", '')
    if (word === '' || ENGLISH_STOPWORDS.has(word)) return undefined
  }
  if (word.length > MAX_TERM_LENGTH) return undefined
  return stem(word)
}

/**
 * The index terms of an English phrase (a glossary or dictionary entry): its Porter stems, stopwords
 * removed, as a query holding the phrase would analyse it.
 *
 * @example
 *   englishStems('Cash on Delivery') // ['cash', 'deliveri']
 */
export function englishStems(phrase: string): string[] {
  const stems: string[] = []
  for (const token of tokenize(normalizeText(phrase).normalized)) {
    if (token.kind !== 'word') continue
    const term = alphabeticTerm(token.text)
    if (term !== undefined) stems.push(term)
  }
  return stems
}

function isChineseContentWord(word: string): boolean {
  return hasHan(word) && !CHINESE_STOPWORDS.has(word)
}

/**
 * Analyse a query into its content words (see the module comment). Never throws on a string; an empty or
 * emoji-only query has no words.
 */
export function analyzeQuery(text: string, options: AnalyzeQueryOptions = {}): AnalyzedQuery {
  const { normalized, truncated } = normalizeText(text, { maxLength: options.maxLength ?? MAX_QUERY_CHARS })
  const language = detectLanguage(normalized).language
  const words: AnalyzedWord[] = []
  for (const token of tokenizeDetailed(normalized).tokens) {
    if (token.kind === 'word') {
      const term = alphabeticTerm(token.text)
      if (term === undefined) continue
      words.push({ ...span(token), term, surface: token.text, script: 'alphabetic', parts: [], bigrams: [] })
    } else if (token.kind === 'han' && isChineseContentWord(token.text)) {
      words.push({
        ...span(token),
        term: token.text,
        surface: token.text,
        script: 'han',
        parts: searchParts(token.text),
        bigrams: hanBigrams(token.text),
      })
    }
  }
  return { normalized, language, truncated, words }
}

function span(token: { readonly start: number; readonly end: number }): { start: number; end: number } {
  return { start: token.start, end: token.end }
}

/** The search-mode sub-words of a Chinese word, without the word itself and without stopwords. */
function searchParts(word: string): string[] {
  if (word.length < 3) return []
  const parts = new Set<string>()
  for (const part of segmenter().cutForSearch(word, true)) {
    if (part !== word && isChineseContentWord(part)) parts.add(part)
  }
  return [...parts]
}

/**
 * Analyse a passage for the index: alphabetic terms, search-mode Chinese words and all Han bigrams, each
 * as often as it occurs, plus the passage's language.
 */
export function analyzeDocument(text: string): AnalyzedDocument {
  const { normalized } = normalizeText(text)
  const language = detectLanguage(normalized).language
  const terms: string[] = []
  const { tokens, hanRuns } = tokenizeDetailed(normalized)
  for (const token of tokens) {
    if (token.kind !== 'word') continue
    const term = alphabeticTerm(token.text)
    if (term !== undefined) terms.push(term)
  }
  if (hanRuns.length === 0) return { language, terms }
  for (const word of segmenter().cutForSearch(normalized, true)) {
    if (isChineseContentWord(word)) terms.push(word)
  }
  for (const run of hanRuns) terms.push(...hanBigrams(normalized.slice(run.start, run.end)))
  return { language, terms }
}

/** Is `term` a bigram term (secondary field)? */
export function isBigramTerm(term: string): boolean {
  return term.startsWith(BIGRAM_PREFIX)
}
