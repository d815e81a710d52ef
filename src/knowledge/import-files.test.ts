import { describe, expect, it } from 'vitest'
import { parseFaqFile, parseFaqRow, parseMarkdownArticle, type ParseResult } from './import-files.js'

function record(result: ParseResult) {
  if (!result.ok) throw new Error(`expected a record, got errors: ${result.errors.join('; ')}`)
  return result.record
}

function errors(result: ParseResult): string[] {
  if (result.ok) throw new Error(`expected errors, got a record: ${JSON.stringify(result.record)}`)
  return result.errors
}

describe('parseMarkdownArticle', () => {
  it('reads every front matter key into the record, lists as YAML lists or |/, text', () => {
    const text = [
      '---',
      'id: refunds-en',
      'title: Refund timing',
      'language: en',
      'tags: [refund, money back]',
      'products: LM-AUD-001 | LM-AUD-002',
      'intents: refund_request, cancel_order',
      'status: draft',
      'translation_group: refunds',
      '---',
      '',
      '# Refunds',
      '',
      'Within 3 business days.',
      '',
    ].join('\n')
    expect(record(parseMarkdownArticle(text))).toEqual({
      kind: 'article',
      externalId: 'refunds-en',
      title: 'Refund timing',
      body: '# Refunds\n\nWithin 3 business days.',
      question: null,
      paraphrases: [],
      language: 'en',
      status: 'draft',
      tags: ['refund', 'money back'],
      products: ['LM-AUD-001', 'LM-AUD-002'],
      intents: ['refund_request', 'cancel_order'],
      translationGroup: 'refunds',
    })
  })

  it('takes the title from the first level-1 heading when the front matter has none', () => {
    const result = record(
      parseMarkdownArticle('---\nid: 42\nlanguage: zh\n---\nIntro.\n\n## 不是这个\n\n# 退款多久到账\n\n正文'),
    )
    expect(result.title).toBe('退款多久到账')
    expect(result.externalId).toBe('42')
    expect(result.status).toBe('published')
    expect(result.tags).toEqual([])
  })

  it('accepts a byte-order mark and Windows line ends', () => {
    const result = record(
      parseMarkdownArticle('\uFEFF---\r\nid: bom-en\r\nlanguage: en\r\n---\r\n# Hello\r\nBody'),
    )
    expect(result).toMatchObject({ externalId: 'bom-en', title: 'Hello', language: 'en' })
  })

  it('names an unknown front matter key and lists the known ones, along with other problems', () => {
    const problems = errors(parseMarkdownArticle('---\nid: a\nlanguage: en\ncolour: red\n---\n# Hello\nBody'))
    expect(problems).toEqual([
      'front matter key "colour" is not known; known keys: id, title, language, tags, products, intents, status, translation_group',
    ])
    const both = errors(parseMarkdownArticle('---\nid: a\nauthor: me\n---\n# Hello\nBody'))
    expect(both).toHaveLength(2)
    expect(both[0]).toContain('"author"')
    expect(both[1]).toMatch(/^language: /)
  })

  it('reports a missing language under its front matter name', () => {
    const problems = errors(parseMarkdownArticle('---\nid: a\ntitle: T\n---\nBody'))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^language: .*"zh"\|"en"/)
  })

  it('reports an external id with bad characters as "id", not "externalId"', () => {
    const problems = errors(parseMarkdownArticle('---\nid: "bad id!"\nlanguage: en\n---\n# T\nBody'))
    expect(problems).toEqual([expect.stringMatching(/^id: use letters, digits/)])
  })

  it('refuses an article with neither a title nor a heading, or with no body', () => {
    expect(errors(parseMarkdownArticle('---\nid: a\nlanguage: en\n---\nJust text, no heading.'))).toEqual([
      expect.stringMatching(/^title: /),
    ])
    expect(errors(parseMarkdownArticle('---\nid: a\ntitle: T\nlanguage: en\n---\n   \n'))).toEqual([
      expect.stringMatching(/^body: /),
    ])
  })

  it('refuses front matter that is not valid YAML, with the parser’s first line', () => {
    const problems = errors(parseMarkdownArticle('---\nid: a\ntitle: [unclosed\n---\n# Hello\nBody'))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^front matter is not valid YAML: /)
    expect(problems[0]).not.toContain('\n')
  })

  it('refuses front matter that is a list or a scalar, not a map', () => {
    expect(errors(parseMarkdownArticle('---\n- a\n- b\n---\n# T\nBody'))).toEqual([
      'front matter must be a map of keys (id: …, language: …)',
    ])
    expect(errors(parseMarkdownArticle('---\njust text\n---\n# T\nBody'))).toEqual([
      'front matter must be a map of keys (id: …, language: …)',
    ])
  })

  it('refuses a file with no front matter and says how to add it', () => {
    const problems = errors(parseMarkdownArticle('# Hello\n\nBody'))
    expect(problems).toEqual([expect.stringMatching(/^no YAML front matter: start the file with a --- line/)])
    // A front matter block that is never closed is no front matter either.
    expect(errors(parseMarkdownArticle('---\nid: a\nlanguage: en\n# Hello'))[0]).toMatch(
      /^no YAML front matter/,
    )
  })
})

