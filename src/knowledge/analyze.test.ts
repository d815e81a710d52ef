import { describe, expect, it } from 'vitest'
import { BIGRAM_PREFIX, MAX_QUERY_CHARS, analyzeDocument, analyzeQuery, hanBigrams } from './analyze.js'

const terms = (text: string): string[] => analyzeQuery(text).words.map((word) => word.term)

describe('analyzeQuery', () => {
  it('drops English stopwords and stems the rest', () => {
    expect(terms('How do I get my REFUNDS?')).toEqual(['refund'])
    expect(terms('Shipping to Canada')).toEqual(['ship', 'canada'])
  })

  it('handles apostrophes: contractions are stopwords, possessives lose their s', () => {
    expect(terms("I don't see the seller's reply")).toEqual(['see', 'seller', 'repli'])
    expect(terms('I’m waiting')).toEqual(['wait'])
  })

  it('cuts Chinese into jieba words, without stopwords, with parts and bigrams', () => {
    const { words } = analyzeQuery('请问售后服务怎么联系？')
    expect(words.map((word) => word.term)).toEqual(['售后服务', '联系'])
    expect(words[0].parts).toEqual(['售后', '服务'])
    expect(words[0].bigrams).toEqual([`${BIGRAM_PREFIX}售后`, `${BIGRAM_PREFIX}后服`, `${BIGRAM_PREFIX}服务`])
    expect(words[0].script).toBe('han')
  })

  it('normalises Traditional Chinese and full-width forms first', () => {
    expect(terms('我要退貨')).toEqual(terms('我要退货'))
    expect(terms('ＲＥＦＵＮＤ')).toEqual(['refund'])
  })

  it('gives word offsets into the normalised text', () => {
    const query = analyzeQuery('Where is my iPhone 退款?')
    for (const word of query.words) expect(query.normalized.slice(word.start, word.end)).toBe(word.surface)
    expect(query.language).toBe('mixed')
  })

  it('has no words for empty, punctuation-only or emoji-only text', () => {
    for (const text of ['', '   ', '?!。，', '😀👍🏻']) expect(analyzeQuery(text).words).toEqual([])
    expect(analyzeQuery('😀').language).toBe('other')
  })

  it('analyses at most MAX_QUERY_CHARS code units and says so', () => {
    const query = analyzeQuery('refund '.repeat(10_000))
    expect(query.truncated).toBe(true)
    expect(query.normalized.length).toBeLessThanOrEqual(MAX_QUERY_CHARS)
    expect(analyzeQuery('refund').truncated).toBe(false)
  })

  it('drops words too long to be words (hashes, URLs without separators)', () => {
    expect(terms(`code ${'a'.repeat(60)}`)).toEqual(['code'])
  })
})

describe('analyzeDocument', () => {
  it('indexes Chinese in search mode plus every Han bigram', () => {
    const { terms: documentTerms, language } = analyzeDocument('售后服务电话')
    expect(language).toBe('zh')
    expect(documentTerms).toEqual(
      expect.arrayContaining(['售后', '服务', '售后服务', '电话', `${BIGRAM_PREFIX}务电`]),
    )
  })

  it('repeats a term as often as it occurs', () => {
    const { terms: documentTerms } = analyzeDocument('Refund, refunds and refunded orders.')
    expect(documentTerms.filter((term) => term === 'refund')).toHaveLength(3)
    expect(documentTerms).toContain('order')
  })
})

describe('hanBigrams', () => {
  it('pairs adjacent Han characters only', () => {
    expect(hanBigrams('退款a申请')).toEqual([`${BIGRAM_PREFIX}退款`, `${BIGRAM_PREFIX}申请`])
    expect(hanBigrams('退')).toEqual([])
  })
})
