import { describe, expect, it } from 'vitest'
import { AppError } from '../core/index.js'
import { createIndex } from './bm25.js'
import { chunkArticle, chunkFaq } from './chunk.js'
import { indexChunks, toIndexDocument } from './documents.js'

describe('toIndexDocument', () => {
  const [chunk] = chunkArticle({ id: 'a', title: 'Refunds', body: 'Within 30 days.' })

  it('indexes the lead leadWeight times and the text once', () => {
    const count = (terms: readonly string[], term: string) => terms.filter((value) => value === term).length
    expect(count(toIndexDocument(chunk, { leadWeight: 1 }).terms, 'refund')).toBe(1)
    expect(count(toIndexDocument(chunk, { leadWeight: 3 }).terms, 'refund')).toBe(3)
    expect(count(toIndexDocument(chunk, { leadWeight: 0 }).terms, 'refund')).toBe(0)
    expect(count(toIndexDocument(chunk, { leadWeight: 3 }).terms, 'dai')).toBe(1)
  })

  it('takes the language of the whole indexed text', () => {
    expect(toIndexDocument(chunk)).toMatchObject({ chunkId: 'a#0', articleId: 'a', language: 'en' })
    const [faq] = chunkFaq('f', [{ question: '怎么退款', answer: '在订单页申请退款。' }])
    expect(toIndexDocument(faq).language).toBe('zh')
  })

  it('refuses a lead weight that is not a whole number', () => {
    expect(() => toIndexDocument(chunk, { leadWeight: 1.5 })).toThrow(AppError)
  })
})

describe('indexChunks', () => {
  it('adds every chunk of an article and reports a repeated one', () => {
    const index = createIndex()
    const chunks = chunkArticle({ id: 'a', title: 'T', body: '# One\nFirst.\n\n# Two\nSecond.' })
    expect(indexChunks(index, chunks).added).toEqual(['a#0', 'a#1'])
    expect(indexChunks(index, chunks).rejected.map(({ error }) => error.code)).toEqual([
      'KB_DUPLICATE_CHUNK',
      'KB_DUPLICATE_CHUNK',
    ])
  })
})
