import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { cliActor } from '../../src/crm/index.js'
import { DEMO_KNOWLEDGE_DIR, importKnowledgePath } from '../../src/knowledge/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { seedDemoCatalogue } from '../support/knowledge.js'
import { countRows } from '../support/records.js'

/** How the import report names a file: relative to the working directory. */
const shown = (path: string) => relative(process.cwd(), path)

const GOOD_EN = [
  '---',
  'id: returns-en',
  'language: en',
  'tags: [returns]',
  'intents: [return_exchange]',
  '---',
  '# Returns within 7 days',
  '',
  'Send the item back within 7 days of delivery, unused and in its box.',
].join('\n')
const GOOD_ZH = [
  '---',
  'id: invoices-zh',
  'title: 如何开发票',
  'language: zh',
  'products: [KB-TEST-1]',
  '---',
  '下单后在订单详情页申请电子发票，三个工作日内发到邮箱。',
].join('\n')
const FAQS = [
  JSON.stringify({
    id: 'faq-paypal-en',
    question: 'Do you take PayPal?',
    answer: 'Yes, PayPal works for orders outside mainland China.',
    language: 'en',
    paraphrases: ['paypal ok?', 'can I pay by paypal'],
  }),
  '{"id": "faq-broken", "question": ',
  JSON.stringify({
    id: 'faq-cod-zh',
    question: '能货到付款吗？',
    answer: '大陆订单满 ¥50 可以货到付款。',
    language: 'zh',
  }),
].join('\n')

