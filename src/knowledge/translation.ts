/** The shape of one translation of a query word, shared by the glossary and its dictionary fallback. */

/** One glossary (or dictionary) match of a query. */
export interface Translation {
  /** The matched side of the entry (as in the glossary). */
  readonly source: string
  /** The other side. */
  readonly target: string
  readonly targetLanguage: 'zh' | 'en'
  /** The glossary's category; `dictionary` for a dictionary sense. */
  readonly category: string
  /** Where it came from: the curated glossary, or the general dictionary for a word the glossary lacks. */
  readonly origin: 'glossary' | 'dictionary'
  /** The query words (their index terms) the match covers. */
  readonly concepts: readonly string[]
  /** Index terms of the target: Porter stems, or jieba words. */
  readonly terms: readonly string[]
  /** Chinese targets: their bigram terms (a secondary variant). */
  readonly bigrams: readonly string[]
}
