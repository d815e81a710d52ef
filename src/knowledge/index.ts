// Knowledge base retrieval: chunking, analysis, a BM25 index kept as plain data, the bilingual glossary (with
// CC-CEDICT as its fallback) and the retriever (docs/decisions/2026-11-25-retrieval.md). Pure: no database, no network.
export {
  DEFAULT_MAX_UNITS,
  DEFAULT_MIN_UNITS,
  chunkArticle,
  chunkFaq,
  textUnits,
  type ArticleInput,
  type Chunk,
  type ChunkKind,
  type ChunkOptions,
  type FaqEntryInput,
} from './chunk.js'
export {
  BIGRAM_PREFIX,
  MAX_QUERY_CHARS,
  MAX_TERM_LENGTH,
  analyzeDocument,
  analyzeQuery,
  englishStems,
  isBigramTerm,
  type AnalyzeQueryOptions,
  type AnalyzedDocument,
  type AnalyzedQuery,
  type AnalyzedWord,
  type WordScript,
} from './analyze.js'
export { stem } from './stem.js'
export { CHINESE_STOPWORDS, ENGLISH_STOPWORDS } from './stopwords.js'
export {
  DEFAULT_BM25_PARAMS,
  DEFAULT_TIE_BREAKER,
  INDEX_FORMAT,
  INDEX_VERSION,
  createIndex,
  loadIndex,
  type AddDocumentsResult,
  type Bm25Index,
  type Bm25Params,
  type DocumentRecord,
  type ExplainOptions,
  type IndexDocument,
  type IndexSnapshot,
  type Posting,
  type QueryTerm,
  type RemoveDocumentsResult,
  type SearchHit,
  type SearchOptions,
  type TermContribution,
} from './bm25.js'
export { readSnapshot, type ReadSnapshot } from './index-snapshot.js'
export { DEFAULT_LEAD_WEIGHT, indexChunks, toIndexDocument, type IndexDocumentOptions } from './documents.js'
export {
  CC_CEDICT_MODULE,
  builtInDictionary,
  createDictionary,
  loadCcCedict,
  parseCedict,
  type CreateDictionaryOptions,
  type DictionaryEntry,
  type ParseCedictOptions,
  type TranslationDictionary,
} from './dictionary.js'
export {
  BUILT_IN_GLOSSARY,
  BUILT_IN_GLOSSARY_URL,
  DEFAULT_DICTIONARY_WEIGHT,
  DEFAULT_TRANSLATION_BIGRAM_WEIGHT,
  DEFAULT_TRANSLATION_WEIGHT,
  createGlossary,
  parseGlossary,
  translateQuery,
  type Glossary,
  type GlossaryEntry,
  type TranslateOptions,
  type TranslatedQuery,
  type Translation,
} from './glossary.js'
export {
  DEFAULT_BIGRAM_WEIGHT,
  DEFAULT_PART_WEIGHT,
  DEFAULT_RETRIEVE_LIMIT,
  createRetriever,
  ownQueryTerms,
  type RetrievalHit,
  type RetrievalResult,
  type RetrieveOptions,
  type Retriever,
  type RetrieverOptions,
} from './retriever.js'
// Knowledge-base records, file import and the run-time service (issue 4, items 1–2).
export * from './articles.js'
export {
  parseFaqFile,
  parseFaqRow,
  parseMarkdownArticle,
  type FaqFileRow,
  type ParseResult,
} from './import-files.js'
export {
  chunksOf,
  createKnowledgeService,
  type EvaluationRow,
  type KnowledgeSearchHit,
  type KnowledgeSearchResult,
  type KnowledgeService,
  type KnowledgeStore,
  type RetrievalEvaluation,
} from './knowledge-service.js'
export {
  DEMO_KNOWLEDGE_DIR,
  importKnowledgePath,
  type ImportReport,
  type KnowledgeSaver,
} from './import-path.js'
