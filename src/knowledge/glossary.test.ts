import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AppError } from '../core/index.js'
import { analyzeQuery } from './analyze.js'
import { createDictionary, parseCedict } from './dictionary.js'
import {
  BUILT_IN_GLOSSARY,
  BUILT_IN_GLOSSARY_URL,
  createGlossary,
  parseGlossary,
  translateQuery,
} from './glossary.js'

const targets = (query: string, from: 'zh' | 'en' | 'mixed' | 'other' = 'zh'): string[] =>
  translateQuery(analyzeQuery(query), from).translations.map((translation) => translation.target)

describe('the built-in glossary', () => {
  it('loads 400–700 generic rows covering the customer-service topics', () => {
    const entries = BUILT_IN_GLOSSARY.entries
    expect(entries.length).toBeGreaterThanOrEqual(400)
    expect(entries.length).toBeLessThanOrEqual(700)
    const categories = new Set(entries.map((entry) => entry.category))
    for (const category of [
      'order',
      'shipping',
      'tracking',
      'return',
      'refund',
      'exchange',
      'warranty',
      'payment',
    ])
      expect(categories).toContain(category)
    for (const category of [
      'invoice',
      'coupon',
      'membership',
      'account',
      'verification',
      'address',
      'service',
    ])
      expect(categories).toContain(category)
  })

  it('has no repeated row and only Simplified Chinese on the zh side', () => {
    const text = readFileSync(BUILT_IN_GLOSSARY_URL, 'utf8')
    const rows = text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .slice(1)
    expect(new Set(rows).size).toBe(rows.length)
    expect(parseGlossary(text)).toHaveLength(rows.length)
  })

  it('holds synonyms and colloquial forms, many-to-many', () => {
    const refund = BUILT_IN_GLOSSARY.chinese('退款').map((entry) => entry.en)
    expect(refund).toEqual(expect.arrayContaining(['refund', 'money back']))
    expect(BUILT_IN_GLOSSARY.chinese('退钱').length).toBeGreaterThan(0)
    expect(BUILT_IN_GLOSSARY.english(['refund']).map((entry) => entry.zh)).toEqual(
      expect.arrayContaining(['退款', '退钱']),
    )
  })
})

