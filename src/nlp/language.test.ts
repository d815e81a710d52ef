import { describe, expect, it } from 'vitest'
import { detectLanguage } from './language.js'

describe('detectLanguage', () => {
  it.each([
    ['我的订单什么时候到？', 'zh'],
    ['我的iPhone坏了', 'zh'],
    ['Where is my order? I paid 3 days ago', 'en'],
    ['Please help 我要退款', 'mixed'],
    ['注文した商品がまだ届きません', 'other'],
    ['Где мой заказ?', 'other'],
    ['😀👍 123 !!!', 'other'],
    ['', 'other'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language)
  })

  it('is less confident on very short texts', () => {
    expect(detectLanguage('ok').confidence).toBeLessThan(
      detectLanguage('okay, thank you very much').confidence,
    )
    expect(detectLanguage('').confidence).toBe(0)
  })

  it('gives confidences in [0, 1]', () => {
    for (const text of ['hi', '好', 'Please help 我要退款', 'x'.repeat(10_000)]) {
      const { confidence } = detectLanguage(text)
      expect(confidence).toBeGreaterThanOrEqual(0)
      expect(confidence).toBeLessThanOrEqual(1)
    }
  })
})
