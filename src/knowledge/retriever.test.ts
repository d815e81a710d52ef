import { beforeAll, describe, expect, it } from 'vitest'
import { createIndex, type IndexSnapshot } from './bm25.js'
import { chunkArticle, chunkFaq } from './chunk.js'
import { builtInDictionary, createDictionary, parseCedict } from './dictionary.js'
import { indexChunks } from './documents.js'
import { BUILT_IN_GLOSSARY } from './glossary.js'
import { createRetriever } from './retriever.js'

// CC-CEDICT loads on the first query that needs it (about a second); load it once, outside any timing.
beforeAll(() => {
  builtInDictionary()
}, 30_000)

const englishArticles = [
  {
    id: 'refund-policy',
    title: 'Refund policy',
    body: '# Refunds\nWe refund your money within 7 days after we receive the returned item. The refund goes back to the original payment method.',
  },
  {
    id: 'charging',
    title: 'Battery and charging',
    body: 'If your device does not charge, try another charging cable and charger. Battery life depends on screen brightness.',
  },
  {
    id: 'opening-hours',
    title: 'Opening hours',
    body: 'Our customer service team answers chat and phone from 9:00 to 18:00 on weekdays.',
  },
]

const chineseArticles = [
  {
    id: 'shipping-zh',
    title: '配送说明',
    body: '我们通常在下单后48小时内发货，快递一般3到5天送达。偏远地区可能需要更长时间。',
  },
]

function buildIndex(articles: readonly { id: string; title: string; body: string }[]) {
  const index = createIndex()
  for (const article of articles) indexChunks(index, chunkArticle(article))
  return index
}

