import { describe, expect, it } from 'vitest'
import { DEFAULT_ORDER_NUMBER_PATTERNS, findOrderNumbers } from './order-number.js'
import { describeEntityCases } from './test-fixtures.js'

describe('order_number', () => {
  describeEntityCases('order_number')

  it('replaces the defaults with configured patterns, which may extend them', () => {
    const patterns = [/\bWO-\d{6}\b/]
    expect(
      findOrderNumbers('WO-123456 LM20261024-582130', { patterns }).map((entity) => entity.value),
    ).toEqual(['WO-123456'])
    const extended = [...DEFAULT_ORDER_NUMBER_PATTERNS, ...patterns]
    expect(
      findOrderNumbers('WO-123456 LM20261024-582130', { patterns: extended }).map((entity) => entity.value),
    ).toEqual(['LM20261024-582130', 'WO-123456'])
  })

  it('is not confused by sticky or non-global patterns, and survives an empty match', () => {
    expect(findOrderNumbers('A1 B2', { patterns: [/[A-Z]\d/y] }).map((entity) => entity.value)).toEqual([
      'A1',
      'B2',
    ])
    expect(findOrderNumbers('abc', { patterns: [/x*/] })).toEqual([])
  })

  it('rates the demo format above a labelled id and a bare #number', () => {
    const [demo] = findOrderNumbers('LM20261024-582130')
    const [labelled] = findOrderNumbers('订单号 A2026110188')
    const [hash] = findOrderNumbers('#582130')
    expect(demo.confidence).toBeGreaterThan(labelled.confidence)
    expect(labelled.confidence).toBeGreaterThan(hash.confidence)
  })
})
