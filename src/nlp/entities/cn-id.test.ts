import { describe, expect, it } from 'vitest'
import { findCnIdNumbers, isValidCnId } from './cn-id.js'
import { describeEntityCases } from './test-fixtures.js'

describe('cn_id_number', () => {
  describeEntityCases('cn_id_number')

  it('validates the GB 11643 check character, including X', () => {
    expect(isValidCnId('11010519491231002X')).toBe(true)
    expect(isValidCnId('110105194912310029')).toBe(false)
  })

  it('accepts birth dates up to 2099 when no clock is given, and none after now when one is', () => {
    expect(isValidCnId('440308203001011238')).toBe(true)
    expect(isValidCnId('440308203001011238', new Date('2026-11-25T04:00:00Z'))).toBe(false)
    expect(findCnIdNumbers('440308203001011238', { now: new Date('2026-11-25T04:00:00Z') })).toEqual([])
  })

  it('does not take 18 digits out of a longer number', () => {
    expect(findCnIdNumbers('911010519491231002X')).toEqual([])
  })
})