describe('createRetriever', () => {
  const index = buildIndex([...englishArticles, ...chineseArticles])
  indexChunks(
    index,
    chunkFaq('invoice-faq', [
      {
        question: '怎么开发票？',
        paraphrases: ['可以开增值税专用发票吗'],
        answer: '在订单页点击申请发票，填写抬头和税号。',
      },
    ]),
  )
  const retriever = createRetriever(index)

  it('finds an English-only article for a Chinese question through the glossary', () => {
    const result = retriever.retrieve('我想退款，钱多久能退回来？')
    expect(result.queryLanguage).toBe('zh')
    expect(result.hits[0]).toMatchObject({ articleId: 'refund-policy', language: 'en', crossLingual: true })
    expect(result.hits[0].matchedTerms).toContain('refund')
    expect(result.translatedTerms.map((translation) => translation.target)).toContain('refund')
  })

  it('finds a Chinese-only article for an English question through the glossary', () => {
    const result = retriever.retrieve('When will my order ship?')
    expect(result.queryLanguage).toBe('en')
    expect(result.hits[0]).toMatchObject({ articleId: 'shipping-zh', language: 'zh', crossLingual: true })
    expect(result.hits[0].matchedTerms).toEqual(expect.arrayContaining(['发货']))
  })

  it('matches Traditional Chinese questions as Simplified', () => {
    expect(retriever.retrieve('充不進電怎麼辦').hits[0].articleId).toBe('charging')
  })

  it('scores same-language matches above the same match through translation', () => {
    const both = buildIndex([
      { id: 'en', title: 'Refunds', body: 'How refunds work.' },
      { id: 'zh', title: '退款', body: '退款说明。' },
    ])
    const bilingual = createRetriever(both)
    const chinese = bilingual.retrieve('退款')
    expect(chinese.hits.map((hit) => hit.articleId)).toEqual(['zh', 'en'])
    expect(chinese.hits.map((hit) => hit.crossLingual)).toEqual([false, true])
    expect(chinese.hits[0].strength).toBe(1)
    expect(chinese.hits[1].strength).toBeCloseTo(0.6, 10)
    expect(bilingual.retrieve('refunds').hits.map((hit) => hit.articleId)).toEqual(['en', 'zh'])
  })

  it('reports how clearly the first article beats the second', () => {
    const clear = retriever.retrieve('charger cable battery brightness')
    expect(clear.margin).toBeGreaterThan(0.5)
    expect(clear.margin).toBeLessThanOrEqual(1)
    const [first, second] = retriever.retrieve('refund charger', { limit: 2 }).hits
    const both = retriever.retrieve('refund charger', { limit: 2 })
    expect(both.margin).toBeCloseTo((first.score - second.score) / first.score, 12)
    expect(retriever.retrieve('😀').margin).toBe(0)
  })

  it('finds nothing across languages without a glossary', () => {
    const monolingual = createRetriever(index, { glossary: null })
    expect(monolingual.retrieve('我想退款').hits.filter((hit) => hit.language === 'en')).toEqual([])
    expect(monolingual.retrieve('我想退款').translatedTerms).toEqual([])
  })

  it('gives the same results from a serialised and reloaded snapshot', () => {
    const reloaded = createRetriever(JSON.parse(JSON.stringify(index.toJSON())) as IndexSnapshot)
    for (const query of ['我想退款', 'When will my order ship?', 'charger cable', '发票抬头怎么写', 'hours'])
      expect(reloaded.retrieve(query)).toEqual(retriever.retrieve(query))
  })

  it('honours limit, a given query language and a passage-language filter', () => {
    expect(retriever.retrieve('refund charger hours', { limit: 2 }).hits).toHaveLength(2)
    expect(retriever.retrieve('refund', { language: 'other' }).translatedTerms).toEqual([])
    const onlyChinese = retriever.retrieve('refund invoice order', { languages: ['zh'] })
    expect(onlyChinese.hits.length).toBeGreaterThan(0)
    expect(onlyChinese.hits.every((hit) => hit.language === 'zh')).toBe(true)
  })

  it('returns no hits, and says why, for empty, emoji-only and unknown-word queries', () => {
    for (const query of ['', '   ', '😀👍🏻', '？！']) {
      const result = retriever.retrieve(query)
      expect(result.hits).toEqual([])
      expect(result.truncated).toBe(false)
    }
    expect(retriever.retrieve('😀').queryLanguage).toBe('other')
    expect(retriever.retrieve('xylophone').hits).toEqual([])
  })

  it('cuts a 64k-character query and still answers from its start', () => {
    const query = `refund ${'x'.repeat(64 * 1024)}`
    const started = performance.now()
    const result = retriever.retrieve(query)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(result.truncated).toBe(true)
    expect(result.hits[0].articleId).toBe('refund-policy')
    expect(retriever.retrieve('退款'.repeat(32 * 1024)).hits[0].articleId).toBe('refund-policy')
  })

  it('answers from an empty index with no hits', () => {
    const empty = createRetriever(createIndex().toJSON())
    expect(empty.retrieve('退款').hits).toEqual([])
    expect(empty.retrieve('refund').queryLanguage).toBe('en')
  })

  it('sees documents added to a live index after it was created', () => {
    const live = createIndex()
    const liveRetriever = createRetriever(live)
    expect(liveRetriever.retrieve('warranty').hits).toEqual([])
    indexChunks(live, chunkArticle({ id: 'warranty', title: 'Warranty', body: 'Two years of warranty.' }))
    expect(liveRetriever.retrieve('保修').hits.map((hit) => hit.articleId)).toEqual(['warranty'])
  })

  describe('dictionary fallback', () => {
    const furniture = buildIndex([
      {
        id: 'frame-warranty-en',
        title: 'Sofa frame warranty',
        body: 'Every sofa frame is guaranteed for ten years against cracks and breaks. Cushions and fabric are covered for two years.',
      },
      {
        id: 'sofa-care-zh',
        title: '沙发清洁',
        body: '沙发表面请用湿布擦拭，不要用酒精。沙发垫可以拆下来洗。',
      },
      {
        id: 'sofa-delivery-zh',
        title: '沙发送货',
        body: '沙发送货上门，需要提前预约时间，楼层较高请说明有没有电梯。',
      },
    ])

    it('finds an English-only article for a Chinese question through words the glossary lacks', () => {
      expect(BUILT_IN_GLOSSARY.chinese('沙发')).toEqual([])
      expect(BUILT_IN_GLOSSARY.chinese('框架')).toEqual([])
      const result = createRetriever(furniture).retrieve('沙发框架保修几年')
      expect(result.hits[0]).toMatchObject({ articleId: 'frame-warranty-en', crossLingual: true })
      expect(result.translatedTerms).toContainEqual(
        expect.objectContaining({
          source: '框架',
          target: 'frame',
          origin: 'dictionary',
          concepts: ['框架'],
        }),
      )
      // the glossary alone translates only 保修: the Chinese articles that merely say 沙发 win
      const glossaryOnly = createRetriever(furniture, { dictionary: null }).retrieve('沙发框架保修几年')
      expect(glossaryOnly.hits[0].language).toBe('zh')
    })

    it('finds a Chinese-only article for an English question through the reverse dictionary', () => {
      const index = buildIndex([
        {
          id: 'frame-warranty-zh',
          title: '沙发框架保修',
          body: '所有沙发的实木框架保修十年，框架开裂可以免费维修。',
        },
        {
          id: 'sofa-care-en',
          title: 'Sofa care',
          body: 'Vacuum your sofa every week and wipe spills with a damp cloth.',
        },
      ])
      const result = createRetriever(index).retrieve('is the sofa frame under warranty')
      expect(result.hits[0]).toMatchObject({ articleId: 'frame-warranty-zh', crossLingual: true })
      expect(result.translatedTerms).toContainEqual(
        expect.objectContaining({
          source: 'frame',
          target: '框架',
          origin: 'dictionary',
          targetLanguage: 'zh',
        }),
      )
      const glossaryOnly = createRetriever(index, { dictionary: null })
      expect(glossaryOnly.retrieve('is the sofa frame under warranty').hits[0].articleId).toBe('sofa-care-en')
    })

    it('keeps the glossary first: a word it has is never looked up in the dictionary', () => {
      const dictionary = createDictionary(
        parseCedict('退款 退款 [tui4 kuan3] /payback/\n沙發 沙发 [sha1 fa1] /sofa/\n'),
      )
      let loads = 0
      const lazy = () => {
        loads++
        return dictionary
      }
      const retriever = createRetriever(furniture, { dictionary: lazy })
      expect(retriever.retrieve('我要退款').translatedTerms.every((t) => t.origin === 'glossary')).toBe(true)
      expect(loads).toBe(0)
      const mixed = retriever.retrieve('沙发退款')
      expect(loads).toBe(1)
      expect(mixed.translatedTerms.filter((t) => t.origin === 'dictionary')).toEqual([
        expect.objectContaining({ source: '沙发', target: 'sofa', concepts: ['沙发'] }),
      ])
      expect(mixed.translatedTerms.map((t) => t.target)).not.toContain('payback')
    })

    it('leaves out dictionary senses that could match nothing in the knowledge base', () => {
      const englishOnly = createRetriever(buildIndex(englishArticles))
      const result = englishOnly.retrieve('my sofa frame cracked, can I get a refund?')
      expect(result.translatedTerms.filter((t) => t.origin === 'dictionary')).toEqual([])
      expect(result.hits[0].articleId).toBe('refund-policy')
    })

    it('scores a dictionary sense below a glossary translation (0.4 against 0.6)', () => {
      const both = buildIndex([
        { id: 'sofa', title: 'Sofa', body: 'A sofa.' },
        { id: 'refund', title: 'Refund', body: 'A refund.' },
      ])
      const retriever = createRetriever(both)
      expect(retriever.retrieve('沙发').hits[0].strength).toBeCloseTo(0.4, 10)
      expect(retriever.retrieve('退款').hits[0].strength).toBeCloseTo(0.6, 10)
    })
  })
})
