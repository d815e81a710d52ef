import { describe, expect, it } from 'vitest'
import { findAmounts } from './amount.js'
import { parseChineseNumeral } from './chinese-numerals.js'
import { describeEntityCases } from './test-fixtures.js'

describe('amount', () => {
  describeEntityCases('amount')

  it('rejects amounts beyond the money schema and numbers with three decimals', () => {
    expect(findAmounts('¥99999999999999999')).toEqual([])
    expect(findAmounts('$4.999')).toEqual([])
  })

  it('uses minor units of the currency: the yen has none', () => {
    expect(findAmounts('1200 JPY')[0].normalized).toEqual({ amount: 1200, currency: 'JPY' })
  })
})

describe('parseChineseNumeral', () => {
  it.each([
    ['十', 10],
    ['十二', 12],
    ['一百二十', 120],
    ['一百零一', 101],
    ['两千零五', 2005],
    ['三千五', 3500],
    ['一万二', 12000],
    ['五十万', 500000],
    ['二〇二六', 2026],
  ])('reads %s as %d', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value)
  })

  it.each(['百', '一一', '十十', '千百', 'abc', ''])('rejects %j', (text) => {
    expect(parseChineseNumeral(text)).toBeNull()
  })
})
