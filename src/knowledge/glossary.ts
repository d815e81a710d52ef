/**
 * The Chinese–English glossary that lets a query in one language find passages written in the other.
 *
 * The built-in glossary (`data/glossary/ecommerce-zh-en.tsv`, written by hand for AgentCRM, MIT) is read
 * when this module loads, from the project's data folder found relative to this file. Its rows are
 * `zh<TAB>en<TAB>category`; a term may have several rows (many-to-many); `#` starts a comment line.
 *
 * Matching (`translateQuery`):
 * - Chinese → English: each jieba word of the query that is a glossary entry, and, at every Han character
 *   of the normalised query, the longest glossary entry (two characters or more) starting there — so an
 *   entry spanning two jieba words (`七天无理由`) or hiding inside one (`退款单` holds `退款`) is found.
 * - English → Chinese: at every query word, the longest glossary phrase starting there, compared as Porter
 *   stems with stopwords removed (`cash on delivery` = `cash delivery` = `Cash-on-Delivery`).
 * Matches may overlap (`how long does delivery take` gives both the phrase `多久到` and `delivery` → `配送`):
 *   a phrase entry adds to its words' own translations instead of hiding them.
 * Each match becomes query terms in the other language — the target's words, and for a Chinese target also
 *   its character bigrams — attached to the query words (concepts) the match covers, with a weight below
 *   the query's own words (0.6 by default), so both languages are scored on one BM25 scale.
 * Words no glossary match covers fall back to a general dictionary when one is given (`dictionary`; the
 *   retriever passes CC-CEDICT, `dictionary.ts`): its senses come at a lower weight (0.4), and a word the
 *   glossary has is never looked up there, so the curated rows always win.
 * Each translation is one *alternative* of its concepts (`QueryTerm.alternative`): BM25 counts a concept's
 *   best translation in full and its other senses at 0.3 (`bm25.ts`).
 *
 * @example
 *   translateQuery(analyzeQuery('怎么申请退款'), 'zh').translations.map((t) => t.target)
 *   // ['apply', 'request', 'refund', 'money back', 'reimbursement']
 */
import { readFileSync } from 'node:fs'
import { AppError } from '../core/index.js'
import { normalizeText, type Language } from '../nlp/index.js'
import { analyzeQuery, englishStems, type AnalyzedQuery, type AnalyzedWord } from './analyze.js'
import type { QueryTerm } from './query-terms.js'
import { dictionaryTranslations } from './dictionary-translate.js'
import type { Translation } from './translation.js'
import type { TranslationDictionary } from './dictionary.js'

export interface GlossaryEntry {
  /** Simplified Chinese, normalised (NFKC, lower case). */
  readonly zh: string
  /** English, normalised. */
  readonly en: string
  readonly category: string
}

export interface Glossary {
  readonly entries: readonly GlossaryEntry[]
  /** Entries whose Chinese side is exactly `zh` (normalised). */
  chinese(zh: string): readonly GlossaryEntry[]
  /** Entries whose English side analyses to exactly these stems. */
  english(stems: readonly string[]): readonly GlossaryEntry[]
  /** Longest Chinese entry, in UTF-16 code units. */
  readonly longestChinese: number
  /** Longest English entry, in stems. */
  readonly longestEnglish: number
}

export type { Translation } from './translation.js'

export interface TranslatedQuery {
  readonly translations: readonly Translation[]
  /** Weighted query terms for BM25, one variant per translation and concept. */
  readonly terms: readonly QueryTerm[]
}

export interface TranslateOptions {
  /** Weight of a translated term against the query's own words (default 0.6). */
  readonly weight?: number
  /** Weight of a Chinese target's bigrams, multiplied by `weight` (default 0.3). */
  readonly bigramWeight?: number
  /** The glossary (default: the built-in one). */
  readonly glossary?: Glossary
  /**
   * A general dictionary for the query words that no glossary entry covers (default none; the retriever
   * passes CC-CEDICT). A function is called only when such a word exists, so a dictionary can load lazily.
   */
  readonly dictionary?: TranslationDictionary | (() => TranslationDictionary) | null
  /** Weight of a dictionary translation (default 0.4, below the glossary's). */
  readonly dictionaryWeight?: number
  /**
   * Whether the searched collection holds a term; when given, dictionary senses that could match nothing
   * are left out (the retriever passes its index's `has`: an English question against an English-only
   * knowledge base then carries no Chinese senses).
   */
  readonly known?: (term: string) => boolean
}

export const DEFAULT_TRANSLATION_WEIGHT = 0.6
export const DEFAULT_TRANSLATION_BIGRAM_WEIGHT = 0.3
export const DEFAULT_DICTIONARY_WEIGHT = 0.4

const HAN = /\p{Script=Han}/u
const MAX_REPORTED_ERRORS = 20

/**
 * Parse glossary TSV (`zh<TAB>en<TAB>category`; an optional `zh en category` header; `#` comments and blank
 * lines skipped). Repeated rows are kept once. Throws `KB_INVALID_GLOSSARY` listing the bad lines.
 *
 * @example
 *   parseGlossary('退款\trefund\trefund\n')
 */
