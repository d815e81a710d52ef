import { describe, expect, it } from 'vitest'
import { FeatureExtractor, describeFeatures, unitText } from './features.js'
import { hashString } from './hash.js'
import { tokenize } from './tokenize.js'

describe('tokenize', () => {
  it('segments Chinese with jieba and keeps offsets into the text', () => {
    const text = '我要退款,订单lm2026还没到 😀'
    const tokens = tokenize(text)
    expect(tokens.map((token) => token.text)).toEqual(['我要', '退款', '订单', 'lm2026', '还', '没到', '😀'])
    for (const token of tokens) expect(text.slice(token.start, token.end)).toBe(token.text)
  })

  it('keeps apostrophes inside English words and emoji sequences whole', () => {
    expect(tokenize("don't go 👨‍👩‍👧!").map((token) => token.text)).toEqual(["don't", 'go', '👨‍👩‍👧'])
  })
})

describe('FeatureExtractor', () => {
  it('is deterministic across extractors and calls', () => {
    const a = new FeatureExtractor()
    const b = new FeatureExtractor()
    const text = 'I want a REFUND 我要退款 😡'
    const first = Array.from(a.extract(text).hashes.subarray(0, a.extract(text).count))
    const second = Array.from(b.extract(text).hashes.subarray(0, b.extract(text).count))
    expect(first).toEqual(second)
    expect(first.length).toBeGreaterThan(10)
  })

  it('keeps the hash function stable (models depend on it)', () => {
    expect(hashString('refund')).toBe(hashString('refund'))
    expect(hashString('refund')).toBe(2336195408) // fmix32(FNV-1a("refund")), checked independently
  })

  it('produces word, bigram and character n-grams with the n-gram behind each hash', () => {
    const described = describeFeatures('Refund now')
    const ngrams = described.map((feature) => `${feature.kind}:${feature.ngram}`)
    expect(ngrams).toContain('word:refund')
    expect(ngrams).toContain('bigram:refund now')
    expect(ngrams).toContain('char: re')
    expect(ngrams).toContain('char:fund ')
    expect(ngrams).not.toContain('char:re')
    const extracted = new FeatureExtractor().extract('Refund now')
    expect(described.length).toBe(extracted.count)
    expect(described.map((feature) => feature.hash)).toEqual(
      Array.from(extracted.hashes.subarray(0, extracted.count)),
    )
  })

  it('uses Han character uni- and bigrams credited to the jieba word', () => {
    const described = describeFeatures('我要退款')
    const han = described.filter((feature) => feature.kind === 'han_char').map((feature) => feature.ngram)
    expect(han).toEqual(['我', '我要', '要', '要退', '退', '退款', '款'])
    const extracted = new FeatureExtractor().extract('我要退款')
    const units = new Set<string>()
    for (let f = 0; f < extracted.count; f++) units.add(unitText(extracted.tokens, extracted.units[f]))
    expect([...units].sort()).toEqual(['我要', '我要 退款', '退款'].sort())
  })

  it('hashes digits as 0 so numbers share features', () => {
    const a = new FeatureExtractor().extract('waited 2 weeks')
    const hashesA = Array.from(a.hashes.subarray(0, a.count))
    const b = new FeatureExtractor().extract('waited 3 weeks')
    expect(Array.from(b.hashes.subarray(0, b.count))).toEqual(hashesA)
  })

  it('handles empty, emoji-only and 64k-character texts', () => {
    const extractor = new FeatureExtractor()
    expect(extractor.extract('').count).toBe(0)
    expect(extractor.extract('😡😡').count).toBeGreaterThan(0)
    const huge = extractor.extract('refund please '.repeat(5000))
    expect(huge.normalized.length).toBeLessThanOrEqual(4000)
  })

  it('rejects an impossible configuration', () => {
    expect(() => new FeatureExtractor({ hashBits: 40 })).toThrow(/hashBits/)
    expect(() => new FeatureExtractor({ charNgrams: [5, 3] })).toThrow(/charNgrams/)
  })
})
