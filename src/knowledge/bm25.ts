/**
 * An Okapi BM25 index over analysed passages ("chunks") whose whole state is plain data: document records
 * and postings, meant to live in two database tables that someone else writes (`kb_documents`: one row per
 * chunk; `kb_postings`: one row per term and chunk). Collection statistics (N, document frequencies,
 * average lengths) are never stored: they are recomputed from those rows, so adding or removing an article
 * touches only its own rows.
 *
 * Scoring. Two fields share the postings: word terms and Chinese bigram terms (`analyze.ts`, prefixed with
 * `BIGRAM_PREFIX`); each field has its own document length and average length. For query terms t with
 * weights w (a term listed twice counts once, with its larger weight):
 *
 *   score(d) = Σ_t w_t · idf(t) · tf(t,d)·(k1 + 1) / (tf(t,d) + k1·(1 − b + b·len_f(d) / avglen_f))
 *   idf(t)   = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))          (Lucene's, never negative)
 *
 * Two refinements for a bilingual collection, both neutral on a monolingual one:
 * - **IDF within the term's language.** N and df leave out the chunks written in the other language: a
 *   Chinese term (Han characters, bigrams included) is counted among the chunks not detected as English,
 *   a term with letters among the chunks not detected as Chinese (numbers among all). Otherwise every
 *   frequent word of a language looks twice as rare as it is (half the collection cannot contain it), and
 *   a passage that shares only frequent words with the query outranks one in the other language that
 *   matches its rare word through a translation.
 * - **Alternative renderings compete.** Query terms that carry an `alternative` (the retriever's
 *   translations: each glossary or dictionary sense of a query word) are alternatives of their concept: a
 *   chunk scores a concept's best alternative in full and the others × `tieBreaker` (0.3, Lucene's
 *   dis_max), so a word with three senses does not count three times. Terms without one add up as usual.
 *
 * Articles are ranked by their best chunk (max, not sum, so a long article does not win by size); each
 * article appears once, with that chunk.
 *
 * Match strength. The raw score has no fixed scale, so each hit also gets `strength` in [0, 1]: the share
 * of the query's IDF mass that its chunk covers. The query's terms are grouped into *concepts* (one per
 * content word of the query); a concept's variants are its own term, its sub-words, its bigrams and each of
 * its translations (a variant may hold several terms, e.g. a translated phrase). Then
 *
 *   coverage(c) = max over variants v of c:  weight(v) · |terms of v in the chunk| / |terms of v|
 *   strength    = Σ_c idf(c) · min(1, coverage(c)) / Σ_c idf(c)
 *
 * where idf(c) is the IDF of the concept's own term (the largest IDF when no chunk holds it: an unknown
 * word is informative and unmatched). So a chunk holding every query word scores 1; one matching every
 * word only through translations weighted 0.6 scores 0.6; one missing the rarest word loses most. Frequent
 * words weigh little, as they should for an "is this the answer?" decision.
 *
 * @example
 *   const index = createIndex()
 *   index.addDocuments([{ chunkId: 'a#0', articleId: 'a', language: 'en', terms: ['refund', 'polici'] }])
 *   index.search(['refund'], { limit: 5 }) // [{ articleId: 'a', chunkId: 'a#0', score: 0.28…, strength: 1, … }]
 *   loadIndex(JSON.parse(JSON.stringify(index.toJSON()))).search(['refund']) // the same hits
 */
import { AppError } from '../core/index.js'
import type { Language } from '../nlp/index.js'
import { isBigramTerm } from './analyze.js'
import {
  addAlternative,
  bestAndSum,
  otherLanguage,
  termLanguage,
  termOwners,
  type Alternatives,
  type QueryTerm,
} from './query-terms.js'
import {
  DEFAULT_BM25_PARAMS,
  INDEX_FORMAT,
  INDEX_VERSION,
  KNOWN_LANGUAGES,
  compareCodeUnits,
  paramsProblem,
  readSnapshot,
  type Bm25Params,
  type DocumentRecord,
  type IndexSnapshot,
  type Posting,
} from './index-snapshot.js'

export {
  DEFAULT_BM25_PARAMS,
  INDEX_FORMAT,
  INDEX_VERSION,
  type Bm25Params,
  type QueryTerm,
  type DocumentRecord,
  type IndexSnapshot,
  type Posting,
}

/** A chunk to index: its analysed terms (`analyzeDocument`), repeated as often as they occur. */
export interface IndexDocument {
  readonly chunkId: string
  readonly articleId: string
  readonly language: Language
  readonly terms: readonly string[]
}

