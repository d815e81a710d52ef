/**
 * The knowledge base at run time: saving records (chunked and analysed here, stored by the port), the
 * in-memory BM25 index every process rebuilds from the stored chunks and keeps current by following the
 * store's change log (a version number), search with article metadata, and `kb evaluate`.
 */
import type { Actor } from '../crm/actor.js'
import type { Language } from '../nlp/index.js'
import type { Article, ArticleKind, ArticleRecordInput, SaveOutcome, StoredChunk } from './articles.js'
import { analyzeDocument } from './analyze.js'
import { createIndex, type Bm25Index } from './bm25.js'
import { chunkArticle, chunkFaq, type Chunk } from './chunk.js'
import { toIndexDocument } from './documents.js'
import { createRetriever, type RetrievalHit, type Retriever } from './retriever.js'

/** What the service needs from the database (implemented by `store/knowledge`). */
export interface KnowledgeStore {
  save(
    input: ArticleRecordInput,
    chunksFor: (articleId: string) => StoredChunk[],
    actor: Actor,
    options?: { id?: string },
  ): Promise<{ article: Article; outcome: SaveOutcome }>
  remove(idOrExternal: string, actor: Actor, kind?: ArticleKind): Promise<void>
  indexVersion(): Promise<number>
  changesSince(version: number): Promise<{ version: number; articleIds: string[] }>
  indexedRecords(articleIds?: readonly string[]): Promise<{ articles: Article[]; chunks: StoredChunk[] }>
}

/** A search hit with what a reader (or the reasoner) needs of its record. */
export interface KnowledgeSearchHit extends RetrievalHit {
  readonly externalId: string | null
  readonly kind: ArticleKind
  readonly title: string
  /** The chunk's text as shown (Markdown). */
  readonly passage: string
  readonly heading: string
  readonly articleLanguage: 'zh' | 'en'
  readonly intents: readonly string[]
  readonly products: readonly string[]
  /**
   * For an article: the FAQ entry (external id, else id) whose match it carries (`FAQ_LINK_STRENGTH`);
   * null when the article was found on its own words.
   */
  readonly supportedBy: string | null
  /** For an FAQ entry: the article it summarises (its internal id), when one does; else null. */
  readonly linkedArticleId: string | null
  /**
   * In [0, 1]: the share of the query's weight that the record's title and tags cover (an FAQ's question
   * and tags): what the article says it is about, next to what its best passage happens to contain.
   */
  readonly titleMatch: number
}

export interface KnowledgeSearchResult {
  readonly hits: KnowledgeSearchHit[]
  readonly queryLanguage: Language
  readonly translatedTerms: readonly { readonly source: string; readonly target: string }[]
  readonly indexVersion: number
}

export interface EvaluationRow {
  readonly question: string
  readonly expected: string
}

export interface RetrievalEvaluation {
  n: number
  recall_at_1: number
  recall_at_3: number
  recall_at_5: number
  mrr: number
  excluded: number
}

/** The chunks of a record as stored: display passage, heading and analysed terms. */
export function chunksOf(articleId: string, input: ArticleRecordInput): StoredChunk[] {
  const chunks: Chunk[] =
    input.kind === 'faq'
      ? chunkFaq(articleId, [
          { question: input.question ?? input.title, paraphrases: input.paraphrases, answer: input.body },
        ])
      : // the author's tags are indexed with the title (not shown): they name the topic in the words
        // customers use ("refund time", "原路退回"), which is what finds an article
        chunkArticle({ id: articleId, title: [input.title, ...input.tags].join(' · '), body: input.body })
  return chunks.map((chunk) => {
    const document = toIndexDocument(chunk)
    return {
      id: chunk.chunkId,
      articleId,
      position: chunk.index,
      heading: chunk.headingPath.join(' › '),
      passage: chunk.text,
      start: chunk.start,
      end: chunk.end,
      language: document.language,
      terms: document.terms,
    }
  })
}

/**
 * FAQ entries rank with this share of their BM25 score: their question and paraphrases are indexed (that is
 * why they are found), but an article is the canonical, maintained answer, so an article that matches
 * nearly as well comes first. Chosen on the demo question set (recall@1 0.62 → 0.71); the held-out
 * knowledge base has no FAQ entries, so its figures do not depend on it.
 */
export const FAQ_WEIGHT = 0.6

/**
 * An FAQ entry is linked to the article that states its answer: the article (same language) whose chunk
 * best matches the FAQ's answer, when that match covers at least this share of the answer's weight.
 * Entries about things no article covers (gift wrapping, bulk orders) stay unlinked. A linked FAQ that
 * matches a question *supports* its article: the article ranks with the FAQ's score and strength when
 * those are higher than its own, at the chunk the FAQ points to, so the canonical article is cited rather
 * than its summary (docs/decisions/2026-11-25-answer-accuracy.md).
 */
export const FAQ_LINK_STRENGTH = 0.35

/**
 * …and only when the question matched the FAQ's own question, paraphrases or tags (its `titleMatch`) at
 * least this much, not merely words of its answer ("enter", "box" in a shipping answer).
 */
