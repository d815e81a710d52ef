import { describe, expect, it } from 'vitest'
import { editDistance, findProducts } from './product.js'
import { describeEntityCases, PRODUCTS } from './test-fixtures.js'

describe('product', () => {
  describeEntityCases('product')

  const confidenceOf = (text: string) =>
    findProducts(text, { products: PRODUCTS }).map((entity) => entity.confidence)

  it('ranks an exact name above a case change, spacing change and a typo', () => {
    const [exact] = confidenceOf('Studio H1')
    const [caseChanged] = confidenceOf('studio h1')
    const [spacing] = confidenceOf('studioh1')
    const typo = findProducts('the Smartbrew Cofee Maker', { products: PRODUCTS })
    expect(exact).toBeGreaterThan(caseChanged)
    expect(caseChanged).toBeGreaterThan(spacing)
    expect(spacing).toBeGreaterThan(typo[0].confidence)
    expect(typo[0].confidence).toBeGreaterThan(0.5)
  })

  it('lowers the confidence of a name several products share', () => {
    const [shared] = findProducts('耳机坏了', { products: PRODUCTS })
    expect(shared.normalized).toBe('LM-AUD-001')
    expect(shared.confidence).toBeLessThan(0.6)
  })

  it('keeps digits exact in a fuzzy match and needs the first letter', () => {
    expect(findProducts('Nova Phone 16 Pro', { products: PRODUCTS })).toEqual([])
    expect(findProducts('Smartbrew Coffee Maker', { products: PRODUCTS })).toHaveLength(1)
    expect(findProducts('Xmartbrew Coffee Maker', { products: PRODUCTS })).toEqual([])
  })

  it('does not fuzzy-match short one-word names', () => {
    const products = [{ id: 'k', names: ['Kindle'] }]
    expect(findProducts('kindly help', { products })).toEqual([])
    expect(findProducts('my kindle', { products })[0].normalized).toBe('k')
  })

  it('returns nothing without a catalogue', () => {
    expect(findProducts('Air Pro')).toEqual([])
  })

  it('computes optimal-string-alignment distance with an early exit', () => {
    expect(editDistance('coffee', 'cofee', 2)).toBe(1)
    expect(editDistance('kindle', 'kindel', 2)).toBe(1)
    expect(editDistance('abc', 'abc', 1)).toBe(0)
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3)
  })
})
