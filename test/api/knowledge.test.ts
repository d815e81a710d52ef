import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows } from '../support/records.js'

describeEachDatabase('knowledge base API', (database) => {
  let t: TestApp
  let productId: string
  let articleId: string
  let faqId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    const product = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/products',
      payload: {
        sku: 'LM-AUD-001',
        name: { zh: '降噪耳机', en: 'Earbuds' },
        price: { amount: 29900, currency: 'CNY' },
      },
    })
    productId = product.json().id
  })
  afterAll(async () => t?.dispose())

  const post = (
    kind: 'articles' | 'faqs',
    payload: Record<string, unknown>,
    role: 'agent' | 'viewer' = 'agent',
  ) => t.request(role, { method: 'POST', url: `/api/v1/kb/${kind}`, payload })

  const REFUNDS = {
    externalId: 'refunds-en',
    title: 'Refund timing',
    body: '# Refund timing\n\nRefunds go back to the original payment method within 3 business days.',
    language: 'en',
    tags: ['refund'],
    products: ['LM-AUD-001'],
    intents: ['refund_request'],
  }

  it('creates an article with 201, linking the product given by SKU', async () => {
    const response = await post('articles', REFUNDS)
    expect(response.statusCode, response.body).toBe(201)
    const article = response.json()
    expect(article).toMatchObject({
      externalId: 'refunds-en',
      kind: 'article',
      title: 'Refund timing',
      language: 'en',
      status: 'published',
      version: 1,
      tags: ['refund'],
      products: [productId],
      intents: ['refund_request'],
      createdAt: '2026-11-25T02:00:00.000Z',
    })
    expect(article.id).toMatch(/^art_[0-9A-Z]{26}$/)
    articleId = article.id
  })

  it('refuses a viewer (403), unknown fields (400) and unknown SKUs (400), writing nothing', async () => {
    const before = await countRows(t, 'kb_articles')
    expect((await post('articles', { ...REFUNDS, externalId: 'x-1' }, 'viewer')).statusCode).toBe(403)
    const unknown = await post('articles', { ...REFUNDS, externalId: 'x-2', colour: 'red' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.code).toBe('CORE_VALIDATION_FAILED')
    expect(unknown.json().error.message).toContain('colour')
    const noLanguage = await post('articles', { title: 'T', body: 'B' })
    expect(noLanguage.statusCode).toBe(400)
    const badSku = await post('articles', { ...REFUNDS, externalId: 'x-3', products: ['NOPE-9'] })
    expect(badSku.statusCode).toBe(400)
    expect(badSku.json().error).toMatchObject({
      code: 'KB_UNKNOWN_PRODUCT',
      details: { products: ['NOPE-9'] },
    })
    expect(await countRows(t, 'kb_articles')).toBe(before)
  })

  it('answers 200 with a new version when the same external id is posted again with new content', async () => {
    t.clock.advance(1000)
    const response = await post('articles', { ...REFUNDS, body: `${REFUNDS.body} Card refunds take longer.` })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ id: articleId, version: 2 })
    const same = await post('articles', { ...REFUNDS, body: `${REFUNDS.body} Card refunds take longer.` })
    expect(same.statusCode).toBe(200)
    expect(same.json().version).toBe(2)
  })

  it('gets an article by id or external id, and 404s an unknown or malformed id', async () => {
    for (const id of [articleId, 'refunds-en']) {
      const response = await t.request('viewer', { method: 'GET', url: `/api/v1/kb/articles/${id}` })
      expect(response.statusCode).toBe(200)
      expect(response.json().id).toBe(articleId)
    }
    for (const id of ['art_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'no-such-article', '%00', 'x'.repeat(200)]) {
      const response = await t.request('viewer', { method: 'GET', url: `/api/v1/kb/articles/${id}` })
      expect(response.statusCode, id).toBe(404)
      expect(response.json().error.code).toBe('KB_ARTICLE_NOT_FOUND')
    }
    // An article is not an FAQ entry.
    const asFaq = await t.request('viewer', { method: 'GET', url: `/api/v1/kb/faqs/${articleId}` })
    expect(asFaq.statusCode).toBe(404)
    expect(asFaq.json().error.code).toBe('KB_FAQ_NOT_FOUND')
  })

  it('patches with merge semantics: a change makes a new version, null clears, unknown fields are 400', async () => {
    t.clock.advance(1000)
    const response = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/kb/articles/${articleId}`,
      payload: { title: 'When refunds arrive', tags: ['refund', 'timing'], translationGroup: 'refunds' },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({
      id: articleId,
      version: 3,
      title: 'When refunds arrive',
      tags: ['refund', 'timing'],
      translationGroup: 'refunds',
      // Untouched fields stay.
      externalId: 'refunds-en',
      products: [productId],
      updatedAt: '2026-11-25T02:00:02.000Z',
    })
    const cleared = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/kb/articles/${articleId}`,
      payload: { translationGroup: null },
    })
    // Fields left out of a patch keep their values, lists included.
    expect(cleared.json()).toMatchObject({
      version: 4,
      translationGroup: null,
      tags: ['refund', 'timing'],
      intents: ['refund_request'],
      products: [productId],
    })

    const versions = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/kb/articles/refunds-en/versions`,
    })
    expect(versions.statusCode).toBe(200)
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1])
    expect(versions.json().items[3].title).toBe('Refund timing')

    const unknown = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/kb/articles/${articleId}`,
      payload: { colour: 'red' },
    })
    expect(unknown.statusCode).toBe(400)
    const missing = await t.request('agent', {
      method: 'PATCH',
      url: '/api/v1/kb/articles/art_01JZZZZZZZZZZZZZZZZZZZZZZZ',
      payload: { title: 'x' },
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('KB_ARTICLE_NOT_FOUND')
  })

  it('creates and patches FAQ entries, shown as question and answer', async () => {
    const response = await post('faqs', {
      externalId: 'faq-paypal-en',
      question: 'Do you take PayPal?',
      answer: 'Yes, for orders outside mainland China.',
      paraphrases: ['paypal ok?', 'can I pay by paypal'],
      language: 'en',
    })
    expect(response.statusCode, response.body).toBe(201)
    const faq = response.json()
    expect(faq).toMatchObject({
      externalId: 'faq-paypal-en',
      question: 'Do you take PayPal?',
      answer: 'Yes, for orders outside mainland China.',
      paraphrases: ['paypal ok?', 'can I pay by paypal'],
      version: 1,
    })
    expect(faq).not.toHaveProperty('title')
    expect(faq).not.toHaveProperty('body')
    faqId = faq.id

    const patched = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/kb/faqs/${faqId}`,
      payload: { answer: 'Yes, PayPal works for orders outside mainland China.' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      version: 2,
      question: 'Do you take PayPal?',
      answer: 'Yes, PayPal works for orders outside mainland China.',
      paraphrases: ['paypal ok?', 'can I pay by paypal'],
    })

    const list = await t.request('viewer', { method: 'GET', url: '/api/v1/kb/faqs?language=en' })
    expect(list.json().items.map((item: { id: string }) => item.id)).toEqual([faqId])
    const articles = await t.request('viewer', { method: 'GET', url: '/api/v1/kb/articles' })
    expect(articles.json().items.map((item: { id: string }) => item.id)).toEqual([articleId])

    const taken = await post('faqs', {
      externalId: 'refunds-en',
      question: 'Refund?',
      answer: 'Yes.',
      language: 'en',
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.code).toBe('KB_EXTERNAL_ID_TAKEN')
  })

  it('searches as the agent does, in both languages', async () => {
    const response = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/kb/search?q=${encodeURIComponent('can I pay by paypal')}`,
    })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.queryLanguage).toBe('en')
    expect(body.items[0]).toMatchObject({
      articleId: faqId,
      externalId: 'faq-paypal-en',
      kind: 'faq',
      language: 'en',
    })
    expect(body.items[0].passage).toBe('Yes, PayPal works for orders outside mainland China.')

    const chinese = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/kb/search?q=${encodeURIComponent('退款多久到账')}&limit=1`,
    })
    expect(chinese.json().items).toHaveLength(1)
    expect(chinese.json().items[0]).toMatchObject({ externalId: 'refunds-en', crossLingual: true })
    expect(chinese.json().translatedTerms.length).toBeGreaterThan(0)

    const empty = await t.request('viewer', { method: 'GET', url: '/api/v1/kb/search?q=' })
    expect(empty.statusCode).toBe(400)
    const emoji = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/kb/search?q=${encodeURIComponent('😀🙏')}`,
    })
    expect(emoji.statusCode).toBe(200)
    expect(emoji.json().items).toEqual([])
  })

  it('deletes with 204 (admin only), then answers 404', async () => {
    const asAgent = await t.request('agent', { method: 'DELETE', url: `/api/v1/kb/articles/${articleId}` })
    expect(asAgent.statusCode).toBe(403)
    const deleted = await t.request('admin', { method: 'DELETE', url: `/api/v1/kb/articles/${articleId}` })
    expect(deleted.statusCode).toBe(204)
    expect(deleted.body).toBe('')
    const gone = await t.request('viewer', { method: 'GET', url: `/api/v1/kb/articles/${articleId}` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.code).toBe('KB_ARTICLE_NOT_FOUND')
    const again = await t.request('admin', { method: 'DELETE', url: `/api/v1/kb/articles/${articleId}` })
    expect(again.statusCode).toBe(404)
    const search = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/kb/search?q=${encodeURIComponent('refund business days')}`,
    })
    expect(search.json().items.map((item: { externalId: string }) => item.externalId)).not.toContain(
      'refunds-en',
    )
    // A FAQ entry is not deleted through the articles path.
    const wrongKind = await t.request('admin', { method: 'DELETE', url: `/api/v1/kb/articles/${faqId}` })
    expect(wrongKind.statusCode).toBe(404)
    const faq = await t.request('admin', { method: 'DELETE', url: `/api/v1/kb/faqs/${faqId}` })
    expect(faq.statusCode).toBe(204)
    expect(await countRows(t, 'kb_articles')).toBe(0)
    expect(await countRows(t, 'kb_article_versions')).toBe(0)
    expect(await countRows(t, 'kb_chunks')).toBe(0)
  })
})
