/**
 * The retriever: a question in, the best passages of the knowledge base out, in either language.
 *
 * A query is analysed (`analyzeQuery`) into content words — its *concepts*. Each concept is searched as
 * - its own term (weight 1),
 * - for a Chinese compound, its search-mode sub-words (`partWeight`, default 0.5),
 * - for a Chinese word, its character bigrams (`bigramWeight`, default 0.3), and
 * - its glossary translations into the other language (`translationWeight`, default 0.6; a Chinese
 *   target's bigrams get 0.6 × 0.3), or, for a word the glossary lacks, its general-dictionary
 *   translations (CC-CEDICT, `dictionaryWeight`, default 0.4, loaded on the first query that needs it),
 * all in one BM25 query, so same-language and cross-lingual passages are ranked on one scale: a passage in
 * the query's language wins unless the other language's passage matches clearly better. Each hit carries
 * its BM25 `score` and its match `strength` in [0, 1] (`bm25.ts`); the result also gives the `margin` of
 * the first article over the second. Those two, not the raw score, are what an answer-or-hand-off decision
 * should read (measured in docs/decisions/2026-11-25-retrieval.md).
 *
 * Defined behaviour for odd queries: an empty, white-space, punctuation- or emoji-only query (no content
 * word) returns no hits and `queryLanguage` from `detectLanguage` (`other` when there are no letters); a
 * query longer than `MAX_QUERY_CHARS` (2,000 UTF-16 code units) is cut there (never inside a surrogate
 * pair) and the result says `truncated: true`; an empty index returns no hits.
 *
 * @example
 *   const retriever = createRetriever(snapshot)
 *   const { hits } = retriever.retrieve('我要退款', { limit: 3 })
 *   // hits[0]: { articleId: 'refund-policy', chunkId: 'refund-policy#0', score: 4.1, strength: 0.6,
 *   //            language: 'en', crossLingual: true, matchedTerms: ['refund', 'monei'] }
 */
import type { Language } from '../nlp/index.js'
import { analyzeQuery, BIGRAM_PREFIX, type AnalyzedQuery } from './analyze.js'
import { loadIndex, type Bm25Index, type IndexSnapshot, type QueryTerm } from './bm25.js'
import { builtInDictionary, type TranslationDictionary } from './dictionary.js'
import {
  BUILT_IN_GLOSSARY,
  DEFAULT_DICTIONARY_WEIGHT,
  DEFAULT_TRANSLATION_BIGRAM_WEIGHT,
  DEFAULT_TRANSLATION_WEIGHT,
  translateQuery,
  type Glossary,
  type Translation,
} from './glossary.js'

export interface RetrieverOptions {
  /** The glossary for cross-lingual search (default: the built-in one); `null` turns translation off. */
  readonly glossary?: Glossary | null
  /**
   * The general dictionary for words the glossary lacks (default: CC-CEDICT, `builtInDictionary`, loaded on
   * the first query with such a word); a function is called only then. `null` keeps to the glossary.
   */
  readonly dictionary?: TranslationDictionary | (() => TranslationDictionary) | null
  /** Weight of a translated term (default 0.6). */
  readonly translationWeight?: number
  /** Weight of a dictionary translation (default 0.4). */
  readonly dictionaryWeight?: number
  /** Weight of a Chinese word's character bigrams (default 0.3). */
  readonly bigramWeight?: number
  /** Weight of a Chinese compound's search-mode sub-words (default 0.5). */
  readonly partWeight?: number
}

export interface RetrieveOptions {
  /** Most articles returned (default 5). */
  readonly limit?: number
  /** The query's language when the caller knows it (e.g. the conversation's); detected otherwise. */
  readonly language?: Language
  /** Only passages in these languages. */
  readonly languages?: readonly Language[]
}

export interface RetrievalHit {
  readonly articleId: string
  /** The article's best chunk. */
  readonly chunkId: string
  /** BM25 score (translated terms weighted), comparable across hits of one query only. */
  readonly score: number
  /** Match strength in [0, 1], comparable across queries; see bm25.ts. */
  readonly strength: number
  /** The chunk's language. */
  readonly language: Language
  /** True when most of the score comes from glossary translations, not from the query's own words. */
  readonly crossLingual: boolean
  /** Index terms of the chunk that the query matched (bigrams shown without their prefix). */
  readonly matchedTerms: string[]
}

export interface RetrievalResult {
  readonly hits: RetrievalHit[]
  /** The detected language of the query (or the one given). */
  readonly queryLanguage: Language
  /** The glossary matches that added terms in the other language. */
  readonly translatedTerms: readonly Translation[]
  /** True when the query was cut to `MAX_QUERY_CHARS`. */
  readonly truncated: boolean
  /**
   * How clearly the first article beats the second: (score₁ − score₂) / score₁ in [0, 1]; 1 with a single
   * hit, 0 with none. A second signal for answer-or-hand-off next to `strength` (see the decision record).
   */
  readonly margin: number
  /** The weighted query terms searched (own words, their parts and bigrams, translations). */
  readonly terms: readonly QueryTerm[]
}

