import type { Currency } from '../../core/index.js'
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './chinese-numerals.js'
import { isHan, makeEntity, type Entity } from './types.js'

/** A number: digits, optional thousands groups of exactly three, optional decimals (`1,299.50`). */
const NUMBER = String.raw`\d+(?:,\d{3}(?!\d))*(?:\.\d+)?`

/** Currency written before the number: `¥299`, `US$ 45`, `RMB299`, `HK$120`. */
const PREFIX = new RegExp(
  String.raw`(?<![A-Za-z0-9])(US\$|HK\$|NT\$|S\$|A\$|C\$|RMB|CNY|USD|HKD|EUR|GBP|JPY|TWD|SGD|AUD|CAD|[¥￥$€£])\s?(${NUMBER})(?:\s?(万))?(?:\s?(元))?`,
  'gi',
)

const SUFFIX_UNITS = String.raw`块钱|块|元|圆|人民币|RMB|CNY|美元|美金|刀|USD|港币|港元|HKD|欧元|EUR|英镑|GBP|日元|JPY|新台币|台币|TWD|新币|SGD|澳元|AUD|加元|CAD|dollars?|bucks?|yuan|rmb|euros?|pounds?|yen`

/** Currency written after the number: `299元`, `299 块`, `45 USD`, `1.5万元`, `20 dollars`. */
const SUFFIX = new RegExp(
  String.raw`(?<![\d.,A-Za-z$¥￥€£])(${NUMBER})\s?([万千]?)\s?(${SUFFIX_UNITS})(?![A-Za-z])`,
  'gi',
)

/** Chinese numerals before a currency word: `一百二十元`, `两百块`, `三千五百块钱`. */
const CHINESE = new RegExp(
  `(?<![${CHINESE_NUMERAL_CHARS}点])([${CHINESE_NUMERAL_CHARS}]{1,20})(?:点([零〇一二三四五六七八九]{1,2}))?(块钱|块|元|圆|美元|美金|港币|港元|欧元|英镑|日元)`,
  'g',
)

const CURRENCY_OF: Readonly<Record<string, Currency>> = {
  us$: 'USD',
  hk$: 'HKD',
  nt$: 'TWD',
  s$: 'SGD',
  a$: 'AUD',
  c$: 'CAD',
  rmb: 'CNY',
  cny: 'CNY',
  usd: 'USD',
  hkd: 'HKD',
  eur: 'EUR',
  gbp: 'GBP',
  jpy: 'JPY',
  twd: 'TWD',
  sgd: 'SGD',
  aud: 'AUD',
  cad: 'CAD',
  '¥': 'CNY',
  '￥': 'CNY',
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  块钱: 'CNY',
  块: 'CNY',
  元: 'CNY',
  圆: 'CNY',
  人民币: 'CNY',
  yuan: 'CNY',
  美元: 'USD',
  美金: 'USD',
  刀: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  buck: 'USD',
  bucks: 'USD',
  港币: 'HKD',
  港元: 'HKD',
  欧元: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  英镑: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
  日元: 'JPY',
  yen: 'JPY',
  新台币: 'TWD',
  台币: 'TWD',
  新币: 'SGD',
  澳元: 'AUD',
  加元: 'CAD',
}

/** Units that also measure weight or count (`5 pounds`, `3 bucks` of deer): lower confidence. */
const AMBIGUOUS_UNITS = new Set(['pound', 'pounds', 'buck'])

/** Minor-unit digits (ISO 4217): two for every supported currency but the yen. */
function minorDigits(currency: Currency): number {
  return currency === 'JPY' ? 0 : 2
}

/** Largest magnitude the money schema accepts, in minor units. */
const MAX_MINOR = 1e13

/** After `块` these characters still read as money (`299块的`, `50块吗`); any other Han character makes it a measure word (`两块电池`). */
const AFTER_KUAI = new Set('钱的吗呢啊了吧呀哦嘛左右多就都还也又才啦噢哈')

/**
 * Finds amounts of money with a currency; `normalized` is `{ amount: minorUnits, currency }` (¥ and 元 are
 * CNY, `$` alone is USD). Numbers without a currency are not amounts.
 *
 * @example
 *   findAmounts('退我 1,299.50 元')[0].normalized // { amount: 129950, currency: 'CNY' }
 */
export function findAmounts(text: string): Entity<'amount'>[] {
  const entities: Entity<'amount'>[] = []
  PREFIX.lastIndex = 0
  for (let match = PREFIX.exec(text); match !== null; match = PREFIX.exec(text)) {
    const currency = CURRENCY_OF[match[1].toLowerCase()]
    const multiplier = match[3] === '万' ? 10_000 : 1
    const amount = toMinor(match[2], multiplier, currency)
    if (amount === null) continue
    const confidence = match[1].length > 1 ? 0.95 : 0.93
    entities.push(
      makeEntity('amount', text, match.index, match.index + match[0].length, confidence, {
        amount,
        currency,
      }),
    )
  }
  SUFFIX.lastIndex = 0
  for (let match = SUFFIX.exec(text); match !== null; match = SUFFIX.exec(text)) {
    const unit = match[3]
    const currency = CURRENCY_OF[unit.toLowerCase()]
    const end = match.index + match[0].length
    if (unit === '块' && !readsAsMoneyAfterKuai(text, end)) continue
    const multiplier = match[2] === '万' ? 10_000 : match[2] === '千' ? 1000 : 1
    const amount = toMinor(match[1], multiplier, currency)
    if (amount === null) continue
    const confidence = AMBIGUOUS_UNITS.has(unit.toLowerCase())
      ? 0.7
      : unit === '块' || unit === '刀'
        ? 0.88
        : 0.95
    entities.push(makeEntity('amount', text, match.index, end, confidence, { amount, currency }))
  }
  CHINESE.lastIndex = 0
  for (let match = CHINESE.exec(text); match !== null; match = CHINESE.exec(text)) {
    const unit = match[3]
    const end = match.index + match[0].length
    if (unit === '块' && !readsAsMoneyAfterKuai(text, end)) continue
    const whole = parseChineseNumeral(match[1])
    if (whole === null) continue
    const currency = CURRENCY_OF[unit]
    const fraction =
      match[2] === undefined ? '' : [...match[2]].map((char) => parseChineseNumeral(char)).join('')
    const amount = toMinor(fraction === '' ? String(whole) : `${whole}.${fraction}`, 1, currency)
    if (amount === null) continue
    entities.push(makeEntity('amount', text, match.index, end, 0.85, { amount, currency }))
  }
  return entities
}

function readsAsMoneyAfterKuai(text: string, end: number): boolean {
  const next = text.charCodeAt(end)
  return Number.isNaN(next) || !isHan(next) || AFTER_KUAI.has(text[end])
}

/** `1,299.50` → 129950 for a two-decimal currency; null when it is out of range or has too many decimals. */
function toMinor(number: string, multiplier: number, currency: Currency): number | null {
  const plain = number.replace(/,/g, '')
  const [whole, fraction = ''] = plain.split('.')
  if (whole.length > 15) return null
  const digits = minorDigits(currency)
  if (multiplier === 1 && fraction.length > 2) return null
  const amount = Math.round(Number(plain) * multiplier * 10 ** digits)
  return Number.isFinite(amount) && amount <= MAX_MINOR ? amount : null
}
