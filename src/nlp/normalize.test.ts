import { describe, expect, it } from 'vitest'
import { MAX_FEATURE_CHARS, normalizeText, truncateText } from './normalize.js'

describe('normalizeText', () => {
  it('folds full-width letters, digits and punctuation to half-width', () => {
    expect(normalizeText('ＡＢＣ１２３，！？').normalized).toBe('abc123,!?')
  })

  it('converts Traditional Chinese to Simplified and keeps the original', () => {
    const result = normalizeText('我的訂單還沒收到，請盡快處理！')
    expect(result.normalized).toBe('我的订单还没收到,请尽快处理!')
    expect(result.original).toBe('我的訂單還沒收到，請盡快處理！')
  })

  it('keeps emoji, including skin tones and ZWJ sequences', () => {
    expect(normalizeText('Great 👍🏻 service 😀 👨‍👩‍👧').normalized).toBe('great 👍🏻 service 😀 👨‍👩‍👧')
  })

  it('lower-cases Latin and collapses white space (the ideographic space included)', () => {
    expect(normalizeText('  Hello\u3000\tWORLD \n again ').normalized).toBe('hello world again')
  })

  it('removes zero-width spaces and byte-order marks', () => {
    expect(normalizeText('re\u200Bfund\uFEFF').normalized).toBe('refund')
  })

  it('replaces lone surrogates instead of crashing', () => {
    const result = normalizeText('bad \uD800 text \uDC00 end')
    expect(result.normalized).toBe('bad \uFFFD text \uFFFD end')
  })

  it('handles empty and emoji-only input', () => {
    expect(normalizeText('')).toEqual({ original: '', normalized: '', truncated: false })
    expect(normalizeText('😡😡😡').normalized).toBe('😡😡😡')
  })

  it('caps the work on a 64k-character message with maxLength', () => {
    const huge = '退款'.repeat(32_768)
    const result = normalizeText(huge, { maxLength: MAX_FEATURE_CHARS })
    expect(result.truncated).toBe(true)
    expect(result.normalized.length).toBe(MAX_FEATURE_CHARS)
    expect(result.original).toBe(huge)
  })

  it('never cuts a surrogate pair in half', () => {
    expect(truncateText('ab😀', 3)).toBe('ab')
    expect(truncateText('ab😀', 4)).toBe('ab😀')
  })
})