export function parseGlossary(text: string, source = 'glossary'): GlossaryEntry[] {
  const entries: GlossaryEntry[] = []
  const seen = new Set<string>()
  const errors: { line: number; message: string }[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  let first = true
  lines.forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return
    const fields = raw.split('\t').map((field) => field.trim())
    const isHeader = first && fields.join(' ') === 'zh en category'
    first = false
    if (isHeader) return
    if (fields.length !== 3) {
      errors.push({
        line,
        message: `expected 3 tab-separated fields (zh, en, category), found ${fields.length}`,
      })
      return
    }
    const zh = normalizeText(fields[0]).normalized
    const en = normalizeText(fields[1]).normalized
    const category = fields[2]
    if (!HAN.test(zh)) errors.push({ line, message: `zh "${fields[0]}" holds no Chinese character` })
    else if (en === '' || HAN.test(en)) errors.push({ line, message: `en "${fields[1]}" must be English` })
    else if (category === '') errors.push({ line, message: 'category is empty' })
    else {
      const key = `${zh}\t${en}`
      if (seen.has(key)) return
      seen.add(key)
      entries.push({ zh, en, category })
    }
  })
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_REPORTED_ERRORS)
    throw new AppError(
      'KB_INVALID_GLOSSARY',
      `${source}: ${errors.length} bad line(s); first: line ${shown[0].line}: ${shown[0].message}`,
      { details: { errors: shown } },
    )
  }
  return entries
}

/**
 * A glossary over entries (see `parseGlossary`).
 *
 * @example
 *   const glossary = createGlossary([{ zh: '退款', en: 'refund', category: 'refund' }])
 */
