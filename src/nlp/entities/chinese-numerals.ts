/** Chinese numerals for amounts and dates: 一百二十 → 120, 两千零五 → 2005, 十一 → 11, 二〇二六 → 2026. */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
}
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 }
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 }

/** Characters that may appear in a Chinese numeral. */
export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿'

/**
 * Parses a Chinese numeral; returns null for anything malformed (`一一`, `百百`). A run of bare digits such as
 * `二〇二六` reads digit by digit, as years are written.
 */
export function parseChineseNumeral(text: string): number | null {
  if (text.length === 0 || text.length > 24) return null
  if ([...text].every((char) => char in DIGITS)) {
    if (text.length === 1) return DIGITS[text]
    return text.length === 4 ? Number([...text].map((char) => DIGITS[char]).join('')) : null
  }
  let total = 0
  let section = 0
  let digit: number | null = null
  let lastSmallUnit = Infinity
  // The unit just before the current digit, for the spoken short form: 一万二 = 12000, 三千五 = 3500.
  let unitBefore = 0
  let previousWasUnit = false
  for (const char of text) {
    if (char in DIGITS) {
      if (digit !== null) return null
      if (DIGITS[char] === 0) {
        previousWasUnit = false
        continue
      }
      digit = DIGITS[char]
      unitBefore = previousWasUnit ? unitBefore : 0
      previousWasUnit = false
    } else if (char in SMALL_UNITS) {
      const unit = SMALL_UNITS[char]
      if (unit >= lastSmallUnit) return null
      // 十二 = 12: only 十 may stand without a digit in front.
      if (digit === null && !(unit === 10 && section === 0 && total === 0)) return null
      section += (digit ?? 1) * unit
      lastSmallUnit = unit
      digit = null
      unitBefore = unit
      previousWasUnit = true
    } else if (char in BIG_UNITS) {
      section += digit ?? 0
      if (section === 0) return null
      total += section * BIG_UNITS[char]
      section = 0
      digit = null
      lastSmallUnit = Infinity
      unitBefore = BIG_UNITS[char]
      previousWasUnit = true
    } else {
      return null
    }
  }
  if (digit !== null && unitBefore >= 100) return total + section + digit * (unitBefore / 10)
  return total + section + (digit ?? 0)
}
