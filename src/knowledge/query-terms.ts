/**
 * Weighted query terms and the small pieces of BM25 scoring that read them (`bm25.ts`): which occurrence
 * of a repeated term counts, how a concept's alternative renderings combine, and which language a term
 * belongs to (for the per-language IDF).
 */

/** A weighted query term; see bm25.ts for concepts, variants and alternatives. */
export interface QueryTerm {
  readonly term: string
  /** Multiplies the term's BM25 contribution; 1 for the query's own words. */
  readonly weight: number
  /** The query word this term stands for (its own term for an own word). */
  readonly concept: string
  /** Which rendering of the concept the term belongs to (`self`, `parts`, `bigrams`, `en:money back`, …). */
  readonly variant: string
  /**
   * Set on a term of one of several alternative renderings of its concept (a translation sense): the
   * terms of one alternative add up; a concept's alternatives compete (bm25.ts).
   */
  readonly alternative?: string
}

/** Per concept, the summed contribution of each of its alternatives in one chunk. */
export type Alternatives = Map<string, Map<string, number>>

export function addAlternative(byConcept: Alternatives, owner: QueryTerm, contribution: number): void {
  let byAlternative = byConcept.get(owner.concept)
  if (!byAlternative) byConcept.set(owner.concept, (byAlternative = new Map()))
  const key = owner.alternative as string
  byAlternative.set(key, (byAlternative.get(key) ?? 0) + contribution)
}

export function bestAndSum(byAlternative: ReadonlyMap<string, number>): {
  alternative: string
  best: number
  sum: number
} {
  let alternative = ''
  let best = -1
  let sum = 0
  for (const [key, value] of byAlternative) {
    sum += value
    if (value > best || (value === best && key < alternative)) {
      best = value
      alternative = key
    }
  }
  return { alternative, best, sum }
}

/**
 * Each distinct term of a query with the occurrence it counts as: the largest weight, the first listed on
 * a tie (the retriever lists the query's own words first, so a word that is also a translation counts as
 * the query's own).
 */
export function termOwners(terms: readonly QueryTerm[]): Map<string, QueryTerm> {
  const owners = new Map<string, QueryTerm>()
  for (const term of terms) {
    const current = owners.get(term.term)
    if (!current || term.weight > current.weight) owners.set(term.term, term)
  }
  return owners
}

const HAN_TERM = /\p{Script=Han}/u
const LETTER = /\p{L}/u

/** The language a term belongs to: `zh` for Han characters (bigrams too), `en` for letters, else none. */
export function termLanguage(term: string): 'zh' | 'en' | undefined {
  let letter = false
  for (let i = 0; i < term.length; i++) {
    const code = term.charCodeAt(i)
    if (code < 0x80) {
      if ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) letter = true
    } else return HAN_TERM.test(term) ? 'zh' : LETTER.test(term) ? 'en' : undefined
  }
  return letter ? 'en' : undefined
}

export function otherLanguage(language: 'zh' | 'en' | undefined): 'zh' | 'en' | undefined {
  return language === 'zh' ? 'en' : language === 'en' ? 'zh' : undefined
}
