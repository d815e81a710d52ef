import { describe, expect, it } from 'vitest'
import { findBankCards, luhnValid } from './bank-card.js'
import { describeEntityCases } from './test-fixtures.js'

describe('bank_card', () => {
  describeEntityCases('bank_card')

  it('implements the Luhn check', () => {
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('79927398710')).toBe(false)
  })

  it('is more certain after a card word', () => {
    const [plain] = findBankCards('4532015112830366')
    const [cued] = findBankCards('信用卡号：4532015112830366')
    expect(cued.confidence).toBeGreaterThan(plain.confidence)
  })

  it('does not join groups separated by more than one space or hyphen', () => {
    expect(findBankCards('4532 0151  1283 0366')).toEqual([])
  })
})
