import { describe, expect, it } from 'vitest'
import { AppError } from '../core/index.js'
import { BIGRAM_PREFIX } from './analyze.js'
import { createIndex, loadIndex, type IndexDocument, type IndexSnapshot, type QueryTerm } from './bm25.js'

const doc = (
  chunkId: string,
  terms: string[],
  language: IndexDocument['language'] = 'en',
): IndexDocument => ({
  chunkId,
  articleId: chunkId.split('#')[0],
  language,
  terms,
})

const corpus: IndexDocument[] = [
  doc('refund#0', ['refund', 'polici', 'dai', 'refund']),
  doc('refund#1', ['refund', 'card', 'bank', 'dai', 'busi']),
  doc('ship#0', ['ship', 'time', 'dai', 'courier']),
  doc('ship#1', ['ship', 'intern', 'custom', 'duti']),
  doc('warranty#0', ['warranti', 'repair', 'year']),
  doc('zh#0', ['退款', '流程', `${BIGRAM_PREFIX}退款`, `${BIGRAM_PREFIX}流程`], 'zh'),
]

const queries: (string | QueryTerm)[][] = [
  ['refund'],
  ['refund', 'dai'],
  ['ship', 'custom'],
  ['dai'],
  ['repair', 'warranti', 'refund'],
  ['退款', `${BIGRAM_PREFIX}退款`],
  ['nothing'],
]