export function createGlossary(entries: readonly GlossaryEntry[]): Glossary {
  const byChinese = new Map<string, GlossaryEntry[]>()
  const byEnglish = new Map<string, GlossaryEntry[]>()
  let longestChinese = 0
  let longestEnglish = 0
  const frozen = entries.map((entry) => Object.freeze({ ...entry }))
  for (const entry of frozen) {
    const zh = entry.zh.replace(/\s+/g, '')
    push(byChinese, zh, entry)
    longestChinese = Math.max(longestChinese, zh.length)
    const stems = englishStems(entry.en)
    if (stems.length === 0) continue
    push(byEnglish, stems.join(' '), entry)
    longestEnglish = Math.max(longestEnglish, stems.length)
  }
  return Object.freeze({
    entries: Object.freeze(frozen),
    chinese: (zh: string) => byChinese.get(zh) ?? [],
    english: (stems: readonly string[]) => byEnglish.get(stems.join(' ')) ?? [],
    longestChinese,
    longestEnglish,
  })
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Where the built-in glossary lives: `<project>/data/glossary/ecommerce-zh-en.tsv`. */
export const BUILT_IN_GLOSSARY_URL = new URL('../../data/glossary/ecommerce-zh-en.tsv', import.meta.url)

/** The built-in glossary, read when this module loads. */
export const BUILT_IN_GLOSSARY: Glossary = createGlossary(
  parseGlossary(readFileSync(BUILT_IN_GLOSSARY_URL, 'utf8'), 'data/glossary/ecommerce-zh-en.tsv'),
)

interface Match {
  readonly entries: readonly GlossaryEntry[]
  readonly from: 'zh' | 'en'
  readonly concepts: Set<string>
}

/** Chinese entries of the query: whole jieba words, and the longest entry starting at each Han character. */
function chineseMatches(query: AnalyzedQuery, glossary: Glossary, matches: Map<string, Match>): void {
  const words = query.words.filter((word) => word.script === 'han')
  const add = (key: string, entries: readonly GlossaryEntry[], concepts: readonly string[]): void => {
    if (entries.length === 0 || concepts.length === 0) return
    const match = matches.get(`zh:${key}`) ?? { entries, from: 'zh' as const, concepts: new Set<string>() }
    for (const concept of concepts) match.concepts.add(concept)
    matches.set(`zh:${key}`, match)
  }
  for (const word of words) add(word.term, glossary.chinese(word.term), [word.term])

  const text = query.normalized
  const longest = glossary.longestChinese
  let i = 0
  while (i < text.length) {
    if (!HAN.test(text[i])) {
      i++
      continue
    }
    let found = 0
    for (let length = Math.min(longest, text.length - i); length >= 2; length--) {
      if (glossary.chinese(text.slice(i, i + length)).length > 0) {
        found = length
        break
      }
    }
    if (found > 0) {
      const key = text.slice(i, i + found)
      add(key, glossary.chinese(key), overlapping(words, i, i + found))
    }
    i++
  }
}

function overlapping(words: readonly AnalyzedWord[], start: number, end: number): string[] {
  return words.filter((word) => word.start < end && word.end > start).map((word) => word.term)
}

/** English entries of the query: the longest phrase (as stems) starting at each alphabetic word. */
function englishMatches(query: AnalyzedQuery, glossary: Glossary, matches: Map<string, Match>): void {
  const words = query.words.filter((word) => word.script === 'alphabetic')
  let i = 0
  while (i < words.length) {
    for (let length = Math.min(glossary.longestEnglish, words.length - i); length >= 1; length--) {
      const stems = words.slice(i, i + length).map((word) => word.term)
      const entries = glossary.english(stems)
      if (entries.length === 0) continue
      const key = `en:${stems.join(' ')}`
      const match = matches.get(key) ?? { entries, from: 'en' as const, concepts: new Set<string>() }
      for (const stem of stems) match.concepts.add(stem)
      matches.set(key, match)
      break
    }
    i++
  }
}

const targetCache = new WeakMap<GlossaryEntry, { zh: { terms: string[]; bigrams: string[] }; en: string[] }>()

/** Index terms of both sides of an entry (analysed once per entry). */
function targetTerms(entry: GlossaryEntry): { zh: { terms: string[]; bigrams: string[] }; en: string[] } {
  let cached = targetCache.get(entry)
  if (!cached) {
    const words = analyzeQuery(entry.zh, { maxLength: Infinity }).words
    cached = {
      zh: {
        terms: [...new Set(words.map((word) => word.term))],
        bigrams: [...new Set(words.flatMap((word) => word.bigrams))],
      },
      en: [...new Set(englishStems(entry.en))],
    }
    targetCache.set(entry, cached)
  }
  return cached
}

/**
 * Glossary translations of an analysed query, as weighted query terms in the other language. `from` picks
 * the direction: `zh` translates its Chinese words, `en` its English words, `mixed` both, `other` nothing.
 *
 * @example
 *   const { terms } = translateQuery(analyzeQuery('我要退款'), 'zh')
 *   // [{ term: 'refund', weight: 0.6, concept: '退款', variant: 'en:refund' }, …]
 */
export function translateQuery(
  query: AnalyzedQuery,
  from: Language,
  options: TranslateOptions = {},
): TranslatedQuery {
  const glossary = options.glossary ?? BUILT_IN_GLOSSARY
  const weight = options.weight ?? DEFAULT_TRANSLATION_WEIGHT
  const bigramWeight = weight * (options.bigramWeight ?? DEFAULT_TRANSLATION_BIGRAM_WEIGHT)
  const matches = new Map<string, Match>()
  if (from === 'zh' || from === 'mixed') chineseMatches(query, glossary, matches)
  if (from === 'en' || from === 'mixed') englishMatches(query, glossary, matches)

  const translations: Translation[] = []
  const terms: QueryTerm[] = []
  const covered = new Set<string>()
  for (const match of matches.values()) {
    const concepts = [...match.concepts]
    for (const entry of match.entries) {
      const target = targetTerms(entry)
      const targetLanguage = match.from === 'zh' ? 'en' : 'zh'
      const words = targetLanguage === 'en' ? target.en : target.zh.terms
      const bigrams = targetLanguage === 'en' ? [] : target.zh.bigrams
      if (words.length === 0 && bigrams.length === 0) continue
      for (const concept of concepts) covered.add(concept)
      const targetText = targetLanguage === 'en' ? entry.en : entry.zh
      translations.push({
        source: match.from === 'zh' ? entry.zh : entry.en,
        target: targetText,
        targetLanguage,
        category: entry.category,
        origin: 'glossary',
        concepts,
        terms: words,
        bigrams,
      })
      addTerms(
        terms,
        { variant: `${targetLanguage}:${targetText}`, concepts, words, bigrams },
        weight,
        bigramWeight,
      )
    }
  }
  if (options.dictionary) {
    const dictionaryWeight = options.dictionaryWeight ?? DEFAULT_DICTIONARY_WEIGHT
    const dictionaryBigramWeight =
      dictionaryWeight * (options.bigramWeight ?? DEFAULT_TRANSLATION_BIGRAM_WEIGHT)
    const known = options.known
    for (const translation of dictionaryTranslations(query, from, covered, options.dictionary)) {
      if (known && !translation.terms.some(known) && !translation.bigrams.some(known)) continue
      translations.push(translation)
      addTerms(
        terms,
        {
          ...translation,
          variant: `dictionary:${translation.targetLanguage}:${translation.target}`,
          words: translation.terms,
        },
        dictionaryWeight,
        dictionaryBigramWeight,
      )
    }
  }
  return { translations, terms }
}

function addTerms(
  terms: QueryTerm[],
  target: {
    readonly variant: string
    readonly concepts: readonly string[]
    readonly words: readonly string[]
    readonly bigrams: readonly string[]
  },
  weight: number,
  bigramWeight: number,
): void {
  // Each translation is one alternative of its concepts: its words and bigrams add up, while the concept's
  // other translations compete with it (bm25.ts).
  const alternative = target.variant
  for (const concept of target.concepts) {
    for (const term of target.words)
      terms.push({ term, weight, concept, variant: target.variant, alternative })
    for (const term of target.bigrams)
      terms.push({ term, weight: bigramWeight, concept, variant: `${target.variant}:bigrams`, alternative })
  }
}
