/**
 * Shared test data for the entity extractors (used only by tests): every valid case must be extracted with
 * its value and normalized form, every invalid case must not produce that type, and the offset property
 * (`text.slice(start, end) === value`) is checked over all of them.
 */
import { describe, expect, it } from 'vitest'
import { extractEntities } from './index.js'
import type { CatalogueProduct, EntityNormalizedValues, EntityType } from './types.js'

/** Wednesday 2026-11-25, 12:00 in Shanghai, 23:00 the day before in New York. */
export const NOW = new Date('2026-11-25T04:00:00Z')

export const PRODUCTS: readonly CatalogueProduct[] = [
  {
    id: 'LM-AUD-001',
    names: [
      '光屿 Air Pro 主动降噪真无线耳机',
      'Lumen Air Pro ANC True Wireless Earbuds',
      'Air Pro',
      '降噪耳机',
      '耳机',
    ],
  },
  {
    id: 'LM-AUD-003',
    names: [
      '光屿 Studio H1 头戴式降噪耳机',
      'Lumen Studio H1 Over-ear ANC Headphones',
      'Studio H1',
      '头戴耳机',
      '耳机',
    ],
  },
  { id: 'LM-MOB-001', names: ['Nova Phone 15 Pro', '新星手机15 Pro'] },
  { id: 'LM-HOM-002', names: ['SmartBrew Coffee Maker', '智能咖啡机'] },
  { id: 'LM-WEA-001', names: ['Lumen Band 8', '光屿手环8'] },
]

export interface ValidCase<T extends EntityType = EntityType> {
  readonly text: string
  readonly value: string
  readonly normalized?: EntityNormalizedValues[T]
}

export interface InvalidCase {
  readonly text: string
  /** Must not be extracted as this type, in whole or in part. */
  readonly value: string
  readonly why: string
}

export type Cases = {
  readonly [T in EntityType]: { valid: readonly ValidCase<T>[]; invalid: readonly InvalidCase[] }
}

