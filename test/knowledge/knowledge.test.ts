import { afterAll, beforeAll, expect, it } from 'vitest'
import { fixedClock, isAppError } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import {
  createKnowledgeService,
  type ArticleRecordInput,
  type KnowledgeService,
} from '../../src/knowledge/index.js'
import {
  createKnowledgeRepository,
  createProductsRepository,
  type KnowledgeRepository,
  type Store,
} from '../../src/store/index.js'
import { describeEachDatabase } from '../support/databases.js'

function article(overrides: Partial<ArticleRecordInput> & Pick<ArticleRecordInput, 'title' | 'body'>) {
  return {
    kind: 'article',
    externalId: null,
    question: null,
    paraphrases: [],
    language: 'en',
    status: 'published',
    tags: [],
    products: [],
    intents: [],
    translationGroup: null,
    ...overrides,
  } satisfies ArticleRecordInput
}

const REFUNDS = article({
  externalId: 'refund-en',
  title: 'Refund policy',
  body: 'Refunds go back to the original payment method within 3 business days after we receive the return.',
  intents: ['refund_request'],
})
const INVOICES = article({
  externalId: 'invoice-zh',
  language: 'zh',
  title: '如何开发票',
  body: '下单后在订单详情页申请电子发票，填写公司抬头和税号，发票会在三个工作日内发到你的邮箱。',
})
const SHIPPING = article({
  externalId: 'shipping-en',
  title: 'Shipping fees',
  body: 'Shipping is free for orders over 99 yuan; below that, shipping costs 8 yuan. Shipping to Hong Kong costs 30 yuan.',
})
const WARRANTY = article({
  externalId: 'warranty-en',
  title: 'Warranty',
  body: 'Every device has a one-year warranty covering manufacturing faults. Keep the receipt: we pay the shipping for warranty repairs, and a repaired device comes back within ten days.',
})