export interface SearchOptions {
  /** Most hits returned (default 10). */
  readonly limit?: number
  /** Only chunks in one of these languages. */
  readonly languages?: readonly Language[]
  /** `article` (default): one hit per article, its best chunk; `chunk`: every matching chunk. */
  readonly groupBy?: 'article' | 'chunk'
  /** Share of a concept's weaker alternatives that counts (default `DEFAULT_TIE_BREAKER`; 1 = plain sum). */
  readonly tieBreaker?: number
}

export interface ExplainOptions {
  /** As in `SearchOptions`. */
  readonly tieBreaker?: number
}

/** Lucene's dis_max tie breaker for a concept's alternatives (see the module comment). */
export const DEFAULT_TIE_BREAKER = 0.3

export interface SearchHit {
  readonly articleId: string
  readonly chunkId: string
  /** BM25 score of the chunk (> 0). */
  readonly score: number
  /** Match strength in [0, 1]; see the module comment. */
  readonly strength: number
  readonly language: Language
  /** The query terms the chunk holds, in query order. */
  readonly matchedTerms: string[]
}

export interface TermContribution {
  readonly term: string
  readonly contribution: number
}

export interface AddDocumentsResult {
  /** Chunk ids indexed, in input order. */
  readonly added: string[]
  /** Documents refused (nothing of them was indexed), with the reason. */
  readonly rejected: { readonly chunkId: string; readonly error: AppError }[]
}

export interface RemoveDocumentsResult {
  /** Chunk ids removed (empty when the article was not indexed). */
  readonly removed: string[]
}

export interface Bm25Index {
  readonly params: Bm25Params
  /** Number of chunks. */
  readonly size: number
  /** Index chunks; a chunk id already present (or twice in the batch) is rejected, not replaced. */
  addDocuments(documents: readonly IndexDocument[]): AddDocumentsResult
  /** Remove every chunk of an article (to re-index it: remove, then add). */
  removeDocuments(articleId: string): RemoveDocumentsResult
  /** Rank chunks (grouped by article by default) for weighted query terms; plain strings weigh 1. */
  search(query: readonly (string | QueryTerm)[], options?: SearchOptions): SearchHit[]
  /**
   * Each query term's share of a chunk's score (terms the chunk lacks are left out; a term listed twice
   * counts once, with its larger weight); the contributions add up to the chunk's `score`.
   */
  explain(
    query: readonly (string | QueryTerm)[],
    chunkId: string,
    options?: ExplainOptions,
  ): TermContribution[]
  /**
   * The match strength (see the module comment) of one chunk for a query, whether or not it would rank;
   * 0 for an unknown chunk.
   */
  strengthOf(query: readonly (string | QueryTerm)[], chunkId: string): number
  /**
   * IDF of a term among the chunks of the current collection that could hold it (not those written in the
   * other language; the largest IDF for an unknown term).
   */
  idf(term: string): number
  /** Whether any chunk holds the term. */
  has(term: string): boolean
  /** The canonical snapshot (see `IndexSnapshot`). */
  toJSON(): IndexSnapshot
}

interface StoredDocument {
  readonly record: DocumentRecord
  /** The distinct terms of the chunk, so removal touches only its postings. */
  readonly terms: string[]
}

class MemoryBm25Index implements Bm25Index {
  readonly params: Bm25Params
  private readonly documents = new Map<string, StoredDocument>()
  private readonly postings = new Map<string, Map<string, number>>()
  private readonly articles = new Map<string, Set<string>>()
  private totalLength = 0
  private totalBigramLength = 0
  /** Chunks per detected language. */
  private readonly languageCounts = new Map<Language, number>()
  /** Per term, the chunks holding it that are written in the other language than the term's script. */
  private readonly foreignFrequency = new Map<string, number>()

  constructor(params: Bm25Params) {
    this.params = Object.freeze({ k1: params.k1, b: params.b })
  }

  get size(): number {
    return this.documents.size
  }

  addDocuments(documents: readonly IndexDocument[]): AddDocumentsResult {
    const added: string[] = []
    const rejected: { chunkId: string; error: AppError }[] = []
    for (const document of documents) {
      const error = this.check(document)
      if (error) {
        rejected.push({ chunkId: String(document?.chunkId ?? ''), error })
        continue
      }
      const counts = new Map<string, number>()
      for (const term of document.terms) counts.set(term, (counts.get(term) ?? 0) + 1)
      let length = 0
      let bigramLength = 0
      for (const [term, tf] of counts) {
        if (isBigramTerm(term)) bigramLength += tf
        else length += tf
      }
      this.insert(
        {
          chunkId: document.chunkId,
          articleId: document.articleId,
          language: document.language,
          length,
          bigramLength,
        },
        counts,
      )
      added.push(document.chunkId)
    }
    return { added, rejected }
  }