export const CASES: Cases = {
  phone: {
    valid: [
      { text: '我的手机13800138000', value: '13800138000', normalized: '+8613800138000' },
      { text: '电话 138 0013 8000 谢谢', value: '138 0013 8000', normalized: '+8613800138000' },
      { text: '打138-0013-8000找我', value: '138-0013-8000', normalized: '+8613800138000' },
      { text: '号码+86 139 1234 5678', value: '+86 139 1234 5678', normalized: '+8613912345678' },
      { text: '0086 15912345678 is my number', value: '0086 15912345678', normalized: '+8615912345678' },
      { text: '联系 86 186 1234 5678', value: '86 186 1234 5678', normalized: '+8618612345678' },
      { text: '座机021-68888888', value: '021-68888888', normalized: '+862168888888' },
      { text: '办公室 (010) 6552 9988', value: '(010) 6552 9988', normalized: '+861065529988' },
      { text: '客服热线400-820-8820', value: '400-820-8820', normalized: '+864008208820' },
      { text: 'Call me at +1 415 555 2671 tonight', value: '+1 415 555 2671', normalized: '+14155552671' },
      { text: 'UK office: +44 20 7183 8750.', value: '+44 20 7183 8750', normalized: '+442071838750' },
    ],
    invalid: [
      { text: '我的号码是12345678901', value: '12345678901', why: '12x is not a Chinese mobile prefix' },
      { text: '电话 138 0013 800', value: '138 0013 800', why: 'ten digits is not a mobile' },
      { text: '手机+86 138 0013 80', value: '+86 138 0013 80', why: 'too short after +86' },
      { text: 'Call +1 000 555 2671', value: '+1 000 555 2671', why: 'impossible NANP area code' },
      { text: '2026-11-30 到货', value: '2026-11-30', why: 'a date is not a phone' },
      { text: 'SKU AB13800138000', value: '13800138000', why: 'digits glued to letters are a code' },
    ],
  },
  email: {
    valid: [
      { text: '邮箱 Li.Wei@Example.COM 谢谢', value: 'Li.Wei@Example.COM', normalized: 'li.wei@example.com' },
      {
        text: '发到zhang_san+crm@mail.qq.com。',
        value: 'zhang_san+crm@mail.qq.com',
        normalized: 'zhang_san+crm@mail.qq.com',
      },
      {
        text: 'mail me at j.doe@sub.example.co.uk.',
        value: 'j.doe@sub.example.co.uk',
        normalized: 'j.doe@sub.example.co.uk',
      },
      {
        text: '13800138000@163.com是我的邮箱',
        value: '13800138000@163.com',
        normalized: '13800138000@163.com',
      },
    ],
    invalid: [
      { text: 'twitter @lumen_shop', value: '@lumen_shop', why: 'no local part' },
      { text: 'name@localhost please', value: 'name@localhost', why: 'no top-level domain' },
      { text: 'a..b@example.com', value: 'a..b@example.com', why: 'double dot in local part' },
    ],
  },
  cn_id_number: {
    valid: [
      { text: '身份证11010519491231002X', value: '11010519491231002X', normalized: '11010519491231002X' },
      {
        text: '身份证号 11010519491231002x。',
        value: '11010519491231002x',
        normalized: '11010519491231002X',
      },
      { text: 'ID: 440308199901011234', value: '440308199901011234', normalized: '440308199901011234' },
      { text: '证件号310115 20001231 0049', value: '310115 20001231 0049', normalized: '310115200012310049' },
    ],
    invalid: [
      { text: '身份证110105194912310021', value: '110105194912310021', why: 'wrong check digit' },
      { text: '身份证440308199913011231', value: '440308199913011231', why: 'month 13 (check digit right)' },
      {
        text: '身份证990308199901011231',
        value: '990308199901011231',
        why: 'no province 99 (check digit right)',
      },
      {
        text: '身份证440308203001011238',
        value: '440308203001011238',
        why: 'born after now (check digit right)',
      },
    ],
  },
  bank_card: {
    valid: [
      {
        text: '卡号6222 0202 0011 2233 446',
        value: '6222 0202 0011 2233 446',
        normalized: '6222020200112233446',
      },
      {
        text: 'card 4111-1111-1111-1111 please refund',
        value: '4111-1111-1111-1111',
        normalized: '4111111111111111',
      },
      { text: '退到这张卡4532015112830366', value: '4532015112830366', normalized: '4532015112830366' },
    ],
    invalid: [
      { text: '卡号6222 0202 0011 2233 445', value: '6222 0202 0011 2233 445', why: 'fails Luhn' },
      { text: '卡号4111111111111112', value: '4111111111111112', why: 'fails Luhn' },
      {
        text: '订单号 4222222222222 查一下',
        value: '4222222222222',
        why: 'a labelled 13-digit order number',
      },
      { text: '号码0000000000000', value: '0000000000000', why: 'one repeated digit' },
      { text: '手机 +86 138 0013 8000', value: '86 138 0013 8000', why: 'a phone number' },
    ],
  },
  order_number: {
    valid: [
      { text: '订单LM20261024-582130还没到', value: 'LM20261024-582130', normalized: 'LM20261024-582130' },
      {
        text: 'my order lm20261024-582130 is late',
        value: 'lm20261024-582130',
        normalized: 'LM20261024-582130',
      },
      { text: '订单号：A2026110188 麻烦查下', value: 'A2026110188', normalized: 'A2026110188' },
      { text: '订单号 4222222222222 查一下', value: '4222222222222', normalized: '4222222222222' },
      { text: 'Where is order #58213?', value: '58213', normalized: '58213' },
      { text: 'order no. SO-88231 was charged twice', value: 'SO-88231', normalized: 'SO-88231' },
    ],
    invalid: [
      { text: '订单号是多少', value: '是多少', why: 'no id after the label' },
      { text: 'item #12 please', value: '12', why: 'fewer than five digits' },
      { text: 'order number please', value: 'please', why: 'no digit' },
    ],
  },
  amount: {
    valid: [
      { text: '退款¥299还没到', value: '¥299', normalized: { amount: 29900, currency: 'CNY' } },
      { text: '付了 ￥1,299.50', value: '￥1,299.50', normalized: { amount: 129950, currency: 'CNY' } },
      { text: '一共299元', value: '299元', normalized: { amount: 29900, currency: 'CNY' } },
      { text: '才99块', value: '99块', normalized: { amount: 9900, currency: 'CNY' } },
      { text: '50块钱的东西', value: '50块钱', normalized: { amount: 5000, currency: 'CNY' } },
      { text: 'RMB 299 is too much', value: 'RMB 299', normalized: { amount: 29900, currency: 'CNY' } },
      { text: 'CNY1299 total', value: 'CNY1299', normalized: { amount: 129900, currency: 'CNY' } },
      { text: 'I paid $45 twice', value: '$45', normalized: { amount: 4500, currency: 'USD' } },
      { text: 'refund US$45.99 now', value: 'US$45.99', normalized: { amount: 4599, currency: 'USD' } },
      { text: 'that is 45 USD', value: '45 USD', normalized: { amount: 4500, currency: 'USD' } },
      { text: 'only €30.5', value: '€30.5', normalized: { amount: 3050, currency: 'EUR' } },
      { text: 'paid £12', value: '£12', normalized: { amount: 1200, currency: 'GBP' } },
      { text: '香港HK$120', value: 'HK$120', normalized: { amount: 12000, currency: 'HKD' } },
      { text: '一百二十元太贵', value: '一百二十元', normalized: { amount: 12000, currency: 'CNY' } },
      { text: '两千零五块钱', value: '两千零五块钱', normalized: { amount: 200500, currency: 'CNY' } },
      { text: '预算1.5万元', value: '1.5万元', normalized: { amount: 1500000, currency: 'CNY' } },
      { text: '20 dollars back', value: '20 dollars', normalized: { amount: 2000, currency: 'USD' } },
    ],
    invalid: [
      { text: '我买了两块电池', value: '两块', why: '块 as a measure word' },
      { text: '买了3块手表', value: '3块', why: '块 as a measure word' },
      { text: 'I need 299 of them', value: '299', why: 'no currency' },
      { text: '订单LM20261024-582130', value: '20261024', why: 'digits of an order number' },
    ],
  },
  date: {
    valid: [
      { text: '2026-11-30前能到吗', value: '2026-11-30', normalized: '2026-11-30' },
      { text: '2027/1/5 发货', value: '2027/1/5', normalized: '2027-01-05' },
      { text: '11月30日前', value: '11月30日', normalized: '2026-11-30' },
      { text: '12月3号能到吗', value: '12月3号', normalized: '2026-12-03' },
      { text: '2025年12月31日买的', value: '2025年12月31日', normalized: '2025-12-31' },
      { text: '十二月一日', value: '十二月一日', normalized: '2026-12-01' },
      { text: 'arrive by 11/30', value: '11/30', normalized: '2026-11-30' },
      { text: 'deliver on 30 Nov', value: '30 Nov', normalized: '2026-11-30' },
      { text: 'ordered on Nov 2nd, 2026', value: 'Nov 2nd, 2026', normalized: '2026-11-02' },
      { text: 'by January 3', value: 'January 3', normalized: '2027-01-03' },
      { text: '今天能发吗', value: '今天', normalized: '2026-11-25' },
      { text: '明天到吗', value: '明天', normalized: '2026-11-26' },
      { text: '后天', value: '后天', normalized: '2026-11-27' },
      { text: '昨天下的单', value: '昨天', normalized: '2026-11-24' },
      { text: '下周一送', value: '下周一', normalized: '2026-11-30' },
      { text: '这周五之前', value: '这周五', normalized: '2026-11-27' },
      { text: '下个月再说', value: '下个月', normalized: '2026-12-01' },
      { text: '3天后到', value: '3天后', normalized: '2026-11-28' },
      { text: '两周后', value: '两周后', normalized: '2026-12-09' },
      { text: 'tomorrow please', value: 'tomorrow', normalized: '2026-11-26' },
      { text: 'it came yesterday', value: 'yesterday', normalized: '2026-11-24' },
      { text: 'next Monday works', value: 'next Monday', normalized: '2026-11-30' },
      { text: 'this Friday', value: 'this Friday', normalized: '2026-11-27' },
      { text: 'next Friday', value: 'next Friday', normalized: '2026-12-04' },
      { text: 'in 3 days', value: 'in 3 days', normalized: '2026-11-28' },
      { text: 'two weeks ago', value: 'two weeks ago', normalized: '2026-11-11' },
    ],
    invalid: [
      { text: '2026-02-30 到', value: '2026-02-30', why: 'no February 30' },
      { text: '13月5日', value: '13月5日', why: 'month 13 (check digit right)' },
      { text: '一周一次', value: '周一', why: 'once a week, not Monday' },
      { text: 'I may 2x the order', value: 'may 2', why: 'not a day number' },
    ],
  },
  product: {
    valid: [
      { text: '我的Air Pro坏了', value: 'Air Pro', normalized: 'LM-AUD-001' },
      { text: '我的air pro坏了', value: 'air pro', normalized: 'LM-AUD-001' },
      { text: '买了airpro', value: 'airpro', normalized: 'LM-AUD-001' },
      { text: 'my studio-h1 broke', value: 'studio-h1', normalized: 'LM-AUD-003' },
      { text: 'is the Nova Phone 15 Pro in stock', value: 'Nova Phone 15 Pro', normalized: 'LM-MOB-001' },
      { text: 'the Smartbrew Cofee Maker leaks', value: 'Smartbrew Cofee Maker', normalized: 'LM-HOM-002' },
      {
        text: 'my Lumen Studio H1 Over-ear ANC Hedphones',
        value: 'Lumen Studio H1 Over-ear ANC Hedphones',
        normalized: 'LM-AUD-003',
      },
      { text: '智能咖啡机漏水', value: '智能咖啡机', normalized: 'LM-HOM-002' },
      { text: '光屿手环 8 充不进电', value: '光屿手环 8', normalized: 'LM-WEA-001' },
    ],
    invalid: [
      { text: 'is the Nova Phone 16 Pro out', value: 'Nova Phone 16 Pro', why: 'a different model number' },
      { text: 'the airprobe sensor', value: 'airpro', why: 'inside a longer word' },
      { text: 'Tempo app', value: 'Tempo', why: 'not in the catalogue' },
    ],
  },
  address: {
    valid: [
      {
        text: '新地址是上海市浦东新区世纪大道1888号12楼，电话13800138000',
        value: '上海市浦东新区世纪大道1888号12楼',
        normalized: '上海市浦东新区世纪大道1888号12楼',
      },
      { text: '我家在朝阳区建国路88号院3号楼2单元501', value: '朝阳区建国路88号院3号楼2单元501' },
      { text: '寄到杭州市西湖区文三路 478 号', value: '杭州市西湖区文三路 478 号' },
      { text: '上海市长宁区虹桥路1号A座1201室', value: '上海市长宁区虹桥路1号A座1201室' },
      { text: '地址：广东省深圳市南山区科技南路88弄3号', value: '广东省深圳市南山区科技南路88弄3号' },
      {
        text: 'Please ship to 1888 Century Avenue, Pudong New Area, Shanghai 200120. Thanks',
        value: '1888 Century Avenue, Pudong New Area, Shanghai 200120',
      },
      { text: 'I live at 221B Baker Street, London', value: '221B Baker Street, London' },
      {
        text: 'send it to 350 Fifth Avenue, Apt 4B, New York, NY 10118',
        value: '350 Fifth Avenue, Apt 4B, New York, NY 10118',
      },
    ],
    invalid: [
      { text: '12月5号发货', value: '12月5号', why: 'a date, not a door number' },
      { text: '我在公司3楼', value: '公司3楼', why: 'no street or district' },
      {
        text: 'I have 3 apples on the way',
        value: '3 apples on the way',
        why: 'lower-case words are not a street',
      },
    ],
  },
}

