import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PlaceholderMap, redact, restore } from './redact.js'

const MESSAGE =
  '我是张小明，手机138 0013 8000，邮箱 Xiaoming.Zhang@example.com，身份证11010519491231002X，' +
  '卡号6222 0202 0011 2233 446，寄到上海市浦东新区世纪大道1888号12楼。订单LM20261024-582130退款¥299。小明'
const SECRETS = [
  '张小明',
  '138 0013 8000',
  'Xiaoming.Zhang@example.com',
  '11010519491231002X',
  '6222 0202 0011 2233 446',
  '上海市浦东新区世纪大道1888号12楼',
]

describe('redact', () => {
  it('replaces every kind of personal data with typed placeholders and keeps order numbers and amounts', () => {
    const result = redact(MESSAGE, { customerName: '张小明' })
    expect(result.redactedText).toBe(
      '我是[NAME_1]，手机[PHONE_1]，邮箱 [EMAIL_1]，身份证[ID_1]，卡号[CARD_1]，寄到[ADDRESS_1]。' +
        '订单LM20261024-582130退款¥299。[NAME_2]',
    )
    expect(result.counts).toEqual({ phone: 1, email: 1, id: 1, card: 1, address: 1, name: 2 })
    expect(result.placeholders.get('[NAME_2]')).toBe('小明')
    expect(restore(result.redactedText, result.placeholders)).toBe(MESSAGE)
  })

  it('gives the same value the same placeholder', () => {
    const result = redact('13800138000 or 13800138000, else 13912345678')
    expect(result.redactedText).toBe('[PHONE_1] or [PHONE_1], else [PHONE_2]')
    expect(result.counts.phone).toBe(3)
    expect(result.placeholders.size).toBe(2)
  })

  it('never shows the mapping through JSON.stringify, util.inspect or console formatting', () => {
    const result = redact(MESSAGE, { customerName: '张小明' })
    const views = [
      JSON.stringify(result),
      JSON.stringify({ result }),
      JSON.stringify(result.placeholders),
      inspect(result),
      inspect(result, { showHidden: true, depth: Infinity, getters: true }),
      inspect({ nested: result }, { depth: Infinity }),
      inspect(result.placeholders, { showHidden: true }),
      String(result),
      JSON.stringify({ ...result }),
    ]
    for (const view of views) {
      for (const secret of [...SECRETS, '13800138000', '小明']) expect(view).not.toContain(secret)
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      redactedText: result.redactedText,
      counts: result.counts,
    })
    expect(result.placeholders).toBeInstanceOf(PlaceholderMap)
  })

  it('redacts a one-character given name only where it stands alone', () => {
    // Placeholders are numbered in order of appearance.
    expect(redact('伟，你好。张伟的伟大理想', { customerName: '张伟' }).redactedText).toBe(
      '[NAME_1]，你好。[NAME_2]的伟大理想',
    )
  })

  it('recognises compound surnames', () => {
    expect(redact('欧阳娜说娜已经付款', { customerName: '欧阳娜' }).redactedText).toBe('[NAME_1]说娜已经付款')
    expect(redact('您好 娜', { customerName: '欧阳娜' }).placeholders.get('[NAME_1]')).toBe('娜')
  })

  it('redacts a Latin name whole ignoring case and its parts as written', () => {
    const result = redact('hi, JOHN SMITH here. John says the Smiths are fine. Johnny too', {
      customerName: 'John Smith',
    })
    expect(result.redactedText).toBe('hi, [NAME_1] here. [NAME_2] says the Smiths are fine. Johnny too')
  })

  it('skips placeholder numbers the customer already wrote, so restore is exact', () => {
    const text = 'I typed [PHONE_1] literally; my number is 13800138000'
    const result = redact(text)
    expect(result.redactedText).toBe('I typed [PHONE_1] literally; my number is [PHONE_2]')
    expect(restore(result.redactedText, result.placeholders)).toBe(text)
  })

  it('redacts numbers, emails and ids typed in full-width characters, and restores them as typed', () => {
    const text =
      '手机１３８ １２３４ ５６７８，国际＋８６　１３９１２３４５６７８，座机（０１０）６５５２　９９８８，' +
      '邮箱ｘｉａｏｍｉｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ，身份证１１０１０５１９４９１２３１００２Ｘ，订单ＬＭ２０２６１０２４－５８２１３０'
    const result = redact(text)
    expect(result.redactedText).toBe(
      '手机[PHONE_1]，国际[PHONE_2]，座机[PHONE_3]，邮箱[EMAIL_1]，身份证[ID_1]，订单ＬＭ２０２６１０２４－５８２１３０',
    )
    expect(result.placeholders.get('[PHONE_1]')).toBe('１３８ １２３４ ５６７８')
    expect(restore(result.redactedText, result.placeholders)).toBe(text)
  })

  it('does not take an order number for a card', () => {
    expect(redact('订单号 4222222222222').redactedText).toBe('订单号 4222222222222')
  })

  it('round-trips any text: restore(redact(x)) === x', () => {
    const fragments = [
      '13800138000',
      '+86 139 1234 5678',
      'a.b@example.com',
      '11010519491231002X',
      '4111 1111 1111 1111',
      '北京市朝阳区建国路88号',
      '张小明',
      '小明',
      '[PHONE_1]',
      '[NAME_',
      ']',
      '😀',
      '\uD800',
      ' ',
    ]
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 6 })), {
          maxLength: 10,
        }),
        (parts) => {
          for (const text of [parts.join(''), parts.join(' | ')]) {
            const result = redact(text, { customerName: '张小明' })
            expect(restore(result.redactedText, result.placeholders)).toBe(text)
          }
          // Set apart by spaces, a phone number and an email are always redacted.
          const separated = redact(parts.join(' | '))
          expect(separated.redactedText.split(' | ')).not.toContain('13800138000')
          expect(separated.redactedText.split(' | ')).not.toContain('a.b@example.com')
        },
      ),
      { numRuns: 300, seed: 7 },
    )
  })

  it('handles empty, emoji-only, lone-surrogate and 64k-character messages', () => {
    expect(redact('').redactedText).toBe('')
    expect(redact('😀🙏🏻').redactedText).toBe('😀🙏🏻')
    expect(redact('\uD800 13800138000 \uDC00').redactedText).toBe('\uD800 [PHONE_1] \uDC00')
    const large = '联系13800138000或者a@b.com，'.repeat(3_000).slice(0, 65_536)
    const result = redact(large, { customerName: '张三' })
    expect(restore(result.redactedText, result.placeholders)).toBe(large)
    expect(result.placeholders.size).toBeLessThanOrEqual(3)
  })
})
