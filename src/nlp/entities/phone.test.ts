import { describe, expect, it } from 'vitest'
import { findPhones } from './phone.js'
import { describeEntityCases } from './test-fixtures.js'

describe('phone', () => {
  describeEntityCases('phone')

  it('reads national numbers of another default region', () => {
    const [phone] = findPhones('call (415) 555-2671', { defaultRegion: 'US' })
    expect(phone.value).toBe('(415) 555-2671')
    expect(phone.normalized).toBe('+14155552671')
  })

  it('does not read a US national number as Chinese', () => {
    expect(findPhones('call 415 555 2671')).toEqual([])
  })

  it('finds a mobile number at the end of a longer run of numbers', () => {
    expect(findPhones('2026 11 30 13800138000').map((phone) => phone.value)).toEqual(['13800138000'])
  })
})