describe('BM25 index', () => {
  it('ranks articles by their best chunk, each article once', () => {
    const index = createIndex()
    index.addDocuments(corpus)
    const hits = index.search(['refund'])
    expect(hits.map((hit) => hit.articleId)).toEqual(['refund'])
    expect(hits[0].chunkId).toBe('refund#0') // tf 2 in a short chunk beats tf 1
    const days = index.search(['dai'])
    expect(days.map((hit) => hit.articleId).sort()).toEqual(['refund', 'ship'])
    expect(index.search(['dai'], { groupBy: 'chunk' })).toHaveLength(3)
  })

  it('computes Okapi BM25 with the given k1 and b', () => {
    const index = createIndex({ k1: 1.2, b: 0.75 })
    index.addDocuments([doc('a#0', ['x', 'y']), doc('b#0', ['y', 'y', 'z', 'w'])])
    const [hit] = index.search(['x'])
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))
    const norm = 1 - 0.75 + (0.75 * 2) / 3
    expect(hit.score).toBeCloseTo((idf * 1 * 2.2) / (1 + 1.2 * norm), 12)
    expect(index.idf('x')).toBeCloseTo(idf, 12)
  })

  it('gives the same results after incremental adds and removes as a rebuild', () => {
    const incremental = createIndex()
    incremental.addDocuments(corpus.slice(0, 3))
    incremental.addDocuments([
      doc('gone#0', ['refund', 'ship', 'dai']),
      doc('gone#1', ['custom', 'warranti']),
    ])
    incremental.addDocuments(corpus.slice(3))
    expect(incremental.removeDocuments('gone').removed.sort()).toEqual(['gone#0', 'gone#1'])
    incremental.removeDocuments('ship')
    incremental.addDocuments(corpus.filter((document) => document.articleId === 'ship'))

    const rebuilt = createIndex()
    rebuilt.addDocuments([...corpus].reverse())
    for (const query of queries) expect(incremental.search(query)).toEqual(rebuilt.search(query))
    expect(incremental.toJSON()).toEqual(rebuilt.toJSON())
  })

  it('serialises to plain JSON and loads back to the same results', () => {
    const index = createIndex({ k1: 1.5, b: 0.5 })
    index.addDocuments(corpus)
    const snapshot = JSON.parse(JSON.stringify(index.toJSON())) as IndexSnapshot
    const loaded = loadIndex(snapshot)
    expect(loaded.params).toEqual({ k1: 1.5, b: 0.5 })
    expect(loaded.size).toBe(corpus.length)
    for (const query of queries) expect(loaded.search(query)).toEqual(index.search(query))
    expect(loaded.toJSON()).toEqual(snapshot)
  })

  it('keeps documents and postings as table-shaped records', () => {
    const index = createIndex()
    index.addDocuments([doc('zh#0', ['退款', '退款', `${BIGRAM_PREFIX}退款`], 'zh')])
    expect(index.toJSON()).toEqual({
      format: 'agentcrm.knowledge.bm25',
      version: 1,
      params: { k1: 2, b: 0.75 },
      documents: [{ chunkId: 'zh#0', articleId: 'zh', language: 'zh', length: 2, bigramLength: 1 }],
      postings: {
        [`${BIGRAM_PREFIX}退款`]: [{ chunkId: 'zh#0', tf: 1 }],
        退款: [{ chunkId: 'zh#0', tf: 2 }],
      },
    })
  })

  it('answers an empty index, an empty query and a zero limit with no hits', () => {
    const empty = createIndex()
    expect(empty.search(['refund'])).toEqual([])
    expect(empty.removeDocuments('nothing')).toEqual({ removed: [] })
    expect(loadIndex(empty.toJSON()).search(['refund'])).toEqual([])
    const index = createIndex()
    index.addDocuments(corpus)
    expect(index.search([])).toEqual([])
    expect(index.search(['refund'], { limit: 0 })).toEqual([])
  })

  it('treats terms like "constructor" and "__proto__" as ordinary words', () => {
    const index = createIndex()
    index.addDocuments([doc('a#0', ['constructor', '__proto__', 'tostr'])])
    expect(index.search(['constructor']).map((hit) => hit.chunkId)).toEqual(['a#0'])
    expect(index.search(['hasownproperti'])).toEqual([])
    const loaded = loadIndex(JSON.parse(JSON.stringify(index.toJSON())) as IndexSnapshot)
    expect(loaded.search(['__proto__']).map((hit) => hit.chunkId)).toEqual(['a#0'])
  })

  it('refuses BM25 parameters out of range', () => {
    expect(() => createIndex({ b: 1.5 })).toThrow(/need k1 ≥ 0 and 0 ≤ b ≤ 1/)
  })

  it('filters by language', () => {
    const index = createIndex()
    index.addDocuments([doc('en#0', ['refund']), doc('zh#0', ['refund', '退款'], 'zh')])
    expect(index.search(['refund'], { languages: ['zh'] }).map((hit) => hit.articleId)).toEqual(['zh'])
  })

  it('rejects bad and duplicate documents without indexing them, and reports each', () => {
    const index = createIndex()
    const result = index.addDocuments([
      doc('a#0', ['x']),
      doc('a#0', ['y']),
      { chunkId: '', articleId: 'b', language: 'en', terms: ['x'] },
      { chunkId: 'c#0', articleId: 'c', language: 'fr' as 'en', terms: ['x'] },
      doc('d#0', ['z']),
    ])
    expect(result.added).toEqual(['a#0', 'd#0'])
    expect(result.rejected.map(({ error }) => error.code)).toEqual([
      'KB_DUPLICATE_CHUNK',
      'KB_INVALID_DOCUMENT',
      'KB_INVALID_DOCUMENT',
    ])
    expect(result.rejected[2].error.message).toMatch(/language "fr"; known: zh, en, mixed, other/)
    expect(index.search(['y'])).toEqual([])
  })

  it('refuses inconsistent snapshots, naming what is wrong', () => {
    const index = createIndex()
    index.addDocuments(corpus)
    const good = index.toJSON()
    const bad = (change: (snapshot: Record<string, unknown>) => void): IndexSnapshot => {
      const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>
      change(copy)
      return copy as unknown as IndexSnapshot
    }
    const cases: [IndexSnapshot, RegExp][] = [
      [bad((s) => (s.format = 'other')), /format "other"/],
      [bad((s) => (s.version = 2)), /version 2/],
      [bad((s) => (s.params = { k1: -1, b: 0.75 })), /k1=-1/],
      [
        bad((s) => ((s.postings as Record<string, unknown>).refund = [{ chunkId: 'missing#0', tf: 1 }])),
        /unknown chunk/,
      ],
      [
        bad((s) => ((s.postings as Record<string, unknown>).refund = [{ chunkId: 'refund#0', tf: 0 }])),
        /tf must be/,
      ],
      [bad((s) => ((s.documents as { length: number }[])[0].length = 99)), /records lengths 99/],
    ]
    for (const [snapshot, message] of cases) {
      expect(() => loadIndex(snapshot)).toThrow(AppError)
      expect(() => loadIndex(snapshot)).toThrow(message)
    }
  })
})

