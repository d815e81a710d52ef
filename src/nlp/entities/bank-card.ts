import { digitsOf, findDigitChunks } from './digits.js'
import { makeEntity, type Entity } from './types.js'

/** Words just before a number that make it a card: 卡号, 银行卡, 信用卡, card. */
const CARD_CUE = /(?:卡号|银行卡|信用卡|借记卡|储蓄卡|card)\s*(?:no\.?|number|#)?\s*[:：是为]?\s*$/i

/**
 * Finds bank card numbers: 13–19 digits, written solid or in groups separated by single spaces or hyphens,
 * that pass the Luhn check and start like a card (2–6 or 9: Mastercard, Amex, JCB, Visa, UnionPay…).
 * A number that fails Luhn is not a card. Numbers with `+`, parentheses or dots are phone numbers or
 * amounts, never cards; a number made of one repeated digit is not a card either.
 *
 * @example
 *   findBankCards('卡号 6222 0202 0011 2233 445')
 */
export function findBankCards(text: string): Entity<'bank_card'>[] {
  const entities: Entity<'bank_card'>[] = []
  for (const chunk of findDigitChunks(text)) {
    const groups = chunk.groups
    let first = 0
    while (first < groups.length) {
      const start = groups[first].start
      // A `+` or `(` in front means a phone number.
      if (start > 0 && (text[start - 1] === '+' || text[start - 1] === '(')) {
        first += 1
        continue
      }
      let best = -1
      let digitCount = 0
      for (let last = first; last < groups.length; last += 1) {
        digitCount += groups[last].end - groups[last].start
        if (digitCount > 19) break
        if (last > first && !/^[ -]$/.test(text.slice(groups[last - 1].end, groups[last].start))) break
        if (digitCount >= 13 && isCardNumber(digitsOf(text, start, groups[last].end))) best = last
      }
      if (best < 0) {
        first += 1
        continue
      }
      const end = groups[best].end
      const cue = CARD_CUE.test(text.slice(Math.max(0, start - 16), start))
      entities.push(makeEntity('bank_card', text, start, end, cue ? 0.97 : 0.9, digitsOf(text, start, end)))
      first = best + 1
    }
  }
  return entities
}

/** True for 13–19 digits with a card-like first digit, not all the same, and a valid Luhn check digit. */
export function isCardNumber(digits: string): boolean {
  if (!/^[2-69]\d{12,18}$/.test(digits) || /^(\d)\1+$/.test(digits)) return false
  return luhnValid(digits)
}

/** The Luhn (mod 10) check used by payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  let double = false
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48
    if (double) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
    double = !double
  }
  return sum % 10 === 0
}
