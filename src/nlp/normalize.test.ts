import { describe, expect, it } from 'vitest'
import * as OpenCC from 'opencc-js'
import { MAX_FEATURE_CHARS, needsSimplification, normalizeText, truncateText } from './normalize.js'

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

describe('needsSimplification', () => {
  const convert = OpenCC.Converter({ from: 'hk', to: 'cn' })
  const flatten = (value: unknown): string[] =>
    Array.isArray(value) ? value.flatMap(flatten) : typeof value === 'string' ? [value] : []
  const keys = [...flatten(OpenCC.Locale.from.hk), ...flatten(OpenCC.Locale.to.cn)].flatMap((dictionary) =>
    dictionary.split('|').map((entry) => entry.split(' ')[0]),
  )

  it('is true for every dictionary key the converter changes, alone and inside Simplified text', () => {
    const missed: string[] = []
    for (const key of keys) {
      for (const text of [key, `我想问一下${key}这个`]) {
        if (convert(text) !== text && !needsSimplification(text)) missed.push(text)
      }
    }
    expect(keys.length).toBeGreaterThan(1000)
    expect(missed).toEqual([])
  })

  it('never says no when the converter would change mixed random text', () => {
    const pool = Array.from('我的订单还没收到请尽快处理么台吃温户坏反覆沈思一目瞭然後面裏頭')
    let state = 7
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31)
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + (next() % 12) }, () => pool[next() % pool.length]).join('')
      if (convert(text) !== text) expect(needsSimplification(text), text).toBe(true)
    }
  })

  it('lets Simplified text skip the converter', () => {
    expect(needsSimplification('我的订单还没收到,请尽快处理!')).toBe(false)
    expect(needsSimplification('hello world')).toBe(false)
    expect(needsSimplification('反覆无常')).toBe(true)
  })
})
