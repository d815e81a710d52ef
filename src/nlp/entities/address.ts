import { isHan, makeEntity, type Entity } from './types.js'

const UNIT = String.raw`(?:号楼|号院|号|弄|栋|幢|座|单元|楼|层|室)`

/**
 * The door-number end of a Chinese address: `88号`, `1888 号 12 楼`, `88弄3号1201室`, `3号楼2单元501`.
 * Each repetition needs a number and a unit, and the trailing bare room number must not run into more digits,
 * so a phone number written after the address is never swallowed.
 */
const ZH_TAIL = new RegExp(
  String.raw`(?<!\d)\d{1,5}(?:-\d{1,5})?\s?${UNIT}(?:\s?(?:\d{1,5}(?:-\d{1,5})?|[A-Za-z]{1,2}|[一二三四五六七八九十]{1,3})\s?${UNIT})*(?:\s?\d{1,5}(?!\d)(?:室|房)?)?`,
  'g',
)

/** Characters of an administrative or street unit; an address needs one before its door number. */
const UNIT_CHARS = new Set('省市区县镇乡村路街道巷弄里')

/** Words that end right before an address: `地址是…`, `寄到…`, `改成…`. */
const CUES = [
  '收货地址',
  '地址是',
  '地址为',
  '地址',
  '寄到',
  '送到',
  '发到',
  '寄至',
  '送至',
  '发至',
  '改到',
  '改成',
  '改为',
  '换成',
  '搬到',
  '住在',
  '位于',
]

/** Characters that do not begin a place name (`我家在`, `帮我改一下`); only looked for before the first unit. */
const STOP_CHARS = new Set(
  '的了吗呢吧啊呀哦给把帮请麻烦下个一改换寄送发到在是至往去住我你他她们要想地址收货为：:，,、。 ',
)

/** Full names of provinces and municipalities, which make an address more certain. */
const PROVINCES =
  /北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门/

const STREET_SUFFIX = String.raw`(?:[Ss]treet|St|[Rr]oad|Rd|[Aa]venue|Ave|[Bb]oulevard|Blvd|[Ll]ane|Ln|[Dd]rive|Dr|[Cc]ourt|Ct|[Ww]ay|[Pp]lace|Pl|[Tt]errace|[Pp]arkway|Pkwy|[Hh]ighway|Hwy|[Ss]quare|Sq)`

/** `1888 Century Avenue, Pudong New Area, Shanghai 200120`, `12B Baker St, Apt 4, London`, `No. 88 Zhangjiang Road`. */
const EN_ADDRESS = new RegExp(
  String.raw`\b(?:No\.\s?)?\d{1,6}[A-Za-z]?\s+(?:[A-Z0-9][A-Za-z0-9'-]*\s+){0,4}?${STREET_SUFFIX}\b` +
    String.raw`(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Room|Rm|Floor|Fl)\.?\s*#?[A-Za-z0-9-]{1,6}\b)?` +
    String.raw`(?:,\s*[A-Z][A-Za-z'-]+(?:\s[A-Z][A-Za-z'-]+){0,3}){0,3}(?:,?\s+(?:[A-Z]{2}\s+)?\d{5,6}(?:-\d{4})?(?!\d))?`,
  'g',
)

/**
 * Finds postal addresses (lower confidence than the checksum-validated types). Chinese: a door number
 * (`88号`, `3号楼2单元501`) with up to 40 characters before it that contain an administrative or street
 * unit (省 市 区 县 镇 乡 村 路 街 道 巷 弄 里); the start is after a cue (`地址是`, `寄到`, `改成`) or after
 * words that cannot begin a place name (`我家在`). English: a house number, capitalised words and a street
 * suffix, optionally an apartment, city names and a postal code.
 *
 * @example
 *   findAddresses('新地址是上海市浦东新区世纪大道1888号12楼')[0].value // '上海市浦东新区世纪大道1888号12楼'
 */
export function findAddresses(text: string): Entity<'address'>[] {
  const entities: Entity<'address'>[] = []
  ZH_TAIL.lastIndex = 0
  let previousEnd = 0
  for (let match = ZH_TAIL.exec(text); match !== null; match = ZH_TAIL.exec(text)) {
    const tailStart = match.index
    const end = tailStart + match[0].length
    const start = chineseAddressStart(text, Math.max(previousEnd, tailStart - 40), tailStart)
    if (start === null) continue
    const value = text.slice(start, end)
    let confidence = 0.6
    if (PROVINCES.test(value) || /[省市]/.test(value)) confidence += 0.15
    if (/[区县]/.test(value)) confidence += 0.05
    entities.push(makeEntity('address', text, start, end, confidence, value.replace(/\s+/g, ' ')))
    previousEnd = end
  }
  EN_ADDRESS.lastIndex = 0
  for (let match = EN_ADDRESS.exec(text); match !== null; match = EN_ADDRESS.exec(text)) {
    const value = match[0]
    const confidence = value.includes(',') ? 0.7 : 0.6
    entities.push(
      makeEntity(
        'address',
        text,
        match.index,
        match.index + value.length,
        confidence,
        value.replace(/\s+/g, ' '),
      ),
    )
  }
  return entities
}

/** Where the address that ends in a door number at `tailStart` begins, or null when there is none. */
function chineseAddressStart(text: string, limit: number, tailStart: number): number | null {
  // Walk left over Han characters, letters, digits and single spaces.
  let left = tailStart
  while (left > limit) {
    const code = text.charCodeAt(left - 1)
    const ok =
      isHan(code) ||
      (code >= 48 && code <= 57) ||
      (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) ||
      code === 45 ||
      code === 35 ||
      (isSpace(code) && left - 2 >= limit && !isSpace(text.charCodeAt(left - 2)))
    if (!ok) break
    left -= 1
  }
  let firstUnit = -1
  for (let index = left; index < tailStart; index += 1) {
    if (UNIT_CHARS.has(text[index])) {
      firstUnit = index
      break
    }
  }
  if (firstUnit < 0) return null
  let start = left
  const region = text.slice(left, firstUnit)
  for (const cue of CUES) {
    const at = region.lastIndexOf(cue)
    if (at >= 0) start = Math.max(start, left + at + cue.length)
  }
  // Keep at least two characters before the first unit: place names (朝阳区, 下城区) are never cut there.
  for (let index = firstUnit - 3; index >= start; index -= 1) {
    if (STOP_CHARS.has(text[index])) {
      start = index + 1
      break
    }
  }
  while (start < tailStart && isSpace(text.charCodeAt(start))) start += 1
  if (firstUnit < start || tailStart - start < 2) return null
  const head = text.charCodeAt(start)
  return isHan(head) || (head >= 65 && head <= 90) || (head >= 97 && head <= 122) ? start : null
}

/** A single space between parts of an address: ASCII, no-break or ideographic. */
function isSpace(code: number): boolean {
  return code === 32 || code === 0xa0 || code === 0x3000 || code === 9
}
