/**
 * The general dictionary as the glossary's fallback (`translateQuery` calls it): translations of the query
 * words that no glossary entry covers, in the glossary's `Translation` shape, marked `origin: dictionary`.
 *
 * - Chinese → English: a jieba word of the query is looked up whole; when the dictionary lacks it, it is cut
 *   into the longest headwords it holds (stopwords skipped), each sense attached to the whole word.
 * - English → Chinese: at each query word the glossary left alone, the longest dictionary phrase (as stems)
 *   over consecutive such words; a Chinese target is searched as its jieba words and their bigrams.
 */
import type { Language } from '../nlp/index.js'
import { analyzeQuery, type AnalyzedQuery } from './analyze.js'
import type { DictionaryEntry, TranslationDictionary } from './dictionary.js'
import type { Translation } from './translation.js'
import { CHINESE_STOPWORDS } from './stopwords.js'

/**
 * Dictionary translations of the query words not in `covered` (the concepts the glossary translated), for
 * the direction `from` as in `translateQuery`. `source` may be a function: it is called only when there is
 * a word to translate, so a dictionary can load on first use.
 *
 * @example
 *   dictionaryTranslations(analyzeQuery('沙发框架'), 'zh', new Set(), builtInDictionary).map((t) => t.target)
 *   // ['sofa', 'frame', 'framework']
 */
export function dictionaryTranslations(
  query: AnalyzedQuery,
  from: Language,
  covered: ReadonlySet<string>,
  source: TranslationDictionary | (() => TranslationDictionary),
): Translation[] {
  const chineseWords =
    from === 'zh' || from === 'mixed'
      ? query.words.filter((word) => word.script === 'han' && !covered.has(word.term))
      : []
  const englishWords =
    from === 'en' || from === 'mixed'
      ? query.words.filter((word) => word.script === 'alphabetic' && !covered.has(word.term))
      : []
  if (chineseWords.length === 0 && englishWords.length === 0) return []
  const dictionary = typeof source === 'function' ? source() : source
  const out: Translation[] = []
  const seen = new Set<string>()
  const add = (entry: DictionaryEntry, targetLanguage: 'zh' | 'en', concepts: readonly string[]): void => {
    const key = `${targetLanguage}\t${entry.zh}\t${entry.en}`
    if (seen.has(key)) return
    seen.add(key)
    const target =
      targetLanguage === 'en' ? { terms: [...entry.stems], bigrams: [] } : chineseTarget(entry.zh)
    if (target.terms.length === 0 && target.bigrams.length === 0) return
    out.push({
      source: targetLanguage === 'en' ? entry.zh : entry.en,
      target: targetLanguage === 'en' ? entry.en : entry.zh,
      targetLanguage,
      category: 'dictionary',
      origin: 'dictionary',
      concepts,
      terms: target.terms,
      bigrams: target.bigrams,
    })
  }
  for (const word of chineseWords) {
    const whole = dictionary.chinese(word.term)
    if (whole.length > 0) {
      for (const entry of whole) add(entry, 'en', [word.term])
      continue
    }
    for (const piece of longestHeadwords(word.term, dictionary))
      if (!CHINESE_STOPWORDS.has(piece))
        for (const entry of dictionary.chinese(piece)) add(entry, 'en', [word.term])
  }
  // Phrases run over consecutive uncovered words of the query only.
  const uncovered = new Set(englishWords)
  const alphabetic = query.words.filter((word) => word.script === 'alphabetic')
  for (let i = 0; i < alphabetic.length; i++) {
    if (!uncovered.has(alphabetic[i])) continue
    let run = 1
    while (run < dictionary.longestEnglish && uncovered.has(alphabetic[i + run])) run++
    for (let length = run; length >= 1; length--) {
      const stems = alphabetic.slice(i, i + length).map((word) => word.term)
      const entries = dictionary.english(stems)
      if (entries.length === 0) continue
      for (const entry of entries) add(entry, 'zh', stems)
      break
    }
  }
  return out
}

/**
 * A Chinese word cut into the longest dictionary headwords it holds, left to right (unknown characters
 * skipped): compounds the dictionary lacks are mostly built of words it has (`尘袋` → `尘` + `袋`, dust
 * bag). A name built of single characters (`云闪付`) gets a few wrong senses; its own term still counts most.
 */
function longestHeadwords(word: string, dictionary: TranslationDictionary): string[] {
  const pieces: string[] = []
  let i = 0
  while (i < word.length) {
    let found = 0
    for (let length = Math.min(dictionary.longestChinese, word.length - i); length >= 1; length--) {
      if (dictionary.chinese(word.slice(i, i + length)).length > 0) {
        found = length
        break
      }
    }
    if (found === 0) i++
    else {
      pieces.push(word.slice(i, i + found))
      i += found
    }
  }
  return pieces
}

const chineseTargetCache = new Map<string, { terms: string[]; bigrams: string[] }>()
const MAX_CACHED_TARGETS = 10_000

/** Index terms of a Chinese dictionary word: its jieba words and their bigrams. */
function chineseTarget(zh: string): { terms: string[]; bigrams: string[] } {
  let cached = chineseTargetCache.get(zh)
  if (!cached) {
    const words = analyzeQuery(zh, { maxLength: Infinity }).words
    cached = {
      terms: [...new Set(words.map((word) => word.term))],
      bigrams: [...new Set(words.flatMap((word) => word.bigrams))],
    }
    if (chineseTargetCache.size >= MAX_CACHED_TARGETS) chineseTargetCache.clear()
    chineseTargetCache.set(zh, cached)
  }
  return cached
}
