import { describe, expect, it } from 'vitest'
import { findAddresses } from './address.js'
import { findPhones } from './phone.js'
import { describeEntityCases } from './test-fixtures.js'

describe('address', () => {
  describeEntityCases('address')

  it('is less certain than the validated types', () => {
    const [address] = findAddresses('寄到北京市朝阳区建国路88号')
    const [phone] = findPhones('13800138000')
    expect(address.confidence).toBeLessThan(phone.confidence)
    expect(address.confidence).toBeGreaterThan(0.5)
  })

  it('normalizes runs of white space', () => {
    const [address] = findAddresses('寄到杭州市西湖区文三路\u3000478\u00a0号')
    expect(address.normalized).toBe('杭州市西湖区文三路 478 号')
  })

  it('starts after the words that lead into it', () => {
    expect(findAddresses('麻烦帮我改一下朝阳区建国路88号').map((entity) => entity.value)).toEqual([
      '朝阳区建国路88号',
    ])
    expect(findAddresses('地址改成成都市武侯区人民南路4段1号').map((entity) => entity.value)).toEqual([
      '成都市武侯区人民南路4段1号',
    ])
  })
})