describe('parseFaqRow', () => {
  it('reads a row with |-separated paraphrases and tags', () => {
    expect(
      record(
        parseFaqRow({
          id: 'faq-ship-en',
          question: 'How much is shipping?',
          answer: 'Free over ¥99.',
          language: 'en',
          tags: 'shipping|fees',
          paraphrases: 'shipping cost | delivery fee||',
        }),
      ),
    ).toEqual({
      kind: 'faq',
      externalId: 'faq-ship-en',
      title: 'How much is shipping?',
      body: 'Free over ¥99.',
      question: 'How much is shipping?',
      paraphrases: ['shipping cost', 'delivery fee'],
      language: 'en',
      status: 'published',
      tags: ['shipping', 'fees'],
      products: [],
      intents: [],
      translationGroup: null,
    })
  })

  it('treats empty cells as absent: no id, no tags, no paraphrases', () => {
    const result = record(
      parseFaqRow({ id: '', question: 'Q?', answer: 'A.', language: 'zh', tags: '', paraphrases: '' }),
    )
    expect(result).toMatchObject({ externalId: null, tags: [], paraphrases: [] })
  })

  it('names unknown columns and missing required ones', () => {
    const problems = errors(parseFaqRow({ question: 'Q?', language: 'en', colour: 'red' }))
    expect(problems).toEqual([
      'column "colour" is not known; known: question, answer, id, language, tags, paraphrases, status, products, intents, translation_group',
      expect.stringMatching(/^answer: /),
    ])
  })
})

describe('parseFaqFile', () => {
  it('reads CSV rows with the line each starts on, paraphrases split at |', () => {
    const csv = [
      '\uFEFFquestion,answer,id,language,tags,paraphrases',
      '满多少包邮？,满 ¥99 包邮,faq-ship-zh,zh,运费|包邮,包邮吗|运费多少钱',
      '"How long is shipping?","Two to three days, usually",faq-time-en,en,,how long|when will it arrive',
      'No answer here,,faq-bad-en,en,,',
    ].join('\n')
    const rows = parseFaqFile(csv, 'csv')
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4])
    expect(record(rows[0].result)).toMatchObject({
      externalId: 'faq-ship-zh',
      question: '满多少包邮？',
      body: '满 ¥99 包邮',
      tags: ['运费', '包邮'],
      paraphrases: ['包邮吗', '运费多少钱'],
    })
    expect(record(rows[1].result)).toMatchObject({
      body: 'Two to three days, usually',
      paraphrases: ['how long', 'when will it arrive'],
    })
    expect(errors(rows[2].result)).toEqual([expect.stringMatching(/^answer: /)])
  })

  it('reports the line a CSV record starts on when a quoted answer spans lines', () => {
    const csv = [
      'question,answer,language',
      '"Where is my order?","Open the app.',
      'Then tap Orders.",en',
      'Broken row,,en',
    ].join('\n')
    const rows = parseFaqFile(csv, 'csv')
    expect(record(rows[0].result).body).toBe('Open the app.\nThen tap Orders.')
    expect(rows.map((row) => row.line)).toEqual([2, 4])
  })

  it('refuses a CSV whose header lacks required columns, naming them', () => {
    expect(() => parseFaqFile('question,id\nQ?,x\n', 'csv')).toThrow(
      'the CSV header lacks answer, language; columns: question,answer,id,language,tags,paraphrases',
    )
  })

  it('reads JSONL rows with arrays, skips blank lines, and reports a bad line by its number', () => {
    const jsonl = [
      JSON.stringify({
        id: 'faq-pay-en',
        question: 'Can I pay with PayPal?',
        answer: 'Yes.',
        language: 'en',
        tags: ['payment'],
        paraphrases: ['paypal ok?', ' ', 'do you take paypal'],
        intents: ['payment_issue'],
      }),
      '',
      '{"question": "broken", ',
      '["not", "an", "object"]',
      JSON.stringify({ question: 'Q?', answer: 'A.', language: 'fr' }),
    ].join('\n')
    const rows = parseFaqFile(jsonl, 'jsonl')
    expect(rows.map((row) => row.line)).toEqual([1, 3, 4, 5])
    expect(record(rows[0].result)).toMatchObject({
      externalId: 'faq-pay-en',
      tags: ['payment'],
      paraphrases: ['paypal ok?', 'do you take paypal'],
      intents: ['payment_issue'],
    })
    expect(errors(rows[1].result)).toEqual([expect.stringMatching(/^not valid JSON: /)])
    expect(errors(rows[2].result)).toEqual(['each line must be a JSON object'])
    expect(errors(rows[3].result)).toEqual([expect.stringMatching(/^language: /)])
  })
})