describe('match strength', () => {
  const index = createIndex()
  index.addDocuments([
    doc('a#0', ['refund', 'polici', 'common']),
    doc('b#0', ['ship', 'common']),
    doc('c#0', ['warranti', 'common']),
  ])

  it('is 1 when the chunk holds every query word and 0 when it holds none', () => {
    const [hit] = index.search(['refund', 'polici'])
    expect(hit.strength).toBe(1)
    expect(hit.matchedTerms).toEqual(['refund', 'polici'])
  })

  it('is the matched share of the query’s IDF mass, so a missing rare word costs more than a common one', () => {
    const missingRare = index.search(['common', 'unknownword'])[0].strength
    const missingCommon = index.search(['refund', 'nothinglikethis', 'common'])
    expect(missingRare).toBeLessThan(0.5)
    const mass = index.idf('refund') + index.idf('nothinglikethis') + index.idf('common')
    expect(missingCommon[0].strength).toBeCloseTo((index.idf('refund') + index.idf('common')) / mass, 12)
  })

  it('credits a concept matched only through a weighted variant by that weight', () => {
    const query: QueryTerm[] = [
      { term: '退款', weight: 1, concept: '退款', variant: 'self' },
      { term: 'refund', weight: 0.6, concept: '退款', variant: 'en:refund' },
      { term: 'monei', weight: 0.6, concept: '退款', variant: 'en:money back' },
      { term: 'back', weight: 0.6, concept: '退款', variant: 'en:money back' },
    ]
    const [hit] = index.search(query)
    expect(hit.articleId).toBe('a')
    expect(hit.strength).toBeCloseTo(0.6, 12)
    expect(index.explain(query, 'a#0')).toEqual([{ term: 'refund', contribution: hit.score }])
  })

  it('is given for any one chunk by strengthOf, as search gives it, and 0 for an unknown chunk', () => {
    const query = ['refund', 'ship', 'common']
    for (const hit of index.search(query)) expect(index.strengthOf(query, hit.chunkId)).toBe(hit.strength)
    expect(index.strengthOf(['ship'], 'a#0')).toBe(0)
    expect(index.strengthOf(query, 'nope#0')).toBe(0)
    expect(index.strengthOf([], 'a#0')).toBe(0)
  })
})

