/**
 * The stored form of the BM25 index (`bm25.ts`): document records and postings, meant for two tables
 * (`kb_documents`, `kb_postings`), and the checks made before a snapshot read back from storage is trusted.
 */
import { AppError } from '../core/index.js'
import type { Language } from '../nlp/index.js'
import { isBigramTerm } from './analyze.js'

export const INDEX_FORMAT = 'agentcrm.knowledge.bm25'
export const INDEX_VERSION = 1

export interface Bm25Params {
  /** Term-frequency saturation (default 2.0). */
  readonly k1: number
  /** Length normalisation, 0 (none) to 1 (full) (default 0.75). */
  readonly b: number
}

/**
 * k1 = 2.0 rather than the textbook 1.2: the lead (title, question) is indexed three times, which raises
 * term frequencies, and on StackFAQ every k1 from 2.0 to 3.0 beat 1.2 (MRR +0.011 at b = 0.75; 2-fold
 * cross-validation over threads chose 2.5 and 3.0). See docs/decisions/2026-11-25-retrieval.md.
 */
export const DEFAULT_BM25_PARAMS: Bm25Params = Object.freeze({ k1: 2.0, b: 0.75 })

export const KNOWN_LANGUAGES: readonly Language[] = ['zh', 'en', 'mixed', 'other']

/** One indexed chunk (a row of `kb_documents`). */
export interface DocumentRecord {
  readonly chunkId: string
  readonly articleId: string
  readonly language: Language
  /** Number of word terms (with repeats). */
  readonly length: number
  /** Number of bigram terms (with repeats). */
  readonly bigramLength: number
}

/** A term's occurrence count in one chunk (a row of `kb_postings`, with the term). */
export interface Posting {
  readonly chunkId: string
  readonly tf: number
}

/**
 * The whole index as plain JSON-safe data. Canonical: documents sorted by chunk id, terms sorted, postings
 * of a term sorted by chunk id — so two indexes holding the same chunks have equal snapshots, however they
 * were built.
 */
export interface IndexSnapshot {
  readonly format: typeof INDEX_FORMAT
  readonly version: typeof INDEX_VERSION
  readonly params: Bm25Params
  readonly documents: readonly DocumentRecord[]
  readonly postings: Readonly<Record<string, readonly Posting[]>>
}

/** Code-unit order, the same in every locale (and in SQL `COLLATE "C"` / SQLite's default). */
export function compareCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0
}

/** Why BM25 parameters are unusable, or undefined when they are fine. */
export function paramsProblem({ k1, b }: Bm25Params): string | undefined {
  if (Number.isFinite(k1) && k1 >= 0 && Number.isFinite(b) && b >= 0 && b <= 1) return undefined
  return `BM25 parameters k1=${k1}, b=${b}: need k1 ≥ 0 and 0 ≤ b ≤ 1`
}

function invalid(message: string): AppError {
  return new AppError('KB_INVALID_SNAPSHOT', `invalid knowledge index snapshot: ${message}`)
}

/** A checked snapshot: its parameters and each document with its term counts. */
export interface ReadSnapshot {
  readonly params: Bm25Params
  readonly documents: { readonly record: DocumentRecord; readonly counts: Map<string, number> }[]
}

/**
 * Check a snapshot: known format and version, valid parameters, every posting naming an indexed chunk once,
 * positive integer counts, and each document's lengths equal to the sum of its postings. Throws
 * `KB_INVALID_SNAPSHOT` naming the first problem.
 */
export function readSnapshot(snapshot: IndexSnapshot): ReadSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null) throw invalid('not an object')
  if (snapshot.format !== INDEX_FORMAT)
    throw invalid(`format "${String(snapshot.format)}"; expected "${INDEX_FORMAT}"`)
  if (snapshot.version !== INDEX_VERSION)
    throw invalid(`version ${String(snapshot.version)}; this AgentCRM reads version ${INDEX_VERSION}`)
  if (typeof snapshot.params !== 'object' || snapshot.params === null) throw invalid('params missing')
  const params = { k1: snapshot.params.k1, b: snapshot.params.b }
  const problem = paramsProblem(params)
  if (problem) throw invalid(problem)
  if (!Array.isArray(snapshot.documents)) throw invalid('documents must be an array')
  if (typeof snapshot.postings !== 'object' || snapshot.postings === null) throw invalid('postings missing')

  const counts = new Map<string, Map<string, number>>()
  const records = new Map<string, DocumentRecord>()
  for (const record of snapshot.documents) {
    const { chunkId, articleId, language, length, bigramLength } = record ?? {}
    if (typeof chunkId !== 'string' || chunkId === '') throw invalid('a document has no chunkId')
    if (typeof articleId !== 'string' || articleId === '')
      throw invalid(`chunk "${chunkId}" has no articleId`)
    if (!KNOWN_LANGUAGES.includes(language))
      throw invalid(`chunk "${chunkId}" has language "${String(language)}"`)
    if (records.has(chunkId)) throw invalid(`chunk "${chunkId}" is listed twice`)
    records.set(chunkId, { chunkId, articleId, language, length, bigramLength })
    counts.set(chunkId, new Map())
  }
  for (const term of Object.keys(snapshot.postings)) {
    const list = snapshot.postings[term]
    if (term === '' || !Array.isArray(list)) throw invalid(`postings of "${term}" must be an array`)
    for (const posting of list) {
      const { chunkId, tf } = posting ?? {}
      const terms = counts.get(chunkId)
      if (!terms) throw invalid(`a posting of "${term}" names unknown chunk "${String(chunkId)}"`)
      if (!(Number.isInteger(tf) && tf > 0)) throw invalid(`posting "${term}" → "${chunkId}": tf must be ≥ 1`)
      if (terms.has(term)) throw invalid(`posting "${term}" → "${chunkId}" is listed twice`)
      terms.set(term, tf)
    }
  }
  const documents: { record: DocumentRecord; counts: Map<string, number> }[] = []
  for (const [chunkId, record] of records) {
    const terms = counts.get(chunkId) as Map<string, number>
    let length = 0
    let bigramLength = 0
    for (const [term, tf] of terms) {
      if (isBigramTerm(term)) bigramLength += tf
      else length += tf
    }
    if (record.length !== length || record.bigramLength !== bigramLength)
      throw invalid(
        `chunk "${chunkId}" records lengths ${record.length}/${record.bigramLength} but its postings sum to ${length}/${bigramLength}`,
      )
    documents.push({ record, counts: terms })
  }
  return { params, documents }
}