  private check(document: IndexDocument): AppError | undefined {
    if (typeof document !== 'object' || document === null)
      return new AppError('KB_INVALID_DOCUMENT', 'a document must be an object')
    const { chunkId, articleId, language, terms } = document
    if (typeof chunkId !== 'string' || chunkId === '')
      return new AppError('KB_INVALID_DOCUMENT', 'a document needs a non-empty string chunkId')
    if (typeof articleId !== 'string' || articleId === '')
      return new AppError('KB_INVALID_DOCUMENT', `chunk "${chunkId}" needs a non-empty string articleId`)
    if (!KNOWN_LANGUAGES.includes(language))
      return new AppError(
        'KB_INVALID_DOCUMENT',
        `chunk "${chunkId}" has language "${String(language)}"; known: ${KNOWN_LANGUAGES.join(', ')}`,
      )
    if (!Array.isArray(terms) || terms.some((term) => typeof term !== 'string' || term === ''))
      return new AppError('KB_INVALID_DOCUMENT', `chunk "${chunkId}": terms must be non-empty strings`)
    if (this.documents.has(chunkId))
      return new AppError(
        'KB_DUPLICATE_CHUNK',
        `chunk "${chunkId}" is already indexed; remove article "${this.documents.get(chunkId)?.record.articleId}" first`,
        { details: { chunkId } },
      )
    return undefined
  }

  /** Add one validated chunk with its term counts. */
  insert(record: DocumentRecord, counts: ReadonlyMap<string, number>): void {
    this.documents.set(record.chunkId, { record, terms: [...counts.keys()] })
    for (const [term, tf] of counts) {
      let list = this.postings.get(term)
      if (!list) this.postings.set(term, (list = new Map()))
      list.set(record.chunkId, tf)
    }
    let chunks = this.articles.get(record.articleId)
    if (!chunks) this.articles.set(record.articleId, (chunks = new Set()))
    chunks.add(record.chunkId)
    this.totalLength += record.length
    this.totalBigramLength += record.bigramLength
    this.countLanguage(record.language, counts.keys(), 1)
  }

  /** Keep the per-language counts behind `idf` current (`change` +1 on insert, −1 on removal). */
  private countLanguage(language: Language, terms: Iterable<string>, change: 1 | -1): void {
    this.languageCounts.set(language, (this.languageCounts.get(language) ?? 0) + change)
    if (language !== 'zh' && language !== 'en') return
    for (const term of terms) {
      if (otherLanguage(termLanguage(term)) !== language) continue
      const count = (this.foreignFrequency.get(term) ?? 0) + change
      if (count > 0) this.foreignFrequency.set(term, count)
      else this.foreignFrequency.delete(term)
    }
  }

  removeDocuments(articleId: string): RemoveDocumentsResult {
    const chunks = this.articles.get(articleId)
    if (!chunks) return { removed: [] }
    const removed = [...chunks]
    for (const chunkId of removed) {
      const stored = this.documents.get(chunkId)
      if (!stored) continue
      for (const term of stored.terms) {
        const list = this.postings.get(term)
        if (!list) continue
        list.delete(chunkId)
        if (list.size === 0) this.postings.delete(term)
      }
      this.totalLength -= stored.record.length
      this.totalBigramLength -= stored.record.bigramLength
      this.countLanguage(stored.record.language, stored.terms, -1)
      this.documents.delete(chunkId)
    }
    this.articles.delete(articleId)
    return { removed }
  }

  has(term: string): boolean {
    return this.postings.has(term)
  }