export interface Retriever {
  /** The index searched (live: documents added to it later are found). */
  readonly index: Bm25Index
  retrieve(query: string, options?: RetrieveOptions): RetrievalResult
}

export const DEFAULT_BIGRAM_WEIGHT = 0.3
export const DEFAULT_PART_WEIGHT = 0.5
export const DEFAULT_RETRIEVE_LIMIT = 5

/** The query's own terms: each word, its sub-words and its bigrams, as variants of one concept. */
export function ownQueryTerms(
  query: AnalyzedQuery,
  weights: { readonly bigramWeight: number; readonly partWeight: number },
): QueryTerm[] {
  const terms: QueryTerm[] = []
  for (const word of query.words) {
    const concept = word.term
    terms.push({ term: word.term, weight: 1, concept, variant: 'self' })
    for (const part of word.parts)
      terms.push({ term: part, weight: weights.partWeight, concept, variant: 'parts' })
    for (const bigram of word.bigrams)
      terms.push({ term: bigram, weight: weights.bigramWeight, concept, variant: 'bigrams' })
  }
  return terms
}

function isIndex(source: IndexSnapshot | Bm25Index): source is Bm25Index {
  return typeof (source as Bm25Index).search === 'function'
}

/**
 * A retriever over an index or its snapshot.
 *
 * @example
 *   const retriever = createRetriever(index, { glossary: BUILT_IN_GLOSSARY })
 *   retriever.retrieve('How do I get my money back?').hits
 */
export function createRetriever(
  source: IndexSnapshot | Bm25Index,
  options: RetrieverOptions = {},
): Retriever {
  const index = isIndex(source) ? source : loadIndex(source)
  const glossary = options.glossary === undefined ? BUILT_IN_GLOSSARY : options.glossary
  const dictionary = options.dictionary === undefined ? builtInDictionary : options.dictionary
  const translationWeight = options.translationWeight ?? DEFAULT_TRANSLATION_WEIGHT
  const dictionaryWeight = options.dictionaryWeight ?? DEFAULT_DICTIONARY_WEIGHT
  const bigramWeight = options.bigramWeight ?? DEFAULT_BIGRAM_WEIGHT
  const partWeight = options.partWeight ?? DEFAULT_PART_WEIGHT

  function retrieve(query: string, retrieveOptions: RetrieveOptions = {}): RetrievalResult {
    const analyzed = analyzeQuery(query)
    const queryLanguage = retrieveOptions.language ?? analyzed.language
    const own = ownQueryTerms(analyzed, { bigramWeight, partWeight })
    const translated = glossary
      ? translateQuery(analyzed, queryLanguage, {
          glossary,
          weight: translationWeight,
          bigramWeight: DEFAULT_TRANSLATION_BIGRAM_WEIGHT,
          dictionary,
          dictionaryWeight,
          known: (term) => index.has(term),
        })
      : { translations: [], terms: [] }
    const terms = [...own, ...translated.terms]
    const ownTerms = new Set(own.map(({ term }) => term))
    const limit = Math.max(0, Math.floor(retrieveOptions.limit ?? DEFAULT_RETRIEVE_LIMIT))
    const found = index.search(terms, {
      limit: limit + 1,
      ...(retrieveOptions.languages ? { languages: retrieveOptions.languages } : {}),
    })
    const margin =
      found.length === 0 ? 0 : found.length === 1 ? 1 : (found[0].score - found[1].score) / found[0].score
    const hits = found.slice(0, limit).map((hit): RetrievalHit => {
      let ownScore = 0
      let translatedScore = 0
      for (const { term, contribution } of index.explain(terms, hit.chunkId)) {
        if (ownTerms.has(term)) ownScore += contribution
        else translatedScore += contribution
      }
      const matchedTerms = [
        ...new Set(
          hit.matchedTerms.map((term) =>
            term.startsWith(BIGRAM_PREFIX) ? term.slice(BIGRAM_PREFIX.length) : term,
          ),
        ),
      ]
      return {
        articleId: hit.articleId,
        chunkId: hit.chunkId,
        score: hit.score,
        strength: hit.strength,
        language: hit.language,
        crossLingual: translatedScore > ownScore,
        matchedTerms,
      }
    })
    return {
      hits,
      queryLanguage,
      translatedTerms: translated.translations,
      truncated: analyzed.truncated,
      margin,
      terms,
    }
  }

  return Object.freeze({ index, retrieve })
}