async function count(store: Store, table: string): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describeEachDatabase('knowledge base store and service', (database) => {
  let store: Store & { dispose(): Promise<void> }
  let repository: KnowledgeRepository
  let knowledge: KnowledgeService
  /** A second service over the same database: another process. */
  let other: KnowledgeService
  let productId: string
  const clock = fixedClock('2026-11-25T02:00:00.000Z')

  const searchIds = async (service: KnowledgeService, query: string) =>
    (await service.search(query, { limit: 10 })).hits.map((hit) => hit.externalId ?? hit.articleId)

  beforeAll(async () => {
    store = await database.open()
    const context = { store, clock, defaultRegion: 'CN' }
    repository = createKnowledgeRepository(context)
    knowledge = createKnowledgeService({ store: repository })
    other = createKnowledgeService({ store: createKnowledgeRepository(context) })
    const product = await createProductsRepository(context).create(
      {
        sku: 'LM-AUD-001',
        name: { zh: '降噪耳机', en: 'Noise-cancelling earbuds' },
        price: { amount: 29900, currency: 'CNY' },
        attributes: {},
        active: true,
      },
      cliActor,
    )
    productId = product.id
  })
  afterAll(async () => store?.dispose())

  it('saves an article, linking products given by SKU or by id, and finds it', async () => {
    expect(await knowledge.ensureCurrent()).toBe(0)
    const { article: saved, outcome } = await knowledge.save(
      { ...REFUNDS, products: ['LM-AUD-001', productId] },
      cliActor,
    )
    expect(outcome).toBe('inserted')
    expect(saved).toMatchObject({
      externalId: 'refund-en',
      kind: 'article',
      title: 'Refund policy',
      version: 1,
      status: 'published',
      products: [productId],
      intents: ['refund_request'],
      createdAt: '2026-11-25T02:00:00.000Z',
    })
    expect(saved.id).toMatch(/^art_/)
    expect(await repository.get('refund-en')).toEqual(saved)
    const { hits, indexVersion } = await knowledge.search('How long does a refund take?')
    expect(indexVersion).toBe(1)
    expect(hits.map((hit) => hit.externalId)).toEqual(['refund-en'])
    expect(hits[0]).toMatchObject({ title: 'Refund policy', articleLanguage: 'en', products: [productId] })
    expect(hits[0].passage).toContain('within 3 business days')
  })

  it('refuses an unknown SKU, naming it, and writes nothing', async () => {
    const before = await Promise.all(
      ['kb_articles', 'kb_article_versions', 'kb_chunks', 'kb_index_changes', 'audit_log'].map((table) =>
        count(store, table),
      ),
    )
    const error = await knowledge
      .save(
        { ...SHIPPING, externalId: 'shipping-bad', products: ['LM-AUD-001', 'NO-SUCH-SKU', 'ALSO-MISSING'] },
        cliActor,
      )
      .catch((caught: unknown) => caught)
    expect(isAppError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'KB_UNKNOWN_PRODUCT',
      details: { products: ['NO-SUCH-SKU', 'ALSO-MISSING'] },
    })
    expect((error as Error).message).toContain('"NO-SUCH-SKU", "ALSO-MISSING"')
    const after = await Promise.all(
      ['kb_articles', 'kb_article_versions', 'kb_chunks', 'kb_index_changes', 'audit_log'].map((table) =>
        count(store, table),
      ),
    )
    expect(after).toEqual(before)
    expect(await repository.findByExternalId('shipping-bad')).toBeNull()
  })

  it('updates by external id as version 2 and lists both versions, newest first', async () => {
    clock.advance(60_000)
    const { article: updated, outcome } = await knowledge.save(
      {
        ...REFUNDS,
        products: ['LM-AUD-001'],
        body: 'Refunds go back to the original payment method within 5 business days after we receive the return.',
      },
      cliActor,
    )
    expect(outcome).toBe('updated')
    expect(updated.version).toBe(2)
    expect(updated.updatedAt).toBe('2026-11-25T02:01:00.000Z')
    expect(updated.createdAt).toBe('2026-11-25T02:00:00.000Z')
    const versions = await repository.versions('refund-en')
    expect(versions.map((version) => version.version)).toEqual([2, 1])
    expect(versions[0].body).toContain('5 business days')
    expect(versions[1].body).toContain('3 business days')
    expect(versions.every((version) => version.articleId === updated.id)).toBe(true)
    const { hits } = await knowledge.search('refund business days')
    expect(hits[0].passage).toContain('5 business days')
  })

  it('leaves unchanged content alone: outcome unchanged, no new version, the index version stays', async () => {
    const before = await knowledge.ensureCurrent()
    const { article: same, outcome } = await knowledge.save(
      {
        ...REFUNDS,
        products: [productId],
        body: 'Refunds go back to the original payment method within 5 business days after we receive the return.',
      },
      cliActor,
    )
    expect(outcome).toBe('unchanged')
    expect(same.version).toBe(2)
    expect((await repository.versions('refund-en')).map((version) => version.version)).toEqual([2, 1])
    expect(await repository.indexVersion()).toBe(before)
  })

  it('keeps drafts out of search, and takes an article out when it becomes a draft', async () => {
    await knowledge.save({ ...SHIPPING, status: 'draft' }, cliActor)
    expect(await searchIds(knowledge, 'shipping fees')).toEqual([])
    expect(await count(store, 'kb_chunks')).toBeGreaterThan(0)

    await knowledge.save(SHIPPING, cliActor)
    expect(await searchIds(knowledge, 'shipping fees')).toEqual(['shipping-en'])

    await knowledge.save({ ...SHIPPING, status: 'draft' }, cliActor)
    expect(await searchIds(knowledge, 'shipping fees')).toEqual([])
    const shipping = await repository.get('shipping-en')
    expect(shipping.version).toBe(3)
    const chunks = await store.db
      .selectFrom('kb_chunks')
      .select('id')
      .where('articleId', '=', shipping.id)
      .execute()
    expect(chunks).toEqual([])
  })

  it('deletes an article with its versions and takes it out of search', async () => {
    const shipping = await repository.get('shipping-en')
    await knowledge.save(SHIPPING, cliActor)
    expect(await searchIds(knowledge, 'shipping fees')).toEqual(['shipping-en'])
    await knowledge.remove('shipping-en', cliActor)
    expect(await searchIds(knowledge, 'shipping fees')).toEqual([])
    expect(await repository.find(shipping.id)).toBeNull()
    await expect(repository.get(shipping.id)).rejects.toMatchObject({ code: 'KB_ARTICLE_NOT_FOUND' })
    const versions = await store.db
      .selectFrom('kb_article_versions')
      .select('id')
      .where('articleId', '=', shipping.id)
      .execute()
    expect(versions).toEqual([])
    await expect(knowledge.remove('shipping-en', cliActor)).rejects.toMatchObject({
      code: 'KB_ARTICLE_NOT_FOUND',
    })
  })

  it('refuses to turn an article into an FAQ entry through its external id', async () => {
    await expect(
      knowledge.save(
        {
          ...REFUNDS,
          kind: 'faq',
          question: 'Refund?',
          title: 'Refund?',
          body: 'Yes.',
          products: [],
        },
        cliActor,
      ),
    ).rejects.toMatchObject({ code: 'KB_EXTERNAL_ID_TAKEN' })
    await expect(repository.get('refund-en', 'faq')).rejects.toMatchObject({ code: 'KB_FAQ_NOT_FOUND' })
  })

  it('shows a save through one process to search in another, following the index version', async () => {
    // Both are current before the change.
    expect(await searchIds(other, 'warranty repairs')).toEqual([])
    const versionBefore = await other.ensureCurrent()
    expect(versionBefore).toBe(await knowledge.ensureCurrent())

    const { article: warranty } = await knowledge.save(WARRANTY, cliActor)
    const found = await other.search('warranty repairs')
    expect(found.hits.map((hit) => hit.articleId)).toEqual([warranty.id])
    expect(found.indexVersion).toBe(versionBefore + 1)
    expect(other.version()).toBe(knowledge.version())

    await knowledge.save({ ...WARRANTY, body: 'Every device has a two-year guarantee.' }, cliActor)
    expect(await searchIds(other, 'manufacturing faults')).toEqual([])
    expect(await searchIds(other, 'guarantee')).toEqual(['warranty-en'])

    await other.remove('warranty-en', cliActor)
    expect(await searchIds(knowledge, 'guarantee')).toEqual([])
    expect(knowledge.version()).toBe(versionBefore + 3)
    expect(knowledge.size()).toBe(other.size())
  })

  it('keeps both saves when two processes save at the same moment', async () => {
    const [first, second] = await Promise.all([
      knowledge.save(
        article({
          externalId: 'same-time-1',
          title: 'Store opening hours',
          body: 'The store opens at nine.',
        }),
        cliActor,
      ),
      other.save(
        article({ externalId: 'same-time-2', title: 'Parking at the store', body: 'The store has parking.' }),
        cliActor,
      ),
    ])
    expect([first.outcome, second.outcome]).toEqual(['inserted', 'inserted'])
    const versions = (
      await store.db.selectFrom('kb_index_changes').select('version').orderBy('version').execute()
    ).map((row) => Number(row.version))
    expect(new Set(versions).size).toBe(versions.length)
    for (const service of [knowledge, other]) {
      expect((await searchIds(service, 'store')).sort()).toEqual(['same-time-1', 'same-time-2'])
    }
    await knowledge.remove('same-time-1', cliActor)
    await knowledge.remove('same-time-2', cliActor)
  })

  it('finds an English-only article for a Chinese question, and a Chinese-only one for an English question', async () => {
    await knowledge.save(INVOICES, cliActor)
    const zh = await knowledge.search('退款多久到账？')
    expect(zh.queryLanguage).toBe('zh')
    expect(zh.hits[0]).toMatchObject({ externalId: 'refund-en', articleLanguage: 'en', crossLingual: true })
    expect(zh.translatedTerms.map((term) => term.target)).toContain('refund')

    const en = await knowledge.search('How do I get an invoice?')
    expect(en.queryLanguage).toBe('en')
    expect(en.hits[0]).toMatchObject({ externalId: 'invoice-zh', articleLanguage: 'zh', crossLingual: true })
    // Restricted to English, the Chinese article is not offered.
    expect((await knowledge.search('How do I get an invoice?', { language: 'en' })).hits).toEqual([])
  })

  it('evaluates retrieval on labelled questions: recall at 1, 3 and 5, MRR, with none rows excluded', async () => {
    await knowledge.save(SHIPPING, cliActor)
    await knowledge.save(WARRANTY, cliActor)
    const invoice = await repository.get('invoice-zh')
    expect(await searchIds(knowledge, 'shipping')).toEqual(['shipping-en', 'warranty-en'])

    const report = await knowledge.evaluate([
      { question: 'How much does shipping cost?', expected: 'shipping-en' },
      // The internal id counts too.
      { question: 'how do I get an invoice', expected: invoice.id },
      // Second place: reciprocal rank 1/2.
      { question: 'shipping', expected: 'warranty-en' },
      // Not found at all.
      { question: 'Do you sell gift cards?', expected: 'refund-en' },
      { question: 'What is the weather like?', expected: 'none' },
      { question: 'Tell me a joke', expected: ' NONE ' },
    ])
    expect(report).toEqual({
      n: 4,
      recall_at_1: 0.5,
      recall_at_3: 0.75,
      recall_at_5: 0.75,
      mrr: 0.625,
      excluded: 2,
      misses: [
        { question: 'shipping', expected: 'warranty-en', got: ['shipping-en', 'warranty-en'] },
        { question: 'Do you sell gift cards?', expected: 'refund-en', got: [] },
      ],
    })
    expect(await knowledge.evaluate([{ question: 'x', expected: 'none' }])).toMatchObject({
      n: 0,
      recall_at_1: 0,
      mrr: 0,
      excluded: 1,
    })
  })

  it('lets an FAQ entry stand behind the article that states its answer, when the question matches the FAQ', async () => {
    const moneyBack = article({
      kind: 'faq',
      externalId: 'faq-money-back',
      title: 'When will I get my money back?',
      question: 'When will I get my money back?',
      paraphrases: ['refund still not received'],
      body: 'Refunds go back to the original payment method within 3 business days after we receive the return.',
    })
    const giftWrap = article({
      kind: 'faq',
      externalId: 'faq-gift-wrap',
      title: 'Do you offer gift wrapping?',
      question: 'Do you offer gift wrapping?',
      body: 'Yes: choose a gift box at checkout for 10 yuan and add a card with your message.',
    })
    await knowledge.save(moneyBack, cliActor)
    await knowledge.save(giftWrap, cliActor)
    const refund = await repository.get('refund-en')

    // the FAQ matches the question; its article (found through the FAQ's answer) carries that match
    const { hits } = await knowledge.search('when will I get my money back')
    expect(hits[0]).toMatchObject({ externalId: 'refund-en', supportedBy: 'faq-money-back' })
    const faq = hits.find((hit) => hit.externalId === 'faq-money-back')
    expect(faq).toMatchObject({ kind: 'faq', linkedArticleId: refund.id })
    expect(hits[0].strength).toBeGreaterThanOrEqual(faq?.strength ?? 1)
    expect(faq?.titleMatch).toBeGreaterThan(0.5)

    // an FAQ no article covers stays on its own
    const gift = await knowledge.search('gift wrapping')
    expect(gift.hits[0]).toMatchObject({
      externalId: 'faq-gift-wrap',
      linkedArticleId: null,
      supportedBy: null,
    })

    // words of the FAQ's answer alone lend the article nothing
    const answerWords = await knowledge.search('original payment method')
    expect(answerWords.hits.find((hit) => hit.externalId === 'refund-en')?.supportedBy).toBeNull()

    await knowledge.remove('faq-money-back', cliActor, 'faq')
    await knowledge.remove('faq-gift-wrap', cliActor, 'faq')
    expect((await knowledge.search('when will I get my money back')).hits[0]?.supportedBy ?? null).toBeNull()
  })
})
