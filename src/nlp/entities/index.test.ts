import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractEntities, findEntities, isCardNumber, isValidCnId, type Entity } from './index.js'
import { CASES, CONTEXT, NOW } from './test-fixtures.js'
import { ENTITY_TYPES } from './types.js'

const FIXTURE_TEXTS = ENTITY_TYPES.flatMap((type) => [
  ...CASES[type].valid.map((example) => example.text),
  ...CASES[type].invalid.map((example) => example.text),
])

/** Prefixes that shift every offset: astral emoji, a ZWJ family, a flag, a lone surrogate, combining marks. */
const PREFIXES = ['', '😀', '👨‍👩‍👧 ', '🇨🇳🇺🇸', '\uD83D', 'e\u0301\u0301 ', '𠀀𠀁 ']

function expectWellFormed(text: string, entities: readonly Entity[]): void {
  // Collected and asserted once: a 64k message can hold tens of thousands of entities.
  const problems: string[] = []
  let previousEnd = 0
  for (const entity of entities) {
    if (text.slice(entity.start, entity.end) !== entity.value)
      problems.push(`value ${JSON.stringify(entity)}`)
    if (entity.start < previousEnd) problems.push(`overlap or order ${JSON.stringify(entity)}`)
    if (entity.end <= entity.start) problems.push(`empty ${JSON.stringify(entity)}`)
    if (!(entity.confidence > 0 && entity.confidence <= 1))
      problems.push(`confidence ${JSON.stringify(entity)}`)
    previousEnd = entity.end
  }
  expect(problems).toEqual([])
}

describe('extractEntities', () => {
  it('keeps text.slice(start, end) === value, sorted and non-overlapping, for every fixture after any prefix', () => {
    for (const prefix of PREFIXES) {
      for (const fixture of FIXTURE_TEXTS) {
        const text = prefix + fixture
        const shifted = extractEntities(text, CONTEXT)
        expectWellFormed(text, shifted)
        // The same entities are found with or without the prefix, moved by its length.
        const plain = extractEntities(fixture, CONTEXT)
        if (prefix.length > 0 && !/[\w\d]$/.test(prefix)) {
          expect(shifted.map((entity) => [entity.type, entity.value, entity.start - prefix.length])).toEqual(
            plain.map((entity) => [entity.type, entity.value, entity.start]),
          )
        }
      }
    }
  })

  it('keeps the offset property over all fixtures joined into one message, and emoji between them', () => {
    const text = FIXTURE_TEXTS.join(' 🙏🏻 ')
    const entities = extractEntities(text, CONTEXT)
    expectWellFormed(text, entities)
    expect(new Set(entities.map((entity) => entity.type))).toEqual(new Set(ENTITY_TYPES))
  })

  it('keeps the offset property on random mixtures of entity fragments, emoji and arbitrary code units', () => {
    const fragments = [
      ...FIXTURE_TEXTS,
      '13800138000',
      '¥299',
      '6222 0202 0011 2233 446',
      '11010519491231002X',
      '😀',
      '\uDC00',
      '\uD800',
      '明天',
      ' ',
      '-',
      '@',
      '号',
    ]
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 8 })), {
          maxLength: 12,
        }),
        (parts) => {
          const text = parts.join('')
          expectWellFormed(text, extractEntities(text, CONTEXT))
        },
      ),
      { numRuns: 300, seed: 20261125 },
    )
  })

  describe('precedence', () => {
    const types = (text: string) =>
      extractEntities(text, CONTEXT).map((entity) => [entity.type, entity.value])

    it('prefers an email over the phone number in its local part', () => {
      expect(types('13800138000@163.com')).toEqual([['email', '13800138000@163.com']])
    })

    it('prefers a resident id over a card when an 18-digit number passes both checks', () => {
      expect(isValidCnId('440308199901011103') && isCardNumber('440308199901011103')).toBe(true)
      expect(types('号码440308199901011103')).toEqual([['cn_id_number', '440308199901011103']])
    })

    it('reads a labelled 13-digit Luhn-valid number as an order number, not a card', () => {
      expect(isCardNumber('4222222222222')).toBe(true)
      expect(types('订单号 4222222222222')).toEqual([['order_number', '4222222222222']])
    })

    it('reads the same 13 digits without a label as a card', () => {
      expect(types('卡 4222222222222')).toEqual([['bank_card', '4222222222222']])
    })

    it('does not read the digits of an order number as a card, phone or date', () => {
      expect(types('LM20261024-582136')).toEqual([['order_number', 'LM20261024-582136']])
    })

    it('keeps the +86 phone whole rather than a card made of its digits', () => {
      expect(types('+86 138 0013 8000')).toEqual([['phone', '+86 138 0013 8000']])
      expect(types('0086 138 0013 8000')).toEqual([['phone', '0086 138 0013 8000']])
    })

    it('keeps an address and the phone number after it apart', () => {
      expect(types('寄到北京市朝阳区建国路88号13800138000')).toEqual([
        ['address', '北京市朝阳区建国路88号'],
        ['phone', '13800138000'],
      ])
    })
  })

  it('finds only the requested types, and needs no clock when dates are not requested', () => {
    const text = '明天打13800138000'
    expect(findEntities(text, {}, { types: ['phone'] }).map((entity) => entity.type)).toEqual(['phone'])
    expect(() => findEntities(text, {})).toThrow(/now/)
  })

  it('uses configured order-number patterns instead of the defaults, with a named group as the value', () => {
    const context = { now: NOW, orderNumberPatterns: [/工单\s*(?<order>WO\d{6})/] }
    const entities = extractEntities('工单 WO123456 和 LM20261024-582130', context)
    expect(entities.filter((entity) => entity.type === 'order_number').map((entity) => entity.value)).toEqual(
      ['WO123456'],
    )
  })

  describe('bad input', () => {
    it('returns nothing for an empty or emoji-only message', () => {
      expect(extractEntities('', CONTEXT)).toEqual([])
      expect(extractEntities('😀😀🙏🏻👨‍👩‍👧🇨🇳', CONTEXT)).toEqual([])
    })

    it('survives lone surrogates around and inside entities', () => {
      const text = '\uD800明天\uDC00打13800138000\uD83D'
      const entities = extractEntities(text, CONTEXT)
      expectWellFormed(text, entities)
      expect(entities.map((entity) => entity.type)).toEqual(['date', 'phone'])
    })

    // Each input is built to make a backtracking regex go quadratic or worse; these must simply finish.
    const LARGE: Record<string, string> = {
      'digits only': '1'.repeat(65_536),
      'digits and spaces': '1 3'.repeat(21_845),
      'repeated phone numbers': '13800138000 '.repeat(5_461),
      'local parts without @': 'a.b_c'.repeat(13_107),
      'many @ signs': 'a@b.'.repeat(16_384),
      'Chinese numerals': '一百二十'.repeat(16_384),
      'door numbers': '路1号'.repeat(21_845),
      'street words': '1 Main Main Main '.repeat(3_855),
      'weekday words': '下周一'.repeat(21_845),
      'order labels': '订单号'.repeat(21_845),
      'mixed fixtures': FIXTURE_TEXTS.join(' ').repeat(40).slice(0, 65_536),
      'emoji only': '😀'.repeat(32_768),
      'product tokens': 'air pro nova phone 15 '.repeat(2_979),
    }
    for (const [name, text] of Object.entries(LARGE)) {
      it(`finishes on a 64k-character message of ${name}`, () => {
        expectWellFormed(text, extractEntities(text, CONTEXT))
      })
    }
  })
})
