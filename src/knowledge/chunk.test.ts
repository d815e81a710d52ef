import { describe, expect, it } from 'vitest'
import { AppError } from '../core/index.js'
import { chunkArticle, chunkFaq, textUnits, type Chunk } from './chunk.js'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function sentence(index: number): string {
  return `Sentence ${index} explains one detail of the returns process for customers.`
}

/** Every chunk's text is exactly the body between its offsets. */
function expectOffsets(body: string, chunks: readonly Chunk[]): void {
  for (const chunk of chunks) expect(body.slice(chunk.start, chunk.end)).toBe(chunk.text)
}

describe('textUnits', () => {
  it('counts alphabetic words and numbers as one, Han characters as one half', () => {
    expect(textUnits('Refunds take 5 days.')).toBe(4)
    expect(textUnits('退款需要五天')).toBe(3)
    expect(textUnits('iPhone 13 电池')).toBe(3)
    expect(textUnits('')).toBe(0)
  })
})

describe('chunkArticle', () => {
  it('cuts at headings and records the heading path and offsets', () => {
    const body = [
      'Intro line.',
      '',
      '# Returns',
      'Return within 30 days.',
      '',
      '## Labels',
      'Print the label.',
      '',
      '# Refunds',
      'Refunds take 5 days.',
    ].join('\n')
    const chunks = chunkArticle({ id: 'help', title: 'Help centre', body })
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([
      [],
      ['Returns'],
      ['Returns', 'Labels'],
      ['Refunds'],
    ])
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'Intro line.',
      'Return within 30 days.',
      'Print the label.',
      'Refunds take 5 days.',
    ])
    expect(chunks.map((chunk) => chunk.chunkId)).toEqual(['help#0', 'help#1', 'help#2', 'help#3'])
    expectOffsets(body, chunks)
  })

  it('prepends title and headings to the indexed text, not to the display text', () => {
    const [chunk] = chunkArticle({ id: 'a', title: 'Returns', body: '# Policy\nWithin 30 days.' })
    expect(chunk.text).toBe('Within 30 days.')
    expect(chunk.lead).toBe('Returns\nPolicy')
    expect(chunk.indexText).toBe('Returns\nPolicy\n\nWithin 30 days.')
  })

  it('reads setext headings and ignores # inside fenced code', () => {
    const body = 'Setup\n=====\nRun this:\n\n```sh\n# not a heading\nnpm start\n```\n\nDone.'
    const chunks = chunkArticle({ id: 'a', title: 'T', body })
    expect(chunks).toHaveLength(1)
    expect(chunks[0].headingPath).toEqual(['Setup'])
    expect(chunks[0].text).toContain('# not a heading')
    expectOffsets(body, chunks)
  })

  it('merges short paragraphs and keeps chunks under the maximum', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => sentence(i))
    const body = paragraphs.join('\n\n')
    const chunks = chunkArticle({ id: 'a', title: 'T', body })
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.length).toBeLessThan(paragraphs.length)
    for (const chunk of chunks) expect(textUnits(chunk.text)).toBeLessThanOrEqual(250)
    for (const chunk of chunks.slice(0, -1)) expect(textUnits(chunk.text)).toBeGreaterThanOrEqual(80)
    expectOffsets(body, chunks)
    expect(chunks.map((chunk) => chunk.text).join('\n\n')).toBe(body)
  })

  it('splits an over-long paragraph at sentence ends', () => {
    const body = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ')
    const chunks = chunkArticle({ id: 'a', title: 'T', body })
    expect(chunks.length).toBeGreaterThan(2)
    for (const chunk of chunks) {
      expect(textUnits(chunk.text)).toBeLessThanOrEqual(250)
      expect(chunk.text.endsWith('customers.')).toBe(true)
    }
    expectOffsets(body, chunks)
  })

  it('sizes Chinese by characters (about 160–400 per chunk) and cuts after 。', () => {
    const body = '退货需要在收到商品后七天内申请，商品需保持原包装完好。'.repeat(40)
    const chunks = chunkArticle({ id: 'zh', title: '退货政策', body })
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(500)
      expect(chunk.text.endsWith('。')).toBe(true)
    }
    expectOffsets(body, chunks)
  })

  it('hard-cuts a sentence with no punctuation without splitting a surrogate pair', () => {
    const body = '𠀀退'.repeat(600)
    const chunks = chunkArticle({ id: 'a', title: 'T', body }, { maxUnits: 100, minUnits: 10 })
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      expect(LONE_SURROGATE.test(chunk.text)).toBe(false)
      expect(textUnits(chunk.text)).toBeLessThanOrEqual(100)
    }
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(body)
    expectOffsets(body, chunks)
  })

  it('keeps offsets right with CRLF line ends and leading white space', () => {
    const body = '\r\n  # Title\r\n\r\n   First para.\r\nStill first.\r\n\r\nSecond.\r\n'
    const chunks = chunkArticle({ id: 'a', title: 'T', body })
    expect(chunks[0].headingPath).toEqual(['Title'])
    expect(chunks[0].text).toBe('First para.\r\nStill first.\r\n\r\nSecond.')
    expectOffsets(body, chunks)
  })

  it('gives an article without body text one empty chunk so its title can be found', () => {
    const chunks = chunkArticle({ id: 'a', title: 'Opening hours', body: '# Only a heading\n' })
    expect(chunks).toEqual([
      expect.objectContaining({ chunkId: 'a#0', text: '', start: 0, end: 0, indexText: 'Opening hours' }),
    ])
  })

  it('refuses input that is not an article, naming the problem', () => {
    expect(() => chunkArticle({ id: '', title: 'T', body: 'b' })).toThrow(AppError)
    expect(() => chunkArticle({ id: 'a', title: 'T', body: 42 as unknown as string })).toThrow(
      /body of article "a"/,
    )
    expect(() => chunkArticle({ id: 'a', title: 'T', body: 'b' }, { minUnits: 50, maxUnits: 10 })).toThrow(
      /chunk sizes/,
    )
  })
})

describe('chunkFaq', () => {
  it('makes one chunk per entry: answer shown, question and paraphrases indexed', () => {
    const chunks = chunkFaq('faq-refund', [
      {
        question: 'How do I get a refund?',
        paraphrases: ['money back?', '怎么退款'],
        answer: 'Open your order.',
      },
      { question: 'How long does it take?', answer: '5 days.' },
    ])
    expect(chunks).toHaveLength(2)
    expect(chunks[0]).toMatchObject({
      chunkId: 'faq-refund#0',
      articleId: 'faq-refund',
      kind: 'faq',
      text: 'Open your order.',
      start: 0,
      end: 'Open your order.'.length,
      headingPath: ['How do I get a refund?'],
    })
    expect(chunks[0].indexText).toBe('How do I get a refund?\nmoney back?\n怎么退款\n\nOpen your order.')
    expect(chunks[1].chunkId).toBe('faq-refund#1')
  })

  it('never splits a long answer', () => {
    const answer = Array.from({ length: 100 }, (_, i) => sentence(i)).join(' ')
    expect(chunkFaq('f', [{ question: 'Q?', answer }])).toHaveLength(1)
  })
})