describeEachDatabase('kb import of a folder', (database) => {
  let t: TestApp
  let dir: string
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.crm.products.create(
      {
        sku: 'KB-TEST-1',
        name: { zh: '测试商品', en: 'Test product' },
        price: { amount: 100, currency: 'CNY' },
        attributes: {},
        active: true,
      },
      cliActor,
    )
    dir = mkdtempSync(join(tmpdir(), 'agentcrm-kb-import-'))
    writeFileSync(join(dir, 'a-returns-en.md'), GOOD_EN)
    mkdirSync(join(dir, 'b-chinese'))
    writeFileSync(join(dir, 'b-chinese', 'invoices-zh.md'), GOOD_ZH)
    writeFileSync(
      join(dir, 'c-bad-front-matter.md'),
      '---\nid: bad\nlanguage: en\nauthor: me\n---\n# Bad\nBody',
    )
    writeFileSync(
      join(dir, 'd-latin1.md'),
      Buffer.from('---\nid: latin\nlanguage: en\n---\n# Caf\xe9\nCr\xe8me br\xfbl\xe9e.\n', 'latin1'),
    )
    writeFileSync(
      join(dir, 'e-unknown-product.md'),
      '---\nid: ghost\nlanguage: en\nproducts: [NOPE-1]\n---\n# Ghost\nBoo.',
    )
    writeFileSync(join(dir, 'faqs.jsonl'), FAQS)
    // Question sets for `kb evaluate` and other files are not knowledge.
    writeFileSync(join(dir, 'questions.csv'), 'question,expected\nDo you take PayPal?,faq-paypal-en\n')
    writeFileSync(join(dir, 'notes.txt'), 'not an article')
  })
  afterAll(async () => {
    await t?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('saves the good files and rows and reports every bad one with its errors', async () => {
    const report = await importKnowledgePath(dir, t.app.knowledge, cliActor)
    expect(report).toMatchObject({ inserted: 4, updated: 0, unchanged: 0 })
    expect(report.saved).toEqual(['returns-en', 'invoices-zh', 'faq-paypal-en', 'faq-cod-zh'])
    expect(report.rejected).toEqual([
      {
        file: shown(join(dir, 'c-bad-front-matter.md')),
        errors: [expect.stringContaining('front matter key "author" is not known')],
      },
      {
        file: shown(join(dir, 'd-latin1.md')),
        errors: ['the file is not UTF-8 text; save it as UTF-8 and import it again'],
      },
      {
        file: shown(join(dir, 'e-unknown-product.md')),
        errors: [expect.stringContaining('unknown product "NOPE-1"')],
      },
      { file: shown(join(dir, 'faqs.jsonl')), line: 2, errors: [expect.stringMatching(/^not valid JSON: /)] },
    ])

    expect(await countRows(t, 'kb_articles')).toBe(4)
    const invoices = await t.app.knowledge.repository.get('invoices-zh')
    expect(invoices).toMatchObject({ title: '如何开发票', language: 'zh', version: 1 })
    expect(invoices.products).toHaveLength(1)
    expect(await t.app.knowledge.repository.get('faq-paypal-en', 'faq')).toMatchObject({
      kind: 'faq',
      question: 'Do you take PayPal?',
      paraphrases: ['paypal ok?', 'can I pay by paypal'],
    })
    await expect(t.app.knowledge.repository.get('ghost')).rejects.toMatchObject({
      code: 'KB_ARTICLE_NOT_FOUND',
    })
    const hits = await t.app.knowledge.search('can I pay by paypal')
    expect(hits.hits[0].externalId).toBe('faq-paypal-en')
  })

  it('imports the same folder again as unchanged, and a changed file as an update', async () => {
    const again = await importKnowledgePath(dir, t.app.knowledge, cliActor)
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 })
    expect(again.rejected).toHaveLength(4)
    expect(await countRows(t, 'kb_article_versions')).toBe(4)

    writeFileSync(join(dir, 'a-returns-en.md'), GOOD_EN.replace('7 days of delivery', '14 days of delivery'))
    const changed = await importKnowledgePath(dir, t.app.knowledge, cliActor)
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 3 })
    expect((await t.app.knowledge.repository.versions('returns-en')).map((v) => v.version)).toEqual([2, 1])
  })

  it('imports a single Markdown, JSONL or CSV file', async () => {
    const single = join(dir, 'single')
    mkdirSync(single)
    writeFileSync(join(single, 'one.md'), '---\nid: one-en\nlanguage: en\n---\n# One\nThe first.')
    writeFileSync(
      join(single, 'extra.csv'),
      'question,answer,id,language,paraphrases\nIs there a store?,Only online.,faq-store-en,en,shop|physical store\n',
    )
    writeFileSync(join(single, 'header-only.csv'), 'question,id\nQ?,x\n')
    expect(await importKnowledgePath(join(single, 'one.md'), t.app.knowledge, cliActor)).toMatchObject({
      inserted: 1,
      rejected: [],
      saved: ['one-en'],
    })
    expect(await importKnowledgePath(join(single, 'extra.csv'), t.app.knowledge, cliActor)).toMatchObject({
      inserted: 1,
      rejected: [],
      saved: ['faq-store-en'],
    })
    const missingColumns = await importKnowledgePath(
      join(single, 'header-only.csv'),
      t.app.knowledge,
      cliActor,
    )
    expect(missingColumns).toMatchObject({ inserted: 0 })
    expect(missingColumns.rejected).toEqual([
      {
        file: shown(join(single, 'header-only.csv')),
        errors: [
          'the CSV header lacks answer, language; columns: question,answer,id,language,tags,paraphrases',
        ],
      },
    ])
  })

  it('reports a single Markdown file that is not UTF-8 as rejected, like one in a folder', async () => {
    const path = join(dir, 'd-latin1.md')
    const report = await importKnowledgePath(path, t.app.knowledge, cliActor)
    expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 })
    expect(report.rejected).toEqual([
      { file: path, errors: ['the file is not UTF-8 text; save it as UTF-8 and import it again'] },
    ])
  })

  it('refuses a path that does not exist or is not a knowledge file', async () => {
    await expect(importKnowledgePath(join(dir, 'missing'), t.app.knowledge, cliActor)).rejects.toMatchObject({
      code: 'KB_IMPORT_FAILED',
      message: expect.stringContaining('does not exist'),
    })
    await expect(
      importKnowledgePath(join(dir, 'notes.txt'), t.app.knowledge, cliActor),
    ).rejects.toMatchObject({
      code: 'KB_IMPORT_FAILED',
      message: expect.stringContaining('cannot import'),
    })
  })
})

describeEachDatabase('kb import of the shipped demo knowledge base', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
    await seedDemoCatalogue(t.app)
  })
  afterAll(async () => t?.dispose())

  it('imports every demo article and FAQ without a rejection, drafts kept out of the index', async () => {
    const articles = readdirSync(DEMO_KNOWLEDGE_DIR).filter((name) => name.endsWith('.md'))
    const report = await importKnowledgePath(DEMO_KNOWLEDGE_DIR, t.app.knowledge, cliActor)
    expect(report.rejected).toEqual([])
    expect(articles).toHaveLength(42)
    expect(report).toMatchObject({ inserted: 42 + 41, updated: 0, unchanged: 0 })
    expect(new Set(report.saved).size).toBe(83)
    // 2 draft articles are stored but not searchable.
    expect(t.app.knowledge.size()).toBe(81)
    const linked = await t.app.knowledge.repository.get('earbuds-pairing-en')
    expect(linked.products.length).toBeGreaterThan(0)
    expect(linked.products.every((id) => id.startsWith('prd_'))).toBe(true)

    const again = await importKnowledgePath(DEMO_KNOWLEDGE_DIR, t.app.knowledge, cliActor)
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 83, rejected: [] })
  })
})