export const FAQ_SUPPORT_QUESTION_MATCH = 0.1

interface FaqLink {
  readonly articleId: string
  readonly chunkId: string
  readonly matchedTerms: string[]
}

export function createKnowledgeService(options: {
  store: KnowledgeStore
  /** How often a process checks the store's index version (default every search; 0 = always). */
  refreshMs?: number
}) {
  const { store } = options
  const refreshMs = options.refreshMs ?? 0
  let index: Bm25Index = createIndex()
  let retriever: Retriever = createRetriever(index)
  let linker: Retriever = createRetriever(index, { glossary: null, dictionary: null })
  /** One document per record: its title and tags (for `titleMatch`). */
  let titles: Bm25Index = createIndex()
  let version = -1
  let checkedAt = 0
  const articles = new Map<string, Article>()
  const chunks = new Map<string, StoredChunk>()
  let loading: Promise<void> | null = null
  /** FAQ id → its article (null: none), computed on first need and forgotten on any change. */
  const links = new Map<string, FaqLink | null>()

  function linkOf(faq: Article): FaqLink | null {
    const known = links.get(faq.id)
    if (known !== undefined) return known
    // same language, so no translation: a plain retriever over the same index
    const found = linker
      .retrieve(faq.body, { limit: 10, languages: [faq.language] })
      .hits.find((hit) => articles.get(hit.articleId)?.kind === 'article')
    const link =
      found && found.strength >= FAQ_LINK_STRENGTH
        ? { articleId: found.articleId, chunkId: found.chunkId, matchedTerms: found.matchedTerms }
        : null
    links.set(faq.id, link)
    return link
  }

  function addRecords(records: { articles: Article[]; chunks: StoredChunk[] }): void {
    links.clear()
    for (const article of records.articles) articles.set(article.id, article)
    titles.addDocuments(
      records.articles
        .filter((article) => article.status === 'published')
        .map((article) => ({
          chunkId: `${article.id}#title`,
          articleId: article.id,
          language: article.language,
          terms: analyzeDocument([article.title, ...article.paraphrases, ...article.tags].join(' · ')).terms,
        })),
    )
    for (const chunk of records.chunks) chunks.set(chunk.id, chunk)
    index.addDocuments(
      records.chunks
        .filter((chunk) => articles.has(chunk.articleId))
        .map((chunk) => ({
          chunkId: chunk.id,
          articleId: chunk.articleId,
          language: chunk.language as Language,
          terms: chunk.terms,
        })),
    )
  }

  function removeArticle(articleId: string): void {
    links.clear()
    index.removeDocuments(articleId)
    titles.removeDocuments(articleId)
    articles.delete(articleId)
    for (const [id, chunk] of chunks) if (chunk.articleId === articleId) chunks.delete(id)
  }

  async function load(): Promise<void> {
    if (version < 0) {
      const current = await store.indexVersion()
      const records = await store.indexedRecords()
      index = createIndex()
      retriever = createRetriever(index)
      linker = createRetriever(index, { glossary: null, dictionary: null })
      titles = createIndex()
      articles.clear()
      chunks.clear()
      addRecords(records)
      version = current
      return
    }
    const changes = await store.changesSince(version)
    if (changes.articleIds.length === 0) return
    for (const articleId of changes.articleIds) removeArticle(articleId)
    addRecords(await store.indexedRecords(changes.articleIds))
    version = changes.version
  }

  /** Brings the in-memory index up to the store's version (one query when nothing changed). */
  async function ensureCurrent(force = false): Promise<number> {
    const now = Date.now()
    if (!force && version >= 0 && refreshMs > 0 && now - checkedAt < refreshMs) return version
    checkedAt = now
    loading ??= load().finally(() => {
      loading = null
    })
    await loading
    return version
  }

  async function save(input: ArticleRecordInput, actor: Actor, id?: string) {
    const result = await store.save(input, (articleId) => chunksOf(articleId, input), actor, { id })
    await ensureCurrent(true)
    return result
  }

  async function remove(idOrExternal: string, actor: Actor, kind?: ArticleKind) {
    await store.remove(idOrExternal, actor, kind)
    await ensureCurrent(true)
  }

  /** Best passages for a question, one per article, in either language. */
  async function search(
    query: string,
    searchOptions: { limit?: number; language?: 'zh' | 'en' } = {},
  ): Promise<KnowledgeSearchResult> {
    const current = await ensureCurrent()
    const limit = searchOptions.limit ?? 5
    const result = retriever.retrieve(query, {
      // more than asked, so the FAQ weighting below can reorder the top and find linked articles
      limit: limit + 10,
      ...(searchOptions.language ? { languages: [searchOptions.language] } : {}),
    })
    const titleMatch = (articleId: string) => titles.strengthOf(result.terms, `${articleId}#title`)
    // Each linked FAQ hit whose question matched supports its article (the best-scoring FAQ per article).
    const support = new Map<string, { faq: RetrievalHit; link: FaqLink }>()
    const linkedArticle = new Map<string, string>()
    for (const hit of result.hits) {
      const record = articles.get(hit.articleId)
      if (record?.kind !== 'faq') continue
      const link = linkOf(record)
      if (!link || !articles.has(link.articleId)) continue
      if (titleMatch(hit.articleId) < FAQ_SUPPORT_QUESTION_MATCH) continue
      linkedArticle.set(hit.articleId, link.articleId)
      const current = support.get(link.articleId)
      if (!current || hit.score > current.faq.score) support.set(link.articleId, { faq: hit, link })
    }
    const supported = (hit: RetrievalHit): { hit: RetrievalHit; supportedBy: string | null } => {
      const backing = support.get(hit.articleId)
      if (!backing || (backing.faq.score <= hit.score && backing.faq.strength <= hit.strength))
        return { hit, supportedBy: null }
      const faq = articles.get(backing.faq.articleId) as Article
      // the article's passage is the one the FAQ points to when the FAQ matched the question better
      const faqPassage = backing.faq.strength > hit.strength
      return {
        hit: {
          ...hit,
          chunkId: faqPassage ? backing.link.chunkId : hit.chunkId,
          score: Math.max(hit.score, backing.faq.score),
          strength: Math.max(hit.strength, backing.faq.strength),
          crossLingual: faqPassage ? backing.faq.crossLingual : hit.crossLingual,
          matchedTerms: faqPassage ? backing.link.matchedTerms : hit.matchedTerms,
        },
        supportedBy: faq.externalId ?? faq.id,
      }
    }
    const present = new Set(result.hits.map((hit) => hit.articleId))
    const candidates = [
      ...result.hits.map(supported),
      // a supported article the query's own words did not reach
      ...[...support.values()]
        .filter(({ link }) => !present.has(link.articleId))
        .map(({ faq, link }) =>
          supported({
            articleId: link.articleId,
            chunkId: link.chunkId,
            score: 0,
            strength: 0,
            language: faq.language,
            crossLingual: faq.crossLingual,
            matchedTerms: [],
          }),
        ),
    ]
    const faqWeight = FAQ_WEIGHT
    const weighted = candidates
      .map((candidate) => ({
        ...candidate,
        rank: candidate.hit.score * (articles.get(candidate.hit.articleId)?.kind === 'faq' ? faqWeight : 1),
      }))
      .sort((a, b) => b.rank - a.rank)
      .slice(0, limit)
    const hits: KnowledgeSearchHit[] = []
    for (const { hit, supportedBy } of weighted) {
      const article = articles.get(hit.articleId)
      const chunk = chunks.get(hit.chunkId)
      if (!article || !chunk) continue
      hits.push({
        ...hit,
        externalId: article.externalId,
        kind: article.kind,
        title: article.title,
        passage: chunk.passage,
        heading: chunk.heading,
        articleLanguage: article.language,
        crossLingual: hit.crossLingual,
        intents: article.intents,
        products: article.products,
        supportedBy,
        linkedArticleId: linkedArticle.get(hit.articleId) ?? null,
        titleMatch: titleMatch(hit.articleId),
      })
    }
    return {
      hits,
      queryLanguage: result.queryLanguage,
      translatedTerms: result.translatedTerms.map((t) => ({
        source: String(t.source),
        target: String(t.target),
      })),
      indexVersion: current,
    }
  }

  /**
   * Retrieval quality on labelled questions (CONTRACTS `kb evaluate`): `expected` matches the external id,
   * then the internal id; rows expecting `none` are excluded and counted.
   */
  async function evaluate(
    rows: readonly EvaluationRow[],
  ): Promise<RetrievalEvaluation & { misses: { question: string; expected: string; got: string[] }[] }> {
    let n = 0
    let excluded = 0
    let at1 = 0
    let at3 = 0
    let at5 = 0
    let reciprocal = 0
    const misses: { question: string; expected: string; got: string[] }[] = []
    for (const row of rows) {
      if (row.expected.trim().toLowerCase() === 'none' || row.expected.trim() === '') {
        excluded++
        continue
      }
      n++
      const { hits } = await search(row.question, { limit: 10 })
      const ids = hits.map((hit) => hit.externalId ?? hit.articleId)
      const rank = hits.findIndex((hit) => hit.externalId === row.expected || hit.articleId === row.expected)
      if (rank === 0) at1++
      if (rank >= 0 && rank < 3) at3++
      if (rank >= 0 && rank < 5) at5++
      if (rank >= 0) reciprocal += 1 / (rank + 1)
      if (rank !== 0) misses.push({ question: row.question, expected: row.expected, got: ids.slice(0, 3) })
    }
    const fraction = (value: number) => (n === 0 ? 0 : value / n)
    return {
      n,
      recall_at_1: fraction(at1),
      recall_at_3: fraction(at3),
      recall_at_5: fraction(at5),
      mrr: fraction(reciprocal),
      excluded,
      misses,
    }
  }

  return {
    save,
    remove,
    search,
    evaluate,
    ensureCurrent,
    version: () => version,
    size: () => articles.size,
  }
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>