/** The context every fixture is extracted with. */
export const CONTEXT = { now: NOW, products: PRODUCTS } as const

/** Runs the valid and invalid fixture cases of one entity type through {@link extractEntities}. */
export function describeEntityCases(type: EntityType): void {
  describe(`${type} fixtures`, () => {
    for (const example of CASES[type].valid) {
      it(`extracts "${example.value}" from "${example.text}"`, () => {
        const found = extractEntities(example.text, CONTEXT).filter((entity) => entity.type === type)
        const match = found.find((entity) => entity.value === example.value)
        expect(match, `found: ${JSON.stringify(found)}`).toBeDefined()
        expect(example.text.slice(match!.start, match!.end)).toBe(example.value)
        expect(match!.confidence).toBeGreaterThan(0)
        expect(match!.confidence).toBeLessThanOrEqual(1)
        if (example.normalized !== undefined) expect(match!.normalized).toEqual(example.normalized)
      })
    }
    for (const example of CASES[type].invalid) {
      it(`does not extract "${example.value}" (${example.why})`, () => {
        const at = example.text.indexOf(example.value)
        expect(at).toBeGreaterThanOrEqual(0)
        const overlapping = extractEntities(example.text, CONTEXT).filter(
          (entity) => entity.type === type && entity.start < at + example.value.length && entity.end > at,
        )
        expect(overlapping).toEqual([])
      })
    }
  })
}