describe('parseGlossary', () => {
  it('reads rows, skips comments, blank lines and the header, and normalises both sides', () => {
    const entries = parseGlossary(
      '# comment\nzh\ten\tcategory\n\n退貨\tReturn\treturn\n退货\treturn\treturn\n',
    )
    expect(entries).toEqual([{ zh: '退货', en: 'return', category: 'return' }])
  })

  it('lists bad lines with their numbers', () => {
    let error: unknown
    try {
      parseGlossary('退款\trefund\n\nrefund\t退款\trefund\n退款\trefund\trefund\n', 'mine.tsv')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('KB_INVALID_GLOSSARY')
    expect((error as AppError).message).toMatch(/^mine\.tsv: 2 bad line\(s\); first: line 1/)
    expect((error as AppError).details).toEqual({
      errors: [
        { line: 1, message: 'expected 3 tab-separated fields (zh, en, category), found 2' },
        { line: 3, message: 'zh "refund" holds no Chinese character' },
      ],
    })
  })
})

describe('translateQuery', () => {
  it('translates Chinese words to English terms attached to the query word', () => {
    const { translations, terms } = translateQuery(analyzeQuery('我要退款'), 'zh')
    expect(translations.map((translation) => translation.target)).toEqual(
      expect.arrayContaining(['refund', 'money back']),
    )
    expect(terms).toContainEqual({
      term: 'refund',
      weight: 0.6,
      concept: '退款',
      variant: 'en:refund',
      alternative: 'en:refund',
    })
    expect(terms).toContainEqual({
      term: 'monei',
      weight: 0.6,
      concept: '退款',
      variant: 'en:money back',
      alternative: 'en:money back',
    })
  })

  it('finds entries across and inside jieba words by substring', () => {
    expect(targets('支持七天无理由吗')).toContain('7-day no-reason return')
    expect(targets('退款单在哪里')).toContain('refund')
  })

  it('matches English phrases by stems, longest at each word, overlapping', () => {
    expect(targets('Do you offer Cash-on-Delivery?', 'en')).toContain('货到付款')
    const delivery = targets('how long does delivery take', 'en')
    expect(delivery).toEqual(expect.arrayContaining(['多久到', '配送']))
  })

  it('turns Chinese targets into jieba words and bigrams at a lower weight', () => {
    const { terms } = translateQuery(analyzeQuery('refund'), 'en')
    expect(terms).toContainEqual({
      term: '退款',
      weight: 0.6,
      concept: 'refund',
      variant: 'zh:退款',
      alternative: 'zh:退款',
    })
    // a target's bigrams belong to the same alternative as its words: they add up, other senses compete
    expect(terms).toContainEqual({
      term: 'bi:退款',
      weight: expect.closeTo(0.18, 10) as number,
      concept: 'refund',
      variant: 'zh:退款:bigrams',
      alternative: 'zh:退款',
    })
  })

  it('translates by direction: zh, en, both for mixed, nothing for other', () => {
    const query = analyzeQuery('refund 发票')
    expect(targets('refund 发票', 'zh')).toContain('invoice')
    expect(targets('refund 发票', 'zh')).not.toContain('退款')
    expect(targets('refund 发票', 'en')).toContain('退款')
    expect(translateQuery(query, 'mixed').translations.length).toBeGreaterThan(
      translateQuery(query, 'zh').translations.length,
    )
    expect(translateQuery(query, 'other').terms).toEqual([])
  })

  it('uses a custom glossary when given one', () => {
    const glossary = createGlossary([{ zh: '飞船', en: 'spaceship', category: 'test' }])
    expect(translateQuery(analyzeQuery('飞船'), 'zh', { glossary }).translations).toEqual([
      expect.objectContaining({
        source: '飞船',
        target: 'spaceship',
        targetLanguage: 'en',
        terms: ['spaceship'],
      }),
    ])
    expect(translateQuery(analyzeQuery('退款'), 'zh', { glossary }).translations).toEqual([])
  })
})

describe('translateQuery with a dictionary fallback', () => {
  const dictionary = createDictionary(
    parseCedict(
      [
        '沙發 沙发 [sha1 fa1] /(loanword) sofa/',
        '塵 尘 [chen2] /dust/dirt/',
        '袋 袋 [dai4] /pouch/bag/',
        '退款 退款 [tui4 kuan3] /payback/',
        '燈泡 灯泡 [deng1 pao4] /light bulb/',
        '光 光 [guang1] /light/ray/',
      ].join('\n'),
    ),
  )
  const dictionaryTargets = (text: string, from: 'zh' | 'en' | 'mixed') =>
    translateQuery(analyzeQuery(text), from, { dictionary })
      .translations.filter((translation) => translation.origin === 'dictionary')
      .map((translation) => translation.target)

  it('translates words the glossary lacks at weight 0.4, each sense an alternative of its word', () => {
    const { terms } = translateQuery(analyzeQuery('沙发退款'), 'zh', { dictionary })
    expect(terms).toContainEqual({
      term: 'sofa',
      weight: 0.4,
      concept: '沙发',
      variant: 'dictionary:en:sofa',
      alternative: 'dictionary:en:sofa',
    })
    expect(terms.filter((term) => term.concept === '退款').every((term) => term.weight === 0.6)).toBe(true)
    expect(dictionaryTargets('沙发退款', 'zh')).toEqual(['sofa'])
  })

  it('cuts a compound the dictionary lacks into the words it has', () => {
    expect(dictionaryTargets('尘袋', 'zh')).toEqual(['dust', 'dirt', 'pouch', 'bag'])
  })

  it('looks English phrases up longest first, over words the glossary did not translate', () => {
    expect(dictionaryTargets('the light bulb is broken', 'en')).toEqual(['灯泡'])
    expect(dictionaryTargets('light', 'en')).toEqual(['光'])
    expect(dictionaryTargets('refund the sofa', 'en')).toEqual(['沙发'])
  })

  it('follows the query direction and takes a lazy dictionary', () => {
    expect(dictionaryTargets('sofa 沙发', 'zh')).toEqual(['sofa'])
    expect(dictionaryTargets('sofa 沙发', 'mixed')).toEqual(['sofa', '沙发'])
    let loads = 0
    const lazy = () => {
      loads++
      return dictionary
    }
    translateQuery(analyzeQuery('退款'), 'zh', { dictionary: lazy })
    translateQuery(analyzeQuery('沙发'), 'other', { dictionary: lazy })
    expect(loads).toBe(0)
    translateQuery(analyzeQuery('沙发'), 'zh', { dictionary: lazy })
    expect(loads).toBe(1)
  })
})