describe('bilingual scoring', () => {
  const english = [
    doc('en1#0', ['sofa', 'frame', 'warranti']),
    doc('en2#0', ['deliveri', 'time']),
    doc('en3#0', ['deliveri', 'fee', 'time']),
  ]
  const chinese = [
    doc('zh1#0', ['沙发', '清洁'], 'zh'),
    doc('zh2#0', ['沙发', '配送'], 'zh'),
    doc('zh3#0', ['配送', '时间'], 'zh'),
  ]

  it('computes a term’s IDF among the chunks not written in the other language', () => {
    const bilingual = createIndex()
    bilingual.addDocuments([...english, ...chinese, doc('mixed#0', ['沙发', 'sofa'], 'mixed')])
    const chineseOnly = createIndex()
    chineseOnly.addDocuments([...chinese, doc('mixed#0', ['沙发', 'sofa'], 'mixed')])
    const englishOnly = createIndex()
    englishOnly.addDocuments([...english, doc('mixed#0', ['沙发', 'sofa'], 'mixed')])
    expect(bilingual.idf('沙发')).toBeCloseTo(chineseOnly.idf('沙发'), 12)
    expect(bilingual.idf(`${BIGRAM_PREFIX}沙发`)).toBeCloseTo(chineseOnly.idf(`${BIGRAM_PREFIX}沙发`), 12)
    expect(bilingual.idf('deliveri')).toBeCloseTo(englishOnly.idf('deliveri'), 12)
    // a word in half the Chinese chunks is frequent, not rare because the English half lacks it
    expect(bilingual.idf('沙发')).toBeLessThan(Math.log(1 + (7 - 3 + 0.5) / (3 + 0.5)))
    // numbers belong to no language: counted among all chunks
    bilingual.addDocuments([doc('n#0', ['2026'], 'other')])
    expect(bilingual.idf('2026')).toBeCloseTo(Math.log(1 + (8 - 1 + 0.5) / 1.5), 12)
  })

  it('keeps those counts right through removals and reloads', () => {
    const index = createIndex()
    index.addDocuments([...english, ...chinese])
    index.addDocuments([doc('gone#0', ['沙发', 'sofa'], 'en')])
    index.removeDocuments('gone')
    const rebuilt = createIndex()
    rebuilt.addDocuments([...chinese, ...english])
    for (const term of ['沙发', 'sofa', '配送', 'time', 'missing'])
      expect(index.idf(term)).toBeCloseTo(rebuilt.idf(term), 12)
    expect(loadIndex(index.toJSON()).idf('沙发')).toBeCloseTo(rebuilt.idf('沙发'), 12)
  })

  it('scores a concept’s alternatives as the best one plus a share of the others', () => {
    const index = createIndex()
    index.addDocuments([...english, ...chinese])
    const own: QueryTerm = { term: '运送', weight: 1, concept: '运送', variant: 'self' }
    const sense = (term: string): QueryTerm => ({
      term,
      weight: 0.4,
      concept: '运送',
      variant: `dictionary:en:${term}`,
      alternative: `dictionary:en:${term}`,
    })
    const alone = index.explain([own, sense('deliveri')], 'en3#0')
    const both = index.explain([own, sense('deliveri'), sense('fee')], 'en3#0')
    const plain = index.explain([own, sense('deliveri'), sense('fee')], 'en3#0', { tieBreaker: 1 })
    const contribution = (list: { term: string; contribution: number }[], term: string) =>
      list.find((entry) => entry.term === term)?.contribution ?? 0
    const best = Math.max(contribution(plain, 'deliveri'), contribution(plain, 'fee'))
    const other = Math.min(contribution(plain, 'deliveri'), contribution(plain, 'fee'))
    const [hit] = index.search([own, sense('deliveri'), sense('fee')], { groupBy: 'chunk' })
    expect(hit.chunkId).toBe('en3#0')
    expect(hit.score).toBeCloseTo(best + 0.3 * other, 12)
    expect(both.reduce((sum, entry) => sum + entry.contribution, 0)).toBeCloseTo(hit.score, 12)
    expect(alone).toHaveLength(1)
    // terms of one alternative (a phrase) still add up
    const phrase = (term: string): QueryTerm => ({ ...sense(term), alternative: 'en:delivery fee' })
    const [phraseHit] = index.search([own, phrase('deliveri'), phrase('fee')], { groupBy: 'chunk' })
    expect(phraseHit.score).toBeCloseTo(best + other, 12)
  })

  it('ignores alternatives that match nothing in the collection, for scores and strength alike', () => {
    const index = createIndex()
    index.addDocuments([...english, ...chinese])
    const query: QueryTerm[] = [
      { term: '沙发', weight: 1, concept: '沙发', variant: 'self' },
      { term: 'sofa', weight: 0.4, concept: '沙发', variant: 'en:sofa', alternative: 'en:sofa' },
    ]
    const noise: QueryTerm[] = ['couch', 'settee'].map((term) => ({
      term,
      weight: 0.4,
      concept: '沙发',
      variant: `en:${term}`,
      alternative: `en:${term}`,
    }))
    expect(index.search([...query, ...noise])).toEqual(index.search(query))
  })
})
