import { describe, expect, it } from 'vitest'
import { findEmails } from './email.js'
import { describeEntityCases } from './test-fixtures.js'

describe('email', () => {
  describeEntityCases('email')

  it('finds several addresses and stops at Chinese text and punctuation', () => {
    expect(
      findEmails('发给a@b.cn或者C@D.COM，谢谢').map((entity) => [entity.value, entity.normalized]),
    ).toEqual([
      ['a@b.cn', 'a@b.cn'],
      ['C@D.COM', 'c@d.com'],
    ])
  })
})
