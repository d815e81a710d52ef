/**
 * From chunks to index documents: the analysed terms of a chunk's lead (title and headings, or an FAQ
 * question and its paraphrases) and of its text. The lead counts more than the text (`leadWeight`, its
 * terms repeated, 3 by default): on StackFAQ, where the question is the lead, MRR goes from 0.821 (×1) to
 * 0.838 (×3), and higher weights add little (docs/decisions/2026-11-25-retrieval.md).
 */
import { AppError } from '../core/index.js'
import { detectLanguage, normalizeText } from '../nlp/index.js'
import { analyzeDocument } from './analyze.js'
import type { AddDocumentsResult, Bm25Index, IndexDocument } from './bm25.js'
import type { Chunk } from './chunk.js'

/** The lead's terms count this many times (an integer ≥ 0). */
export const DEFAULT_LEAD_WEIGHT = 3

export interface IndexDocumentOptions {
  /** How many times the lead's terms are indexed (default `DEFAULT_LEAD_WEIGHT`). */
  readonly leadWeight?: number
}

/**
 * The index document of a chunk. Its language is that of the whole indexed text (lead and text).
 *
 * @example
 *   toIndexDocument(chunkArticle({ id: 'a', title: 'Refunds', body: 'Within 30 days.' })[0])
 *   // { chunkId: 'a#0', articleId: 'a', language: 'en', terms: ['refund', 'refund', 'refund', 'within', '30', 'dai'] }
 */
export function toIndexDocument(chunk: Chunk, options: IndexDocumentOptions = {}): IndexDocument {
  const leadWeight = options.leadWeight ?? DEFAULT_LEAD_WEIGHT
  if (!(Number.isInteger(leadWeight) && leadWeight >= 0))
    throw new AppError('KB_INVALID_DOCUMENT', `leadWeight ${leadWeight}: must be an integer ≥ 0`)
  const terms: string[] = []
  if (leadWeight > 0 && chunk.lead !== '') {
    const lead = analyzeDocument(chunk.lead).terms
    for (let i = 0; i < leadWeight; i++) terms.push(...lead)
  }
  terms.push(...analyzeDocument(chunk.text).terms)
  const language = detectLanguage(normalizeText(chunk.indexText).normalized).language
  return { chunkId: chunk.chunkId, articleId: chunk.articleId, language, terms }
}

/**
 * Analyse and add chunks to an index; returns what was added and what was refused.
 *
 * @example
 *   const index = createIndex()
 *   indexChunks(index, chunkArticle(article))
 */
export function indexChunks(
  index: Bm25Index,
  chunks: readonly Chunk[],
  options: IndexDocumentOptions = {},
): AddDocumentsResult {
  return index.addDocuments(chunks.map((chunk) => toIndexDocument(chunk, options)))
}