  idf(term: string): number {
    const other = otherLanguage(termLanguage(term))
    const count = this.documents.size - (other ? (this.languageCounts.get(other) ?? 0) : 0)
    const documentFrequency =
      (this.postings.get(term)?.size ?? 0) - (other ? (this.foreignFrequency.get(term) ?? 0) : 0)
    return Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5))
  }

  search(query: readonly (string | QueryTerm)[], options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit === undefined ? 10 : Math.max(0, Math.floor(options.limit))
    if (limit === 0 || this.documents.size === 0) return []
    const all = query.map(toQueryTerm).filter((term) => term.term !== '' && term.weight > 0)
    if (all.length === 0) return []
    const concepts = [...new Set(all.map(({ concept }) => concept))]
    const terms = this.withoutAbsentAlternatives(all)
    const owners = termOwners(terms)
    const tieBreaker = options.tieBreaker ?? DEFAULT_TIE_BREAKER
    const languages = options.languages ? new Set(options.languages) : undefined

    const scores = new Map<string, number>()
    const alternatives = new Map<string, Alternatives>()
    for (const [term, owner] of owners) {
      const list = this.postings.get(term)
      if (!list) continue
      const termWeight = owner.weight * this.idf(term)
      for (const [chunkId, tf] of list) {
        const record = this.record(chunkId)
        if (languages && !languages.has(record.language)) continue
        const contribution = this.contribution(term, termWeight, tf, record)
        if (owner.alternative === undefined) {
          scores.set(chunkId, (scores.get(chunkId) ?? 0) + contribution)
          continue
        }
        let byConcept = alternatives.get(chunkId)
        if (!byConcept) alternatives.set(chunkId, (byConcept = new Map()))
        addAlternative(byConcept, owner, contribution)
      }
    }
    for (const [chunkId, byConcept] of alternatives) {
      let total = 0
      for (const byAlternative of byConcept.values()) {
        const { best, sum } = bestAndSum(byAlternative)
        total += best + tieBreaker * (sum - best)
      }
      scores.set(chunkId, (scores.get(chunkId) ?? 0) + total)
    }

    let ranked: { chunkId: string; articleId: string; score: number }[] = []
    if (options.groupBy === 'chunk') {
      for (const [chunkId, score] of scores) {
        ranked.push({ chunkId, articleId: this.record(chunkId).articleId, score })
      }
    } else {
      const best = new Map<string, { chunkId: string; articleId: string; score: number }>()
      for (const [chunkId, score] of scores) {
        const articleId = this.record(chunkId).articleId
        const current = best.get(articleId)
        if (!current || score > current.score || (score === current.score && chunkId < current.chunkId))
          best.set(articleId, { chunkId, articleId, score })
      }
      ranked = [...best.values()]
    }
    ranked.sort(
      (x, y) =>
        y.score - x.score ||
        compareCodeUnits(x.articleId, y.articleId) ||
        compareCodeUnits(x.chunkId, y.chunkId),
    )
    return ranked.slice(0, limit).map(({ chunkId, articleId, score }) => {
      const matched = terms.filter(({ term }) => this.postings.get(term)?.has(chunkId) === true)
      return {
        articleId,
        chunkId,
        score,
        strength: this.strength(concepts, terms, new Set(matched.map(({ term }) => term))),
        language: this.record(chunkId).language,
        matchedTerms: [...new Set(matched.map(({ term }) => term))],
      }
    })
  }

  strengthOf(query: readonly (string | QueryTerm)[], chunkId: string): number {
    if (!this.documents.has(chunkId)) return 0
    const all = query.map(toQueryTerm).filter((term) => term.term !== '' && term.weight > 0)
    if (all.length === 0) return 0
    const concepts = [...new Set(all.map(({ concept }) => concept))]
    const terms = this.withoutAbsentAlternatives(all)
    const matched = new Set(
      terms.filter(({ term }) => this.postings.get(term)?.has(chunkId) === true).map(({ term }) => term),
    )
    return this.strength(concepts, terms, matched)
  }

  /** One term's BM25 share: `termWeight` (weight × idf) × the saturated, length-normalised tf. */
  private contribution(term: string, termWeight: number, tf: number, record: DocumentRecord): number {
    const { k1, b } = this.params
    const count = this.documents.size
    const bigram = isBigramTerm(term)
    const average = (bigram ? this.totalBigramLength : this.totalLength) / count
    const length = bigram ? record.bigramLength : record.length
    const norm = average > 0 ? 1 - b + (b * length) / average : 1
    return (termWeight * tf * (k1 + 1)) / (tf + k1 * norm)
  }

  explain(
    query: readonly (string | QueryTerm)[],
    chunkId: string,
    options: ExplainOptions = {},
  ): TermContribution[] {
    const stored = this.documents.get(chunkId)
    if (!stored) return []
    const owners = termOwners(
      this.withoutAbsentAlternatives(
        query.map(toQueryTerm).filter((term) => term.term !== '' && term.weight > 0),
      ),
    )
    const tieBreaker = options.tieBreaker ?? DEFAULT_TIE_BREAKER
    const found: { term: string; owner: QueryTerm; contribution: number }[] = []
    const byConcept: Alternatives = new Map()
    for (const [term, owner] of owners) {
      const tf = this.postings.get(term)?.get(chunkId)
      if (tf === undefined) continue
      const contribution = this.contribution(term, owner.weight * this.idf(term), tf, stored.record)
      found.push({ term, owner, contribution })
      if (owner.alternative !== undefined) addAlternative(byConcept, owner, contribution)
    }
    const best = new Map<string, string>()
    for (const [concept, byAlternative] of byConcept) best.set(concept, bestAndSum(byAlternative).alternative)
    return found.map(({ term, owner, contribution }) => ({
      term,
      contribution:
        owner.alternative === undefined || best.get(owner.concept) === owner.alternative
          ? contribution
          : contribution * tieBreaker,
    }))
  }

  /**
   * The query without the alternatives none of whose terms the collection holds: they change no score and
   * no strength (an alternative that matches nothing covers nothing), and a general dictionary adds many of
   * them (every English word's Chinese senses, against an English-only knowledge base).
   */
  private withoutAbsentAlternatives(terms: readonly QueryTerm[]): QueryTerm[] {
    const present = new Set<string>()
    for (const { term, concept, alternative } of terms) {
      if (alternative !== undefined && this.postings.has(term)) present.add(`${concept}\u0000${alternative}`)
    }
    return terms.filter(
      ({ concept, alternative }) =>
        alternative === undefined || present.has(`${concept}\u0000${alternative}`),
    )
  }

  private record(chunkId: string): DocumentRecord {
    return (this.documents.get(chunkId) as StoredDocument).record
  }

  /** See the module comment. */
  private strength(
    concepts: readonly string[],
    terms: readonly QueryTerm[],
    matched: ReadonlySet<string>,
  ): number {
    const variants = new Map<string, Map<string, { weight: number; total: number; hits: number }>>()
    for (const concept of concepts) variants.set(concept, new Map())
    for (const { term, weight, concept, variant } of terms) {
      const byVariant = variants.get(concept) as Map<string, { weight: number; total: number; hits: number }>
      const entry = byVariant.get(variant) ?? { weight: 0, total: 0, hits: 0 }
      entry.weight = Math.max(entry.weight, weight)
      entry.total++
      if (matched.has(term)) entry.hits++
      byVariant.set(variant, entry)
    }
    let mass = 0
    let covered = 0
    for (const [concept, byVariant] of variants) {
      const conceptMass = this.idf(concept)
      let coverage = 0
      for (const { weight, total, hits } of byVariant.values()) {
        coverage = Math.max(coverage, (weight * hits) / total)
      }
      mass += conceptMass
      covered += conceptMass * Math.min(1, coverage)
    }
    return mass > 0 ? covered / mass : 0
  }

  toJSON(): IndexSnapshot {
    const documents = [...this.documents.values()]
      .map(({ record }) => ({ ...record }))
      .sort((x, y) => compareCodeUnits(x.chunkId, y.chunkId))
    const postings: Record<string, Posting[]> = {}
    for (const term of [...this.postings.keys()].sort(compareCodeUnits)) {
      const list = [...(this.postings.get(term) as Map<string, number>)]
        .map(([chunkId, tf]) => ({ chunkId, tf }))
        .sort((x, y) => compareCodeUnits(x.chunkId, y.chunkId))
      Object.defineProperty(postings, term, {
        value: list,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return {
      format: INDEX_FORMAT,
      version: INDEX_VERSION,
      params: { ...this.params },
      documents,
      postings,
    }
  }
}

function toQueryTerm(term: string | QueryTerm): QueryTerm {
  return typeof term === 'string' ? { term, weight: 1, concept: term, variant: 'self' } : term
}

/**
 * An empty index.
 *
 * @example
 *   const index = createIndex({ k1: 1.2, b: 0.75 })
 */
export function createIndex(params: Partial<Bm25Params> = {}): Bm25Index {
  const merged = { ...DEFAULT_BM25_PARAMS, ...params }
  const problem = paramsProblem(merged)
  if (problem) throw new RangeError(problem)
  return new MemoryBm25Index(merged)
}

/**
 * Restore an index from its snapshot (e.g. read back from the database); `readSnapshot` checks it first
 * and throws `KB_INVALID_SNAPSHOT` when it is inconsistent.
 *
 * @example
 *   const index = loadIndex(JSON.parse(text) as IndexSnapshot)
 */
export function loadIndex(snapshot: IndexSnapshot): Bm25Index {
  const { params, documents } = readSnapshot(snapshot)
  const index = new MemoryBm25Index(params)
  for (const { record, counts } of documents) index.insert(record, counts)
  return index
}
